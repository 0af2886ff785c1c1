import Testing
import LinearAlgebra

/// LU solves of non-symmetric systems: the residual is at round-off, and a singular system is an error.
@Suite struct LinearSolveTests {
    @Test func residualIsRoundOff() throws {
        // A fixed, non-symmetric, well-conditioned 4×4 system.
        let a = Matrix<Double>([[4, 1, -2, 0.5], [0.3, 5, 1, -1], [2, -1, 6, 0], [1, 0.2, -0.7, 3]])
        let b = [1.0, -2, 0.5, 3]
        let x = try LinearSolve.solve(a, b)
        let residual = Vectors.maxAbsDifference(a.times(x), b)
        #expect(residual < 1e-14)
    }

    @Test func singularSystemThrows() {
        let a = Matrix<Double>([[1, 2], [2, 4]])
        #expect(throws: LinearAlgebraError.self) { try LinearSolve.solve(a, [1, 1]) }
        #expect(throws: LinearAlgebraError.self) { try LinearSolve.solve(Matrix<Double>([[1, 2, 3]]), [1]) }
    }
}
