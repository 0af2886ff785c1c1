import Diffusion
import Foundation
import LinearAlgebra
import Testing
import TestSupport

/// The exact mixture-latent score against finite differences of log Σₖ πₖ N(x; αAmₖ, α²ASₖAᵀ + hI),
/// written in TestSupport with full D×D Cholesky factors and a log-sum-exp.
///
/// Tolerance. The log-density is no longer quadratic: the five-point truncation error is
/// ~h⁴·|∂⁵ log p| with step 7e-4; the responsibilities vary on the scale √(α²λ + h) ≥ 0.4, so the fifth
/// derivative is modest, and round-off is as for the Gaussian (≈ 1e-12 relative). Measured worst relative
/// error 2.0e-12; tolerance 1e-8.
@Suite struct MixtureScoreTests {
    let problem = Fixture.problem

    @Test("score = ∇ log pₜ of the mixture by finite differences", arguments: Fixture.times)
    func scoreMatchesDensity(time: DiffusionTime) throws {
        let model = try Fixture.mixture()
        let x = problem.typicalPoints(count: 4, alpha: time.alpha, h: time.h, offSpanBoost: 0.5, key: TestRandom.key(200))
        let s = model.score(x, at: time)
        let x0 = model.denoise(x, at: time)
        for i in 0..<x.rows {
            let fd = FiniteDifference.gradient(of: { try! problem.mixtureLogDensity($0, alpha: time.alpha, h: time.h) }, at: x.row(i))
            #expect(Errors.relative(s.row(i), fd) < 1e-8)
            // Tweedie with the independent score, αx̂₀ − x = h·s (this form avoids amplifying the
            // finite-difference error by 1/α = 4000 at t = T).
            let xi = x.row(i), x0i = x0.row(i)
            let lhs = (0..<xi.count).map { time.alpha * x0i[$0] - xi[$0] }
            #expect(Errors.relative(lhs, fd.map { time.h * $0 }) < 1e-8)
        }
    }

    @Test("a one-component mixture is the Gaussian-latent score")
    func singleComponent() throws {
        let p = problem
        let one = try MixtureScore(basis: p.basis, components: [.init(weight: 1, mean: p.latentMean, covariance: p.latentCovariance)])
        let gaussian = try Fixture.gaussian()
        for time in Fixture.times {
            let x = p.typicalPoints(count: 3, alpha: time.alpha, h: time.h, offSpanBoost: 1, key: TestRandom.key(201))
            #expect(Errors.relative(one.denoise(x, at: time), gaussian.denoise(x, at: time)) < 1e-12)
            let v = TestRandom.gaussianMatrix(rows: 3, columns: p.ambient, key: TestRandom.key(202))
            #expect(Errors.relative(one.denoiseVJP(x, at: time, cotangent: v), gaussian.denoiseVJP(x, at: time, cotangent: v)) < 1e-12)
        }
    }

    @Test("far from every other component, x̂₀ follows the nearest component's Gaussian denoiser")
    func responsibilitiesSaturate() throws {
        // Components at ±20 along the first latent axis: at a point near +20·α the other component's
        // responsibility is e^{-O(100)}, so x̂₀ equals the single-component value to round-off.
        let p = problem
        let s = Matrix<Double>.identity(p.latent)
        var m1 = [Double](repeating: 0, count: p.latent); m1[0] = 20
        let m2 = m1.map { -$0 }
        let mix = try MixtureScore(basis: p.basis, components: [.init(weight: 0.5, mean: m1, covariance: s), .init(weight: 0.5, mean: m2, covariance: s)])
        let single = try GaussianScore.subspace(basis: p.basis, latentMean: m1, latentCovariance: s)
        let time = Fixture.cosine200.time(20)
        var x = p.typicalPoints(count: 2, alpha: time.alpha, h: time.h, key: TestRandom.key(203))
        x.addToEachRow(p.embed(m1), scaledBy: time.alpha)
        #expect(Errors.relative(mix.denoise(x, at: time), single.denoise(x, at: time)) < 1e-12)
    }

    @Test("x̂₀ lies in span(A)")
    func denoisedInSpan() throws {
        let model = try Fixture.mixture()
        for time in Fixture.times {
            let x = problem.typicalPoints(count: 4, alpha: time.alpha, h: time.h, offSpanBoost: 10, key: TestRandom.key(204))
            let x0 = model.denoise(x, at: time)
            for i in 0..<x0.rows { #expect(Naive.norm(Naive.offSpan(problem.basis, x0.row(i))) < 1e-13 * max(1, Naive.norm(x0.row(i)))) }
        }
    }

    @Test("invalid mixtures throw")
    func invalid() {
        let a = Fixture.problem.basis
        let c = Matrix<Double>.identity(3)
        #expect(throws: DiffusionError.self) { _ = try MixtureScore(basis: a, components: []) }
        #expect(throws: DiffusionError.self) {
            _ = try MixtureScore(basis: a, components: [.init(weight: 0.5, mean: [0, 0, 0], covariance: c), .init(weight: 0.4, mean: [0, 0, 0], covariance: c)])
        }
        #expect(throws: DiffusionError.self) { _ = try MixtureScore(basis: a, components: [.init(weight: 1, mean: [0, 0], covariance: c)]) }
        #expect(throws: DiffusionError.self) {
            _ = try MixtureScore(basis: a, components: [.init(weight: 1, mean: [0, 0, 0], covariance: Matrix.diagonal([1, -1, 1]))])
        }
    }
}
