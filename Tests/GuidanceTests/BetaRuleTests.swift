import Foundation
import Guidance
import LinearAlgebra
import Randomness
import Testing
import TestSupport

/// The β rules of G_loss (SPEC §4): the code's and Lemma 1's rules coincide exactly when Σ̄ is a projector
/// (exact Gaussian latent with Σ_u = I, where α² + h = 1) and differ otherwise; the theory β equals
/// 1/(2σ_y²) with σ_y² written independently; and with it G_loss is exactly ∇ₓ log pₜ(y | x).
@Suite struct BetaRuleTests {
    let problem = Fixture.problem

    private func terms(_ model: GaussianScore, rule: BetaRule, time: DiffusionTime) throws -> Matrix<Double> {
        let target = try GuidanceTarget(gradients: Fixture.offSpanHeavyGradients(4, key: TestRandom.key(620)),
                                        targets: [1, -2, 0.5, 3])
        let x = problem.typicalPoints(count: 4, alpha: time.alpha, h: time.h, offSpanBoost: 1, key: TestRandom.key(621))
        return try LookaheadGuidance(target: target, beta: rule).term(model: model, x: x, denoised: model.denoise(x, at: time), time: time)
    }

    /// Same expression after algebra: agreement to round-off (measured ≤ 4.5e-16; bound 1e-12).
    @Test("code β = theory β when Σ̄ = P (Σ_u = I)", arguments: Fixture.times)
    func agreeForProjector(time: DiffusionTime) throws {
        let model = try Fixture.standardGaussian()
        for sigma in [0.1, 1.0] {
            let code = try terms(model, rule: .code(sigma: sigma), time: time)
            let theory = try terms(model, rule: .theory(sigma: sigma), time: time)
            #expect(Errors.relative(code, theory) < 1e-12)
        }
    }

    /// With Σ_u eigenvalues in [0.3, 2] the two β differ by O(1) factors at mid-schedule (measured relative
    /// difference of G 0.099 and 0.29 at t = 50, 150); 1e-2 is far above round-off.
    @Test("code β ≠ theory β when Σ̄ is not a projector")
    func differOtherwise() throws {
        let model = try Fixture.gaussian()
        for t in [50, 150] {
            let time = Fixture.cosine200.time(t)
            let code = try terms(model, rule: .code(sigma: 0.1), time: time)
            let theory = try terms(model, rule: .theory(sigma: 0.1), time: time)
            #expect(Errors.relative(code, theory) > 1e-2)
        }
    }

    @Test("theory β = 1/(2σ_y²), σ_y² = σ² + h·gᵀΣ̄(α²Σ̄ + hI)⁻¹g (direct SPD solve)", arguments: Fixture.times)
    func theoryBetaFormula(time: DiffusionTime) throws {
        let p = problem
        let sigma = 0.3
        let g = TestRandom.gaussianVector(p.ambient, key: TestRandom.key(622))
        let cov = p.dataCovariance
        let w = try Naive.spdSolve(SubspaceProblem.diffused(cov, alpha: time.alpha, h: time.h), g)
        let sigmaY2 = sigma * sigma + time.h * Naive.dot(g, Naive.apply(cov, w))
        let v = Naive.apply(cov, w).map { time.alpha * $0 }                 // (∂x̂₀/∂x)ᵀg
        let beta = BetaRule.theory(sigma: sigma).beta(alpha: time.alpha, h: time.h, gDotV: Naive.dot(g, v), vNormSquared: Naive.dot(v, v))
        #expect(Errors.relative(beta, 1 / (2 * sigmaY2)) < 1e-12)
    }

    @Test("code β on a hand example; constant β; validation")
    func handExampleAndValidation() throws {
        // (α²/2)/(α²σ² + h‖v‖²) with α = 0.6, h = 0.64, σ = 0.1, ‖v‖² = 2: 0.18/1.2836.
        #expect(abs(BetaRule.code(sigma: 0.1).beta(alpha: 0.6, h: 0.64, gDotV: 9, vNormSquared: 2) - 0.18 / 1.2836) < 1e-15)
        #expect(BetaRule.constant(0.25).beta(alpha: 0.1, h: 0.99, gDotV: 3, vNormSquared: 4) == 0.25)
        #expect(throws: GuidanceError.self) { try BetaRule.code(sigma: 0).validate() }
        #expect(throws: GuidanceError.self) { try BetaRule.theory(sigma: -1).validate() }
        #expect(throws: GuidanceError.self) { try BetaRule.constant(.infinity).validate() }
        #expect(throws: GuidanceError.self) { _ = try LookaheadGuidance(target: try .shared(gradient: [1], target: 0, count: 1), beta: .code(sigma: .nan)) }
    }

    /// log pₜ(y | x) = log N(y; gᵀx̂₀(x), σ_y²) for y = gᵀx₀ + N(0, σ²) with x₀ | xₜ Gaussian: mean x̂₀
    /// (closed form by SPD solve) and covariance hΣ̄(α²Σ̄ + hI)⁻¹ (independent of x). Its gradient by five-point
    /// differences (the function is quadratic: round-off only, ε|log p|/step with |log p| up to ~10²/σ_y²;
    /// measured 1.6e-9 relative) must equal G_loss with the theory β; bound 1e-8.
    @Test("theory-β G_loss = ∇ₓ log pₜ(y | x) for Gaussian scores")
    func isPosteriorGradient() throws {
        let p = problem
        let fullRank = try GaussianScore.fitted(to: TestRandom.gaussianMatrix(rows: 40, columns: p.ambient, key: TestRandom.key(623)))
        for (model, mean, cov) in [(try Fixture.gaussian(), p.dataMean, p.dataCovariance), (fullRank, fullRank.mean, fullRank.covariance)] {
            let sigma = 0.2, y = 1.7
            let g = TestRandom.gaussianVector(p.ambient, key: TestRandom.key(624))
            let guidance = try LookaheadGuidance(target: try .shared(gradient: g, target: y, count: 1), beta: .theory(sigma: sigma))
            for time in Fixture.times {
                let c = SubspaceProblem.diffused(cov, alpha: time.alpha, h: time.h)
                let wg = try Naive.spdSolve(c, g)
                let sigmaY2 = sigma * sigma + time.h * Naive.dot(g, Naive.apply(cov, wg))
                func logLikelihood(_ x: [Double]) -> Double {
                    let r = try! Naive.spdSolve(c, (0..<x.count).map { x[$0] - time.alpha * mean[$0] })
                    let x0 = (0..<x.count).map { mean[$0] + time.alpha * Naive.apply(cov, r)[$0] }
                    let resid = y - Naive.dot(g, x0)
                    return -0.5 * resid * resid / sigmaY2
                }
                let x = p.typicalPoints(count: 1, alpha: time.alpha, h: time.h, offSpanBoost: 1, key: TestRandom.key(625)).row(0)
                let fd = FiniteDifference.gradient(of: logLikelihood, at: x)
                let term = guidance.term(model: model, x: Fixture.row(x), denoised: model.denoise(Fixture.row(x), at: time), time: time).elements
                #expect(Errors.relative(term, fd) < 1e-8, "h = \(time.h)")
            }
        }
    }
}
