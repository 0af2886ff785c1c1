import Foundation
import LinearAlgebra
import Testing
import TestSupport

/// Cholesky factor, solves and log-determinants against facts fixed in advance: matrices built as
/// Q diag(λ) Qᵀ with known λ, and a factor known by hand.
///
/// Tolerances. Cholesky is backward stable: the computed x solves (A + ΔA)x = b with
/// ‖ΔA‖ ≲ c·n·u·‖A‖ (Higham, Thm 10.4), so the normwise residual ‖b − Ax‖/(‖A‖_F‖x‖) sits at a few
/// n·u (u = 2⁻⁵³ ≈ 1.1e-16; measured ≈ 1e-16 for n = 12); the bound 10·n·u ≈ 1.3e-14 is loose but still
/// eleven orders below a wrong solve. log det moves by tr(A⁻¹ΔA) ≤ n·κ·‖ΔA‖/‖A‖ ≈ 12·10³·12u ≈ 1.6e-11 for
/// κ = 10³, hence 1e-10 absolute.
private let n = 12

struct NonSPDCase: Sendable, CustomTestStringConvertible {
    let matrix: [[Double]]
    let leadingMinor: Int
    let testDescription: String
}


@Suite struct CholeskyTests {
    @Test("hand-factored 3×3 example")
    func handExample() throws {
        // A = L Lᵀ with L = [[2,0,0],[1,3,0],[-1,2,1]]
        let a = Matrix<Double>([[4, 2, -2], [2, 10, 5], [-2, 5, 6]])
        let c = try Cholesky(a)
        #expect(Errors.maxAbs(c.lower, Matrix([[2, 0, 0], [1, 3, 0], [-1, 2, 1]])) < 1e-15)
        #expect(abs(c.logDeterminant - 2 * log(6.0)) < 1e-14)     // det = (2·3·1)² = 36
        // A x = b with x = (1, −1, 2): b = (−2, 2, 5)
        #expect(Errors.maxAbs(c.solve([-2, 2, 5]), [1, -1, 2]) < 1e-14)
    }

    @Test("L is lower triangular and L Lᵀ reproduces A")
    func factorReproduces() throws {
        let a = TestRandom.spdMatrix(dimension: n, smallest: 1e-3, largest: 1, key: TestRandom.key(20))
        let l = try Cholesky(a).lower
        for i in 0..<n { for j in (i + 1)..<n { #expect(l[i, j] == 0) } }
        for i in 0..<n { #expect(l[i, i] > 0) }
        #expect(Errors.relative(Naive.product(l, l, transposeB: true), a) < 10 * Double(n) * 0x1p-53)
    }

    @Test("solve residual, one and several right-hand sides", arguments: [1e0, 1e3, 1e8])
    func solveResidual(condition: Double) throws {
        let a = TestRandom.spdMatrix(dimension: n, smallest: 1 / condition, largest: 1, key: TestRandom.key(21))
        let c = try Cholesky(a)
        let b = TestRandom.gaussianMatrix(rows: n, columns: 3, key: TestRandom.key(22))
        let x = c.solve(b)
        let r = Naive.product(a, x) - b
        let residual = r.frobeniusNorm / (a.frobeniusNorm * x.frobeniusNorm)
        #expect(residual < 10 * Double(n) * 0x1p-53)
        // Vector form agrees with the matrix form column by column.
        let x0 = c.solve(b.column(0))
        #expect(Errors.relative(x0, x.column(0)) < 1e-15 * condition)
        // A⁻¹A = I (κ·u accuracy).
        #expect(Errors.maxAbs(Naive.product(c.inverse, a), .identity(n)) < 100 * condition * Double(n) * 0x1p-53)
    }

    @Test("log-determinant equals the sum of the logs of the eigenvalues")
    func logDeterminant() throws {
        let eigenvalues = (0..<n).map { pow(10.0, -3 * Double($0) / Double(n - 1)) * (1 + 0.1 * Double($0)) }
        let a = TestRandom.symmetricMatrix(eigenvalues: eigenvalues, key: TestRandom.key(23))
        let logDet = try Cholesky(a).logDeterminant
        let known = eigenvalues.reduce(0) { $0 + log($1) }
        #expect(abs(logDet - known) < 1e-10)
        // And against the product of the eigenvalues LAPACK's syevd reports for the same matrix.
        let computed = try SymmetricEigendecomposition(a).eigenvalues
        #expect(abs(logDet - log(computed.reduce(1, *))) < 1e-10)
    }

    @Test("Float factor and solve")
    func floatSolve() throws {
        let a = TestRandom.spdMatrix(dimension: 8, smallest: 0.1, largest: 1, key: TestRandom.key(24)).converted(to: Float.self)
        let c = try Cholesky(a)
        let b: [Float] = (0..<8).map { Float($0) - 3.5 }
        let x = c.solve(b)
        let r = Naive.apply(a.converted(to: Double.self), x.map(Double.init))
        let residual = Errors.relative(r, b.map(Double.init))
        // Float: u = 2⁻²⁴ ≈ 6e-8, κ = 10 → relative residual ≲ 10·n·u ≈ 5e-6.
        #expect(residual < 10 * 8 * 0x1p-24)
        #expect(abs(Double(c.logDeterminant) - (try Cholesky(a.converted(to: Double.self)).logDeterminant)) < 1e-5)
    }

    @Test("matrices that are not positive definite throw notPositiveDefinite with the failing minor", arguments: [
        NonSPDCase(matrix: [[1, 0, 0], [0, -1, 0], [0, 0, 2]], leadingMinor: 2, testDescription: "negative pivot"),
        NonSPDCase(matrix: [[1, 2], [2, 1]], leadingMinor: 2, testDescription: "indefinite, positive diagonal"),
        NonSPDCase(matrix: [[-4, 0], [0, 1]], leadingMinor: 1, testDescription: "negative first entry"),
        NonSPDCase(matrix: [[1, 1, 0], [1, 1, 0], [0, 0, 1]], leadingMinor: 2, testDescription: "singular PSD"),
    ])
    func notPositiveDefinite(c: NonSPDCase) {
        #expect(throws: LinearAlgebraError.notPositiveDefinite(leadingMinor: c.leadingMinor)) {
            _ = try Cholesky(Matrix(c.matrix))
        }
    }

    @Test("NaN, infinity and non-square inputs throw")
    func invalidInputs() {
        #expect(throws: LinearAlgebraError.nonFinite("matrix to factor")) { _ = try Cholesky(Matrix<Double>([[1, .nan], [.nan, 1]])) }
        #expect(throws: LinearAlgebraError.nonFinite("matrix to factor")) { _ = try Cholesky(Matrix<Double>([[.infinity]])) }
        #expect(throws: LinearAlgebraError.notSquare(rows: 2, columns: 3)) { _ = try Cholesky(Matrix<Double>(rows: 2, columns: 3)) }
    }
}
