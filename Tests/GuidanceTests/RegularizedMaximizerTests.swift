import Foundation
import Guidance
import LinearAlgebra
import Randomness
import Testing
import TestSupport

/// Theorem 2's target x*_{A,λ} = argmax over μ̄ + span(Σ̄) of F(x) = f(x) − (λ/2)‖x − μ̄‖²_{Σ̄⁻¹}, for
/// Σ̄ = AΣ_uAᵀ (rank d). Checked three ways: the optimality condition Σ̄∇f(x*) = λ(x* − μ̄) with x* − μ̄ in
/// span(A); an independent d×d solve in latent coordinates (x = μ̄ + Au, ∇_u F = Aᵀ∇f − λΣ_u⁻¹u = 0); and
/// F(x*) > F(x* + εAw) for nearby points.
///
/// Tolerance: the package solves (λI − Σ̄H)x = λμ̄ + Σ̄b through the normal equations, so its error is
/// ~κ²u with κ the condition number of λI − Σ̄H (computed here from the eigenvalues of SᵀS; κ² reaches
/// 1.5e5 for λ = 0.5 and the f₁ objective, where the measured error is 5.5e-12 against the bound
/// 100·κ²·u = 1.7e-9; elsewhere errors are ≤ 1.4e-13). The latent-coordinate reference is a
/// d×d SPD solve, accurate to κ·u.
@Suite struct RegularizedMaximizerTests {
    let problem = Fixture.problem

    private func objectives() throws -> [any Objective] {
        let p = problem
        let theta = Fixture.offSpanHeavyGradients(1, key: TestRandom.key(640)).elements
        let c = TestRandom.gaussianVector(p.ambient, key: TestRandom.key(641)).map { 3 * $0 }
        return [
            TargetValueObjective(theta: theta),
            LinearObjective(theta: theta),
            try ConcaveQuadraticObjective(center: c, curvature: TestRandom.spdMatrix(dimension: p.ambient, smallest: 0.1, largest: 1.5, key: TestRandom.key(642))),
        ]
    }

    /// F restricted to μ̄ + span(A), in latent coordinates u.
    private func regularized(_ f: any Objective, _ u: [Double], mean: [Double], lambda: Double) throws -> Double {
        let x = Vectors.add(mean, problem.embed(u))
        return f.value(x) - 0.5 * lambda * Naive.dot(u, try Naive.spdSolve(problem.latentCovariance, u))
    }

    @Test("optimality, latent-coordinate solve and local maximality", arguments: [0.5, 2.0, 10.0])
    func maximizer(lambda: Double) throws {
        let p = problem
        let mean = p.dataMean, sigmaBar = p.dataCovariance
        for f in try objectives() {
            let x = try TheoryPredictions.regularizedMaximizer(objective: f, mean: mean, covariance: sigmaBar, lambda: lambda)
            let delta = Vectors.subtract(x, mean)
            let (h, b) = f.affineGradient!
            var s = -Naive.product(sigmaBar, h)
            for i in 0..<p.ambient { s[i, i] += lambda }
            let gram = try SymmetricEigendecomposition(Naive.product(s, s, transposeA: true)).eigenvalues
            let tolerance = 100 * (gram.last! / gram.first!) * 0x1p-53
            #expect(Naive.norm(Naive.offSpan(p.basis, delta)) < tolerance * max(1, Naive.norm(delta)), "\(f.name): x* − μ̄ ∉ span(A)")
            let lhs = Naive.apply(sigmaBar, f.gradient(x)), rhs = delta.map { lambda * $0 }
            #expect(Errors.relative(lhs, rhs, floor: 1e-12) < tolerance, "\(f.name): optimality condition")
            // Latent solve: (λΣ_u⁻¹ − AᵀHA)u = Aᵀ(Hμ̄ + b).
            let aha = Naive.product(Naive.product(p.basis, h, transposeA: true), p.basis)
            let inv = try Cholesky(p.latentCovariance).inverse
            let system = Matrix<Double>(rows: p.latent, columns: p.latent) { lambda * inv[$0, $1] - aha[$0, $1] }
            let rhsLatent = Naive.apply(p.basis.transposed, Vectors.add(Naive.apply(h, mean), b))
            let u = try Naive.spdSolve(system, rhsLatent)
            #expect(Errors.relative(x, Vectors.add(mean, p.embed(u))) < tolerance, "\(f.name): latent solve")
            // Nearby points in the affine span are worse.
            let best = try regularized(f, u, mean: mean, lambda: lambda)
            for k in 0..<8 {
                let w = TestRandom.gaussianVector(p.latent, key: TestRandom.key(643 + UInt64(k)))
                for eps in [1e-3, 1e-1] {
                    #expect(try regularized(f, Vectors.add(u, w, scaledBy: eps), mean: mean, lambda: lambda) < best)
                }
            }
        }
    }

    @Test("objectives without an affine gradient are rejected")
    func unsupported() {
        #expect(throws: GuidanceError.self) {
            _ = try TheoryPredictions.regularizedMaximizer(objective: DistanceObjective(center: [0, 0]), mean: [0, 0], covariance: .identity(2), lambda: 1)
        }
    }
}
