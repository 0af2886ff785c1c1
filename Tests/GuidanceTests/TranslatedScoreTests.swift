import Foundation
import Guidance
import LinearAlgebra
import Randomness
import Testing
import TestSupport

/// The offset-only class (eq. 15): translating the data law by Δ. For a Gaussian base this must be the
/// Gaussian score with mean μ + Δ (an independent closed form); for a mixture base the score must be
/// ∇ log pₜ(x − αΔ) of the untranslated mixture density (finite differences, tolerance as in
/// MixtureScoreTests: 1e-8).
@Suite struct TranslatedScoreTests {
    let problem = Fixture.problem

    @Test("Gaussian base: translated = Gaussian with mean μ + Δ (denoise and VJP)")
    func gaussianBase() throws {
        let base = try Fixture.gaussian()
        let shift = TestRandom.gaussianVector(problem.ambient, key: TestRandom.key(820))
        let translated = try TranslatedScore(base: base, shift: shift)
        let moved = try base.withMean(Vectors.add(base.mean, shift))
        for time in Fixture.times {
            let x = problem.typicalPoints(count: 3, alpha: time.alpha, h: time.h, offSpanBoost: 1, key: TestRandom.key(821))
            #expect(Errors.relative(translated.denoise(x, at: time), moved.denoise(x, at: time)) < 1e-12)
            let v = TestRandom.gaussianMatrix(rows: 3, columns: problem.ambient, key: TestRandom.key(822))
            #expect(Errors.relative(translated.denoiseVJP(x, at: time, cotangent: v), moved.denoiseVJP(x, at: time, cotangent: v)) < 1e-12)
        }
    }

    @Test("mixture base: score = ∇ log pₜ(x − αΔ) by finite differences")
    func mixtureBase() throws {
        let shift = TestRandom.gaussianVector(problem.ambient, key: TestRandom.key(823))
        let translated = try TranslatedScore(base: try Fixture.mixture(), shift: shift)
        for time in [Fixture.cosine200.time(10), Fixture.cosine200.time(120)] {
            let x = problem.typicalPoints(count: 2, alpha: time.alpha, h: time.h, key: TestRandom.key(824))
            let s = translated.score(x, at: time)
            for i in 0..<2 {
                let fd = FiniteDifference.gradient(of: { y in
                    try! problem.mixtureLogDensity((0..<y.count).map { y[$0] - time.alpha * shift[$0] }, alpha: time.alpha, h: time.h)
                }, at: x.row(i))
                #expect(Errors.relative(s.row(i), fd) < 1e-8)
            }
        }
    }

    @Test("a shift of the wrong length throws")
    func mismatch() throws {
        #expect(throws: GuidanceError.self) { _ = try TranslatedScore(base: try Fixture.gaussian(), shift: [1, 2]) }
    }
}
