import Diffusion
import LinearAlgebra
import Randomness
import Testing
import TestSupport

/// The continuous backward-SDE sampler: the exponential integrator lands on x̂₀ at t = 0, so with an
/// exact subspace score it ends in span(A) (bound as for DDPM: round-off ~1e-16, tolerance 1e-12).
@Suite struct ContinuousSamplerTests {
    let problem = SubspaceProblem(ambient: 16, latent: 4, seed: 12)

    private func models() throws -> [(String, any ScoreModel)] {
        let p = problem
        return [
            ("Gaussian", try GaussianScore.subspace(basis: p.basis, latentMean: p.latentMean, latentCovariance: p.latentCovariance)),
            ("mixture", try MixtureScore(basis: p.basis, components: (0..<3).map {
                .init(weight: p.mixtureWeights[$0], mean: p.mixtureMeans[$0], covariance: p.mixtureCovariances[$0])
            })),
        ]
    }

    @Test("exponential integrator with an exact subspace score ends in span(A)")
    func exponentialEndsInSpan() throws {
        let sampler = try ContinuousSampler(grid: ContinuousSampler.quadraticGrid(tEnd: 10, steps: 100))
        let geometry = SubspaceGeometry(basis: problem.basis)
        for (name, model) in try models() {
            let x = sampler.sample(model: model, guidance: nil, count: 64, noise: SamplingNoise(seed: 3))
            #expect(x.isFinite)
            #expect(geometry.offSupportRatio(x).max()! < 1e-12, "\(name)")
            // Not collapsed: the samples still spread over the latent law (sample variance of Aᵀx > 0.05).
            let u = Naive.product(x, problem.basis)
            #expect(Stats.covariance(u).diagonal.min()! > 0.05)
        }
    }

    @Test("Euler–Maruyama stops at t_min and returns x̂₀ there, also in span(A)")
    func eulerMaruyamaReturnsLookahead() throws {
        let sampler = try ContinuousSampler(grid: ContinuousSampler.quadraticGrid(tEnd: 8, steps: 400, tMin: 1e-3), method: .eulerMaruyama)
        let geometry = SubspaceGeometry(basis: problem.basis)
        for (name, model) in try models() {
            let x = sampler.sample(model: model, guidance: nil, count: 16, noise: SamplingNoise(seed: 4))
            #expect(x.isFinite)
            #expect(geometry.offSupportRatio(x).max()! < 1e-12, "\(name)")
        }
    }

    @Test("thread count and sharding leave the samples bit-identical")
    func reproducible() throws {
        let grid = try ContinuousSampler.quadraticGrid(tEnd: 10, steps: 50)
        let model = try models()[1].1
        let serial = try ContinuousSampler(grid: grid, threads: 1).sample(model: model, guidance: nil, count: 64, noise: SamplingNoise(seed: 5))
        let parallel = try ContinuousSampler(grid: grid, threads: 4).sample(model: model, guidance: nil, count: 64, noise: SamplingNoise(seed: 5))
        #expect(serial == parallel)
        let shard = try ContinuousSampler(grid: grid).sample(model: model, guidance: nil, count: 32, noise: SamplingNoise(seed: 5, firstRow: 32))
        #expect(serial.rows(32..<64) == shard)
    }

    @Test("grids: quadratic grid endpoints and spacing; invalid grids throw")
    func grids() throws {
        let g = try ContinuousSampler.quadraticGrid(tEnd: 10, steps: 4, tMin: 0)
        let expected: [Double] = [10, 5.625, 2.5, 0.625, 0]   // 10·(1 − i/4)²
        #expect(g == expected)
        #expect(throws: DiffusionError.self) { _ = try ContinuousSampler(grid: [1]) }
        #expect(throws: DiffusionError.self) { _ = try ContinuousSampler(grid: [1, 2]) }
        #expect(throws: DiffusionError.self) { _ = try ContinuousSampler(grid: [1, 0], method: .eulerMaruyama) }
        #expect(throws: DiffusionError.self) { _ = try ContinuousSampler.quadraticGrid(tEnd: 1, steps: 0) }
    }
}
