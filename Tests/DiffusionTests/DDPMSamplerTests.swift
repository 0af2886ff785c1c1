import Diffusion
import LinearAlgebra
import Randomness
import Testing
import TestSupport

/// The DDPM ancestral sampler: structure preservation with an exact subspace score, reproducibility
/// (seed, thread count, sharding) and the coefficients' defining properties.
///
/// r_off bound. The last step has c₂ = 0, so the output is c₁·x̂₀ with x̂₀ = A(…) computed by one gemm;
/// its off-span part is round-off, ~u·‖x‖ ≈ 1e-16 relative (measured max r_off 3.8e-16). 1e-12 leaves
/// four orders of margin; a step that leaked noise off span(A) would give r_off ~ √h₁ ≈ 6e-3.
@Suite struct DDPMSamplerTests {
    let problem = SubspaceProblem(ambient: 16, latent: 4, seed: 11)
    /// Reproducibility does not depend on the number of steps: 50 keep the debug-build run short.
    static let short = try! NoiseSchedule(kind: .cosine(), steps: 50)

    private func exactModels() throws -> [(String, any ScoreModel)] {
        let p = problem
        let gaussian = try GaussianScore.subspace(basis: p.basis, latentMean: p.latentMean, latentCovariance: p.latentCovariance)
        let mixture = try MixtureScore(basis: p.basis, components: (0..<3).map {
            .init(weight: p.mixtureWeights[$0], mean: p.mixtureMeans[$0], covariance: p.mixtureCovariances[$0])
        })
        return [("Gaussian", gaussian), ("mixture", mixture)]
    }

    @Test("with an exact subspace score every sample ends in span(A): r_off < 1e-12", arguments: [
        NoiseSchedule.Kind.cosine(), .linear(),
    ])
    func endsInSpan(kind: NoiseSchedule.Kind) throws {
        let sampler = DDPMSampler(schedule: try NoiseSchedule(kind: kind, steps: 200))
        let geometry = SubspaceGeometry(basis: problem.basis)
        for (name, model) in try exactModels() {
            let x = sampler.sample(model: model, guidance: nil, count: 64, noise: SamplingNoise(seed: 1234))
            #expect(x.isFinite)
            let r = geometry.offSupportRatio(x)
            #expect(r.max()! < 1e-12, "\(name): max r_off = \(r.max()!)")
        }
    }

    @Test("same seed gives bit-identical samples, another seed or round gives other samples")
    func reproducible() throws {
        let sampler = DDPMSampler(schedule: Self.short)
        for (_, model) in try exactModels() {
            let a = sampler.sample(model: model, guidance: nil, count: 16, noise: SamplingNoise(seed: 42, round: 3))
            let b = sampler.sample(model: model, guidance: nil, count: 16, noise: SamplingNoise(seed: 42, round: 3))
            #expect(a == b)
            #expect(sampler.sample(model: model, guidance: nil, count: 16, noise: SamplingNoise(seed: 43, round: 3)) != a)
            #expect(sampler.sample(model: model, guidance: nil, count: 16, noise: SamplingNoise(seed: 42, round: 4)) != a)
        }
    }

    @Test("thread count does not change a single bit", arguments: [2, 3, 4])
    func threadCount(threads: Int) throws {
        for (_, model) in try exactModels() {
            let serial = DDPMSampler(schedule: Self.short, threads: 1)
                .sample(model: model, guidance: nil, count: 64, noise: SamplingNoise(seed: 7))
            let parallel = DDPMSampler(schedule: Self.short, threads: threads)
                .sample(model: model, guidance: nil, count: 64, noise: SamplingNoise(seed: 7))
            #expect(parallel.elements == serial.elements)
        }
    }

    @Test("sharding: rows 0..<64 at once equal rows 0..<32 plus rows 32..<64 with firstRow 32")
    func sharding() throws {
        let sampler = DDPMSampler(schedule: Self.short, threads: 2)
        for (_, model) in try exactModels() {
            let whole = sampler.sample(model: model, guidance: nil, count: 64, noise: SamplingNoise(seed: 9, round: 1))
            let first = sampler.sample(model: model, guidance: nil, count: 32, noise: SamplingNoise(seed: 9, round: 1, firstRow: 0))
            let second = sampler.sample(model: model, guidance: nil, count: 32, noise: SamplingNoise(seed: 9, round: 1, firstRow: 32))
            #expect(whole.rows(0..<32) == first)
            #expect(whole.rows(32..<64) == second)
        }
    }

    @Test("coefficients (c₁, c₂, β̃) are those of the forward-process posterior q(xₜ₋₁ | xₜ, x₀)")
    func coefficientsArePosterior() {
        // Independent derivation: q(xₜ₋₁ | xₜ, x₀) ∝ N(xₜ; √(1−βₜ) xₜ₋₁, βₜ) · N(xₜ₋₁; √ᾱₜ₋₁ x₀, 1 − ᾱₜ₋₁);
        // its precision is (1−βₜ)/βₜ + 1/(1−ᾱₜ₋₁) and its mean is variance·(√(1−βₜ) xₜ/βₜ + √ᾱₜ₋₁ x₀/(1−ᾱₜ₋₁)).
        let sampler = DDPMSampler(schedule: Fixture.cosine200)
        let s = Fixture.cosine200
        for t in [2, 10, 100, 199, 200] {
            let (c1, c2, v) = sampler.coefficients(t)
            let b = s.beta[t], abPrev = s.alphaBar[t - 1]
            let variance = 1 / ((1 - b) / b + 1 / (1 - abPrev))
            #expect(Errors.relative(v, variance) < 1e-12)
            #expect(Errors.relative(c2, variance * (1 - b).squareRoot() / b) < 1e-12)
            #expect(Errors.relative(c1, variance * abPrev.squareRoot() / (1 - abPrev)) < 1e-12)
        }
        let (c1, c2, _) = sampler.coefficients(1)
        #expect(abs(c1 - 1) < 1e-12 && c2 == 0)   // the last step returns x̂₀
    }

    @Test("a point-mass data law is reproduced exactly (x̂₀ ≡ μ, last step returns x̂₀)")
    func pointMass() throws {
        let mu = TestRandom.gaussianVector(5, key: TestRandom.key(500))
        let model = try GaussianScore(mean: mu, basis: .identity(5), variances: [0, 0, 0, 0, 0])
        let x = DDPMSampler(schedule: Fixture.cosine200).sample(model: model, guidance: nil, count: 8, noise: SamplingNoise(seed: 1))
        for i in 0..<8 { #expect(Errors.maxAbs(x.row(i), mu) < 1e-12) }
    }

    @Test("progress is reported once per step")
    func progress() throws {
        final class Box: @unchecked Sendable { var calls = [(Int, Int)]() }
        let box = Box()
        let schedule = try NoiseSchedule(kind: .cosine(), steps: 12)
        _ = DDPMSampler(schedule: schedule).sample(model: try Fixture.gaussian(), guidance: nil, count: 2,
                                                   noise: SamplingNoise(seed: 1)) { box.calls.append(($0, $1)) }
        #expect(box.calls.map(\.0) == Array(1...12) && box.calls.allSatisfy { $0.1 == 12 })
    }
}
