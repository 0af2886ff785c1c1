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

    /// Exact: max r_off of unguided DDPM draws. Effort: draws.
    public static func support() -> Property<Case> {
        Property(
            id: "S0-support", title: "Unguided draws lie in span(A)",
            claim: "SPEC §5/§8: with an exact subspace score the DDPM output lies in span(A) (its last step returns x̂₀ ∈ span(A)): r_off = 0",
            kind: .exact, budgets: ["ci": Budget(cases: 12, effort: 64), "full": Budget(cases: 300, effort: 512)],
            generator: generator, describe: { $0.description },
            check: { c, effort in
                let (score, _) = try c.model()
                let x = DDPMSampler(schedule: try NoiseSchedule(steps: 100)).sample(model: score, guidance: nil, count: effort, noise: SamplingNoise(seed: c.seed))
                let r = SubspaceGeometry(basis: c.setting.basis).offSupportRatio(x).max() ?? 0
                return .exact(measured: r, tolerance: 1e-12, numbers: ["max_r_off": r], note: "max r_off = ‖x⊥‖/‖x∥‖ over \(effort) draws")
            })
    }

    /// Statistical: Kolmogorov–Smirnov on four random projections of the latent coordinates Aᵀx of
    /// unguided draws (T = 1000, where the discretisation bias is far below what the budget can detect)
    /// against the data law's projected CDF. Effort: draws.
    public static func law() -> Property<Case> {
        Property(
            id: "S0-law", title: "Unguided draws follow the data law",
            claim: "SPEC §8: the unguided sampler with an exact score reproduces the data law (projected CDFs)",
            kind: .statistical, budgets: ["ci": Budget(cases: 4, effort: 800), "full": Budget(cases: 40, effort: 8000)],
            generator: generator, describe: { $0.description },
            check: { c, effort in
                let (score, data) = try c.model()
                let a = c.setting.basis
                let x = DDPMSampler(schedule: try NoiseSchedule(steps: 1000)).sample(model: score, guidance: nil, count: effort, noise: SamplingNoise(seed: c.seed, round: 2))
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
                // The power side: the projected CDF distance this many draws detect with probability 0.95 at a
                // case level of 1e−4 (asymptotic KS).
                let detectable = try ProjectedKS.minimumDetectableDistance(n: effort, directionCount: 4, falseFailRate: 1e-4,
                                                                           falsePassRate: 0.05, method: .asymptotic)
                return .statistical(pValue: ks.pValue, numbers: ["p_projected_ks": ks.pValue, "draws": Double(effort),
                                                                 "detectable_cdf_distance_at_1e-4_power_0.95": detectable,
                                                                 "worst_statistic": ks.perDirection[ks.worstDirection].statistic],
                                    note: "KS of \(effort) draws on 4 projections of Aᵀx against the data law, Bonferroni-combined")
            })
    }
}
