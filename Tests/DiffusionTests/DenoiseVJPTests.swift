import Diffusion
import Foundation
import LinearAlgebra
import Testing
import TestSupport

/// (∂x̂₀/∂x)ᵀv against finite-difference Jacobians of x ↦ x̂₀(x), row by row of a batch with a different
/// point and cotangent in every row.
///
/// Tolerance. For the Gaussian and fitted classes x̂₀ is affine, so the five-point difference is exact up
/// to round-off ε|x̂₀|/step ≈ 1e-12·|x̂₀| (relative to |Jᵀv| ≈ |v|): measured ≈ 1e-12. The mixture's x̂₀ is
/// smooth on the scale √(α²λ + h), truncation ≈ step⁴ = 3e-13 times modest derivatives. Errors are taken
/// relative to max(‖Jᵀv‖, ‖v‖·‖x̂₀‖) (the round-off scale of the differences); measured worst 5.7e-12 on
/// that scale (4.7e-9 relative to ‖Jᵀv‖ alone at t = T, where ‖J‖ ≈ α = 2.5e-4). Tolerance 1e-8 for all
/// three: a wrong VJP of the size of the true one fails by four orders or more.
@Suite struct DenoiseVJPTests {
    let problem = Fixture.problem

    private func check(_ model: any ScoreModel, time: DiffusionTime, seed: UInt64) {
        let x = problem.typicalPoints(count: 3, alpha: time.alpha, h: time.h, offSpanBoost: 1, key: TestRandom.key(300, seed: seed))
        let v = TestRandom.gaussianMatrix(rows: 3, columns: model.dimension, key: TestRandom.key(301, seed: seed))
        let vjp = model.denoiseVJP(x, at: time, cotangent: v)
        for i in 0..<x.rows {
            let fd = FiniteDifference.vectorJacobianProduct(of: { model.denoise(Fixture.row($0), at: time).elements },
                                                            at: x.row(i), cotangent: v.row(i))
            // Relative to max(‖Jᵀv‖, ‖v‖·‖x̂₀‖): the five-point rule's round-off is ε‖x̂₀‖/step per unit of
            // cotangent, which dominates when the Jacobian is tiny (‖J‖ ≈ α = 2.5e-4 at t = T).
            let scale = Naive.norm(v.row(i)) * max(1, Naive.norm(model.denoise(Fixture.row(x.row(i)), at: time).elements))
            #expect(Errors.relative(vjp.row(i), fd, floor: scale) < 1e-8, "row \(i) at α = \(time.alpha), h = \(time.h)")
        }
    }

    @Test("exact Gaussian latent", arguments: Fixture.times)
    func gaussian(time: DiffusionTime) throws { check(try Fixture.gaussian(), time: time, seed: 1) }

    @Test("Gaussian-mixture latent", arguments: Fixture.times)
    func mixture(time: DiffusionTime) throws { check(try Fixture.mixture(), time: time, seed: 2) }

    @Test("linear class fitted to full-rank weighted data", arguments: Fixture.times)
    func fitted(time: DiffusionTime) throws {
        let data = TestRandom.gaussianMatrix(rows: 60, columns: problem.ambient, key: TestRandom.key(302))
        let weights = TestRandom.uniformVector(60, in: 0.5...2, key: TestRandom.key(303))
        check(try GaussianScore.fitted(to: data, weights: weights), time: time, seed: 3)
    }

    @Test("the Gaussian VJP is the symmetric matrix αΣ(α²Σ + hI)⁻¹ applied to v (SPEC §3)")
    func gaussianJacobianClosedForm() throws {
        let model = try Fixture.gaussian()
        for time in Fixture.times {
            let v = TestRandom.gaussianVector(problem.ambient, key: TestRandom.key(304))
            let x = problem.typicalPoints(count: 1, alpha: time.alpha, h: time.h, key: TestRandom.key(305))
            let vjp = model.denoiseVJP(x, at: time, cotangent: Fixture.row(v)).elements
            // αΣ(α²Σ + hI)⁻¹v = αΣ·w with (α²Σ + hI)w = v (Σ and (α²Σ + hI)⁻¹ commute).
            let w = try Naive.spdSolve(SubspaceProblem.diffused(problem.dataCovariance, alpha: time.alpha, h: time.h), v)
            let reference = Naive.apply(problem.dataCovariance, w).map { time.alpha * $0 }
            #expect(Errors.relative(vjp, reference) < 1e-10)
        }
    }
}
