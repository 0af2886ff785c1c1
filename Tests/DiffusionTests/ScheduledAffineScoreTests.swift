import Diffusion
import LinearAlgebra
import Randomness
import Testing
import TestSupport

/// The tabulated affine score: at the schedule's own steps it must reproduce its base model (x̂₀, VJP and
/// affine form) to round-off, and at any other time it must fall back to the base exactly.
///
/// Tolerance: one gemm (Jx + c) against the base's two-gemm route: relative ~D·u; bound 1e-12
/// (measured ≤ 1e-15).
@Suite struct ScheduledAffineScoreTests {
    let problem = Fixture.problem
    let schedule = try! NoiseSchedule(kind: .cosine(), steps: 40)

    private func bases() throws -> [GaussianScore] {
        let fullRank = try GaussianScore.fitted(to: TestRandom.gaussianMatrix(rows: 30, columns: problem.ambient, key: TestRandom.key(950)))
        return [try Fixture.gaussian(), fullRank]
    }

    @Test("tabulated steps reproduce the base model")
    func reproducesBase() throws {
        for base in try bases() {
            let table = try #require(ScheduledAffineScore(base, schedule: schedule))
            #expect(table.dimension == base.dimension)
            for t in [1, 2, 17, 40] {
                let time = schedule.time(t)
                let x = problem.typicalPoints(count: 4, alpha: time.alpha, h: time.h, offSpanBoost: 1, key: TestRandom.key(951))
                let v = TestRandom.gaussianMatrix(rows: 4, columns: problem.ambient, key: TestRandom.key(952))
                #expect(Errors.relative(table.denoise(x, at: time), base.denoise(x, at: time)) < 1e-12)
                #expect(Errors.relative(table.denoiseVJP(x, at: time, cotangent: v), base.denoiseVJP(x, at: time, cotangent: v)) < 1e-12)
                let (j1, c1) = table.affineDenoiser(at: time), (j2, c2) = base.affineDenoiser(at: time)
                #expect(j1 == j2 && c1 == c2)
            }
        }
    }

    @Test("other times (continuous, or another schedule's step) fall back to the base exactly")
    func fallsBack() throws {
        let base = try bases()[1]
        let table = try #require(ScheduledAffineScore(base, schedule: schedule))
        let other = try NoiseSchedule(kind: .linear(), steps: 40)
        for time in [ContinuousVP.time(0.3), other.time(17), DiffusionTime(step: 0, alpha: 1, h: 1e-3), DiffusionTime(step: 41, alpha: 0.1, h: 0.99)] {
            let x = TestRandom.gaussianMatrix(rows: 3, columns: problem.ambient, key: TestRandom.key(953))
            #expect(table.denoise(x, at: time) == base.denoise(x, at: time))
            #expect(table.denoiseVJP(x, at: time, cotangent: x) == base.denoiseVJP(x, at: time, cotangent: x))
        }
    }

    @Test("tables above maximumTableSize are refused")
    func tooLarge() throws {
        let D = 64
        let base = try GaussianScore(mean: [Double](repeating: 0, count: D), basis: .identity(D), variances: [Double](repeating: 1, count: D))
        let steps = ScheduledAffineScore.maximumTableSize / (D * D) + 1
        #expect(ScheduledAffineScore(base, schedule: try NoiseSchedule(kind: .cosine(), steps: steps)) == nil)
        #expect(ScheduledAffineScore(base, schedule: try NoiseSchedule(kind: .cosine(), steps: steps - 1)) != nil)
    }
}
