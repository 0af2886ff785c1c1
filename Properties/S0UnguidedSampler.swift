import Foundation
import LinearAlgebra
import Randomness
import Diffusion
import Statistics
import PropertyEngine

/// S0 — the unguided sampler with an exact subspace score reproduces the data law, and its draws lie in
/// span(A) (r_off = 0 up to round-off).
public enum S0UnguidedSampler {
    public struct Case: CustomStringConvertible {
        let setting: SubspaceCase
        let mixture: Bool
        let seed: UInt64
        public var description: String { "\(setting); \(mixture ? "3-component mixture" : "Gaussian") latent; draw seed \(seed)" }

        /// The latent law and its score.
        func model() throws -> (any ScoreModel, SubspaceDataModel) {
            let s = setting
            guard mixture else { return (s.score, s.model) }
            var gen = SequentialGenerator(StreamKey(seed: seed, purpose: .setting, index: 3))
            let components = (0..<3).map { k in
                MixtureScore.Component(weight: [0.25, 0.35, 0.4][k], mean: (0..<s.latent).map { _ in 1.5 * gen.normal() },
                                       covariance: Matrix.diagonal((0..<s.latent).map { _ in 0.2 + gen.uniform() }))
            }
            return (try MixtureScore(basis: s.basis, components: components),
                    try SubspaceDataModel(basis: s.basis, latent: .mixture(components)))
        }
    }

    static var generator: Gen<Case> { CatalogGen.subspace(ambient: 2...12, maximumLatent: 4).flatMap { setting in
        Gen.zip(Gens.bool, Gens.seed).map { Case(setting: setting, mixture: $0.0, seed: $0.1) }
    }
    }

    /// ‖μ̄‖ + √tr Σ̄ of the data law (the largest over a mixture's components); A has orthonormal columns,
    /// so latent norms are ambient norms.
    static func scale(_ latent: LatentLaw) -> Double {
        switch latent {
        case let .gaussian(mean, covariance): return Vectors.norm(mean) + covariance.trace.squareRoot()
        case let .mixture(components): return components.map { Vectors.norm($0.mean) + $0.covariance.trace.squareRoot() }.max() ?? 0
        }
    }

    /// How many units of round-off a draw's off-span part may hold (see `support`).
    static let roundOffUnits = 64.0

    /// Exact: unguided DDPM draws lie in span(A) up to the round-off of computing them. Effort: draws.
    ///
    /// Premise and tolerance. The last DDPM step (t = 1, ᾱ₀ = 1) has c₂ = 0 and c₁ = 1, so the output is
    /// x̂₀ itself: for the Gaussian score μ̄ + A·(φ ⊙ Aᵀ(x − αμ̄)), for the mixture a weighted sum of such
    /// terms; exactly in span(A) + μ̄ ⊂ span(A). Its off-span part is round-off only: each coordinate is a
    /// sum of about 2D products of numbers no larger than the operands, so ‖x⊥‖ ≤ c·D·ε·s with ε = 2⁻⁵²,
    /// s = ‖x‖ + ‖μ̄‖ + √tr Σ̄ (the scale of what was summed: the draw, the mean, the spread; the input of the
    /// last step is of the same size) and c a small constant — 64 here, which also absorbs the round-off
    /// of the check's own projection P x. The earlier form, the ratio ‖x⊥‖/‖x∥‖ against 1e−12, divided
    /// that round-off by ‖x∥‖, which is near zero for a draw near the origin of span(A), and failed on
    /// the correct implementation (seeds 1007, 1025, 1039, 424242 at `full`); a draw with a real off-span
    /// component (noise at the last step, a shifted score) sits at ‖x⊥‖ ≈ √β₁ ≈ 10⁻², some 10¹¹ units.
    public static func support() -> Property<Case> {
        Property(
            id: "S0-support", title: "Unguided draws lie in span(A)",
            claim: "SPEC §5/§8: with an exact subspace score the DDPM output lies in span(A) (its last step returns x̂₀ ∈ span(A)): ‖x⊥‖ is round-off",
            kind: .exact, budgets: ["ci": Budget(cases: 12, effort: 64), "full": Budget(cases: 300, effort: 512)],
            generator: generator, describe: { $0.description },
            check: { c, effort in
                let (score, data) = try c.model()
                let x = DDPMSampler(schedule: try NoiseSchedule(steps: 100)).sample(model: score, guidance: nil, count: effort, noise: SamplingNoise(seed: c.seed))
                let geometry = SubspaceGeometry(basis: c.setting.basis)
                let lawScale = Self.scale(data.latent)
                let unit = Double(c.setting.ambient) * Double.ulpOfOne
                let off = geometry.offSupport(x).rowNorms, norms = x.rowNorms
                let units = zip(off, norms).map { $0 / (unit * ($1 + lawScale)) }
                let worst = units.max() ?? 0
                let ratio = geometry.offSupportRatio(x).max() ?? 0
                return .exact(measured: worst, tolerance: roundOffUnits,
                              numbers: ["max_offspan_units": worst, "max_offspan_norm": off.max() ?? 0, "max_r_off": ratio],
                              note: "max over \(effort) draws of ‖x⊥‖ in units of D·ε·(‖x‖ + ‖μ̄‖ + √tr Σ̄)")
            })
    }

    /// Tests a Gaussian-latent case combines (projected KS, the covariance's likelihood ratio, a χ² variance
    /// test along the first KS direction); a mixture case runs the KS test alone (the other two assume a
    /// normal law).
    static let lawTests = 3

    /// Statistical: Kolmogorov–Smirnov on four random projections of the latent coordinates Aᵀx of
    /// unguided draws (T = 1000, where the discretisation bias is far below what KS can detect) against
    /// the data law's projected CDF; for a Gaussian latent also the likelihood-ratio test of the latent
    /// covariance and a χ² test of the spread along one direction against the sampler's exact law at that
    /// T (whose spread the discretisation moves by a share the spread tests nearly resolve),
    /// Bonferroni-combined. Effort: draws.
    public static func law() -> Property<Case> {
        Property(
            id: "S0-law", title: "Unguided draws follow the data law",
            claim: "SPEC §8: the unguided sampler with an exact score reproduces the data law (projected CDFs; the covariance for a Gaussian latent)",
            kind: .statistical, budgets: ["ci": Budget(cases: 4, effort: 800), "full": Budget(cases: 40, effort: 8000)],
            generator: generator, describe: { $0.description },
            detectable: { effort, level in
                let d = try LawTestDesign(caseLevel: level, tests: lawTests, dimension: 4, directions: 4).detectable(draws: effort)
                return DetectableEffect(caseLevel: level, standardDeviation: d.standardDeviation, cdfDistance: d.cdfDistance,
                                        note: "with probability 0.95 per case of \(effort) draws (T = 1000, the cost that bounds it): a projected CDF off by this distance; for a Gaussian latent, a standard deviation along the tested direction off by this share")
            },
            check: { c, effort in
                let (score, data) = try c.model()
                let a = c.setting.basis
                let sampler = DDPMSampler(schedule: try NoiseSchedule(steps: 1000))
                let x = sampler.sample(model: score, guidance: nil, count: effort, noise: SamplingNoise(seed: c.seed, round: 2))
                let rows = x.matmul(a).rowVectors
                let directions = (0..<4).map { CatalogGen.vector(c.setting.latent, seed: c.seed, index: 30 + UInt64($0)) }
                let ks = try ProjectedKS.oneSample(rows, directions: directions, projectedCDF: { u in
                    switch data.latent {
                    case let .gaussian(mean, cov):
                        let m = Vectors.dot(u, mean), sd = cov.bilinear(u, u).squareRoot()
                        return { normalCDF(($0 - m) / sd) }
                    case let .mixture(components):
                        let parts = components.map { ($0.weight, Vectors.dot(u, $0.mean), $0.covariance.bilinear(u, u).squareRoot()) }
                        return { v in parts.reduce(0) { $0 + $1.0 * normalCDF((v - $1.1) / $1.2) } }
                    }
                }, alpha: 0.05, method: effort > 2000 ? .asymptotic : .automatic)
                var numbers = ["p_projected_ks": ks.pValue, "draws": Double(effort), "worst_statistic": ks.perDirection[ks.worstDirection].statistic]
                guard case let .gaussian(_, dataCovariance) = data.latent, c.setting.latent < effort - 1 else {
                    return .statistical(pValue: ks.pValue, numbers: numbers,
                                        note: "KS of \(effort) draws on 4 projections of Aᵀx against the data law (a mixture: KS alone)")
                }
                // The spread is held to the sampler's own law at this T (exact for a Gaussian score), not to the
                // data law: at T = 1000 the DDPM output's spread is short of the data's by the discretisation
                // (sd 0.25% on the paper's setting, `ggd law --T 1000`), a 0.3σ shift of the χ² statistic at 8000
                // draws that inflated this claim's false fails (5 in 80 `full` calibration runs at a nominal
                // 0.033). The discretisation is reported beside the verdict; KS, whose resolution is 40× coarser,
                // stays with the data law.
                let law = DDPMExactLaw.output(sampler: sampler, model: c.setting.score, guidance: nil)
                let covariance = a.matmul(law.covariance.matmul(a), transposeSelf: true).symmetrized
                let pCovariance = try CovarianceTest.likelihoodRatio(rows, nullCovariance: covariance.rowVectors).pValue
                let u = Vectors.scale(directions[0], by: 1 / Vectors.norm(directions[0]))
                let variance = covariance.bilinear(u, u)
                let spread = try VarianceTest.chiSquare(rows.map { Vectors.dot($0, u) }, nullVariance: variance)
                numbers["p_covariance"] = pCovariance
                numbers["p_variance"] = spread.pValue
                numbers["sd_ratio"] = (spread.estimate / variance).squareRoot()
                numbers["discretisation_sd_ratio"] = (variance / dataCovariance.bilinear(u, u)).squareRoot()
                return .statistical(pValue: min(1, Double(lawTests) * min(ks.pValue, pCovariance, spread.pValue)), numbers: numbers,
                                    note: "KS on 4 projections against the data law, the covariance's likelihood ratio and χ² of the spread along one against the sampler's exact law at T = 1000, of \(effort) draws of Aᵀx, Bonferroni over \(lawTests)")
            })
    }
}
