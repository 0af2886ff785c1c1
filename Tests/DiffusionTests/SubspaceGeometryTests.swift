import Diffusion
import LinearAlgebra
import Testing
import TestSupport

/// Projections and the off/on-support ratio on hand examples and against loop-computed projections.
@Suite struct SubspaceGeometryTests {
    @Test("hand example: A = span(e₁, e₂) in R³")
    func handExample() {
        let g = SubspaceGeometry(basis: Matrix([[1, 0], [0, 1], [0, 0]]))
        let x = Matrix<Double>([[3, 4, 10], [1, 0, 0], [0, 0, 2]])
        #expect(g.onSupport(x) == Matrix([[3, 4, 0], [1, 0, 0], [0, 0, 0]]))
        #expect(g.offSupport(x) == Matrix([[0, 0, 10], [0, 0, 0], [0, 0, 2]]))
        let r = g.offSupportRatio(x)
        #expect(r[0] == 2 && r[1] == 0 && r[2] == .infinity)
        let f = g.offSupportFraction(x)
        #expect(abs(f[0] - 10 / 125.0.squareRoot()) < 1e-15 && f[1] == 0 && f[2] == 1)
        #expect(g.project([1, 2, 3]) == [1, 2, 0])
    }

    @Test("random basis: projections agree with loops and split x orthogonally")
    func randomBasis() {
        let p = Fixture.problem
        let g = SubspaceGeometry(basis: p.basis)
        let x = TestRandom.gaussianMatrix(rows: 5, columns: p.ambient, key: TestRandom.key(400))
        let off = g.offSupport(x), on = g.onSupport(x)
        for i in 0..<5 {
            #expect(Errors.maxAbs(off.row(i), Naive.offSpan(p.basis, x.row(i))) < 1e-14)
            #expect(abs(Naive.dot(off.row(i), on.row(i))) < 1e-14)
            #expect(abs(g.offSupportRatio(x)[i] - Naive.norm(off.row(i)) / Naive.norm(on.row(i))) < 1e-14)
        }
    }
}
