import Foundation
import Guidance
import LinearAlgebra
import Randomness
import Testing
import TestSupport

/// Objectives (SPEC §7): values on hand examples, gradients against five-point finite differences, and the
/// Σ̄-seminorm smoothness constant against its closed forms.
///
/// Gradient tolerance: f₁, linear and quadratic are polynomials of degree ≤ 2 (the five-point rule is
/// exact up to round-off ≈ 1e-12 relative); f₂ is smooth away from b with derivatives of scale 1/‖x − b‖ ≈ 0.3
/// here, truncation ≈ (7e-4·3)⁴ ≈ 2e-11 — measured worst over all five objectives 1.3e-12. Bound 1e-8.
@Suite struct ObjectiveTests {
    static let D = 6

    private static func objectives() throws -> [any Objective] {
        let theta = TestRandom.gaussianVector(D, key: TestRandom.key(630))
        let b = TestRandom.gaussianVector(D, key: TestRandom.key(631))
        return [
            TargetValueObjective(theta: theta),
            TargetValueObjective(theta: theta, target: -1, peak: 2),
            DistanceObjective(center: b),
            LinearObjective(theta: theta),
            try ConcaveQuadraticObjective(center: b, curvature: TestRandom.symmetricMatrix(eigenvalues: [0, 0.1, 0.4, 0.9, 1.5, 2], key: TestRandom.key(632))),
        ]
    }

    @Test("gradients match finite differences of the values")
    func gradients() throws {
        let x = TestRandom.gaussianMatrix(rows: 4, columns: Self.D, key: TestRandom.key(633))
        for f in try Self.objectives() {
            let g = f.gradients(x)
            for i in 0..<x.rows {
                let fd = FiniteDifference.gradient(of: { f.value($0) }, at: x.row(i))
                #expect(Errors.relative(g.row(i), fd) < 1e-8, "\(f.name)")
                #expect(g.row(i) == f.gradient(x.row(i)))
            }
        }
    }

    @Test("values on hand examples")
    func values() throws {
        let x = Matrix<Double>([[1, 2], [0, 0]])
        #expect(TargetValueObjective(theta: [1, 1]).values(x) == [10, 1])            // 10 − (3 − 3)², 10 − 9
        #expect(DistanceObjective(center: [4, 6]).values(x) == [2.5, 5 - 0.5 * 52.0.squareRoot()])
        #expect(LinearObjective(theta: [2, -1]).values(x) == [0, 0])
        let q = try ConcaveQuadraticObjective(center: [1, 0], curvature: Matrix([[2, 0], [0, 4]]))
        #expect(q.values(x) == [-0.5 * 16, -0.5 * 2])
        #expect(DistanceObjective(center: [1, 2]).gradient([1, 2]) == [0, 0])        // defined at the kink
    }

    @Test("f₁ smoothness L = 2θᵀΣ̄θ (Σ̄ rank-deficient and full rank)")
    func f1Smoothness() throws {
        let p = Fixture.problem
        let theta = TestRandom.gaussianVector(p.ambient, key: TestRandom.key(634))
        for sigmaBar in [p.dataCovariance, TestRandom.spdMatrix(dimension: p.ambient, key: TestRandom.key(635))] {
            let L = try TargetValueObjective(theta: theta).smoothness(covariance: sigmaBar)!
            // ‖Σ̄^{1/2}(2θθᵀ)Σ̄^{1/2}‖₂ = 2‖Σ̄^{1/2}θ‖² for a rank-one form; eigen round-off ~1e-15 relative.
            #expect(Errors.relative(L, 2 * Naive.dot(theta, Naive.apply(sigmaBar, theta))) < 1e-12)
        }
    }

    @Test("quadratic smoothness = λ_max(Q) when Σ̄ = I; linear L = 0; f₂ has none")
    func otherSmoothness() throws {
        let eigen = [0.0, 0.5, 1, 1.5, 2.5, 4]
        let q = try ConcaveQuadraticObjective(center: [Double](repeating: 0, count: 6),
                                              curvature: TestRandom.symmetricMatrix(eigenvalues: eigen, key: TestRandom.key(636)))
        #expect(abs(try q.smoothness(covariance: .identity(6))! - 4) < 1e-13)
        #expect(try LinearObjective(theta: [1, 2, 3]).smoothness(covariance: .identity(3)) == 0)
        #expect(try DistanceObjective(center: [0, 0]).smoothness(covariance: .identity(2)) == nil)
        #expect(throws: GuidanceError.self) { _ = try ConcaveQuadraticObjective(center: [0, 0], curvature: Matrix([[1, 0], [0, -1]])) }
        #expect(throws: GuidanceError.self) { _ = try ConcaveQuadraticObjective(center: [0, 0], curvature: .identity(3)) }
    }

    @Test("affine gradients ∇f = Hx + b reproduce the gradients")
    func affineGradients() throws {
        let x = TestRandom.gaussianMatrix(rows: 3, columns: Self.D, key: TestRandom.key(637))
        for f in try Self.objectives() {
            guard let (h, b) = f.affineGradient else { #expect(f.name == "f2"); continue }
            for i in 0..<3 {
                #expect(Errors.relative(Vectors.add(Naive.apply(h, x.row(i)), b), f.gradient(x.row(i))) < 1e-13)
            }
        }
    }
}
