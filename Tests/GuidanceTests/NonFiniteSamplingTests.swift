import Diffusion
import Guidance
import LinearAlgebra
import Testing

/// NaN arising inside sampling (issue 7): the optimiser draws through `sampleChecked`, which stops at the
/// first step whose sample is not finite and names the round, the step and the quantity.
@Suite struct NonFiniteSamplingTests {
    /// The exact score, with one entry of every x̂₀ turned into NaN (or +∞).
    struct PoisonedScore: ScoreModel {
        let base: GaussianScore
        let value: Double
        var dimension: Int { base.dimension }
        func denoise(_ x: Matrix<Double>, at time: DiffusionTime) -> Matrix<Double> {
            var m = base.denoise(x, at: time)
            m[m.rows - 1, 0] = value
            return m
        }
        func denoiseVJP(_ x: Matrix<Double>, at time: DiffusionTime, cotangent v: Matrix<Double>) -> Matrix<Double> {
            base.denoiseVJP(x, at: time, cotangent: v)
        }
    }

    /// Input class: a score model that yields NaN or infinity: the run stops with `nonFinite` naming round 0 and step 10.
    @Test(arguments: [Double.nan, Double.infinity])
    func poisonedModelStopsTheRunNamingTheRound(_ value: Double) throws {
        let sampler = DDPMSampler(schedule: try NoiseSchedule(kind: .cosine(), steps: 10))
        let settings = OptimizationSettings(algorithm: 1, rounds: 2, batchSize: 4, guidance: .lookahead, delta: 0.2, seed: 5)
        let optimizer = try GenerativeOptimizer(sampler: sampler, objective: LinearObjective(theta: [Double](repeating: 1, count: 8)),
                                                settings: settings)
        let model = PoisonedScore(base: try Fixture.gaussian(), value: value)
        #expect(throws: GuidanceError.nonFinite("samples became NaN or infinite in round 0, at step 10 of 10: x̂₀ (the score model's estimate, with its guidance) is NaN or infinite")) {
            try optimizer.run(model: model)
        }
    }
}
