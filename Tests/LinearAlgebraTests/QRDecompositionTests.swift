import Foundation
import LinearAlgebra
import Testing
import TestSupport

/// Thin QR and the Haar-random frame built on it.
///
/// Tolerances. Householder QR is backward stable: ‖QR − A‖_F ≲ c·m·n·u‖A‖_F and ‖QᵀQ − I‖ ≲ c·m·u
/// (Higham, Thm 19.4); 10·m·u is ≈ 1.4e-13 in Double for m = 130 (measured values are 1e-15 to 1e-14).
/// The Haar frame is compared with a twice-applied modified Gram–Schmidt of the same Gaussian matrix:
/// the QR with diag(R) > 0 is unique, so the two must agree up to rounding amplified by κ(G), a few for
/// a tall Gaussian matrix, hence 1e-12.
struct QRShape: Sendable, CustomTestStringConvertible {
    let m: Int, n: Int
    var testDescription: String { "\(m)×\(n)" }
}

private let shapes = [QRShape(m: 1, n: 1), QRShape(m: 5, n: 5), QRShape(m: 9, n: 4), QRShape(m: 64, n: 16), QRShape(m: 130, n: 7)]

@Suite struct QRDecompositionTests {
    @Test("QᵀQ = I, QR = A and R upper triangular (Double)", arguments: shapes)
    func thinQRDouble(shape: QRShape) throws {
        let a = TestRandom.gaussianMatrix(rows: shape.m, columns: shape.n, key: TestRandom.key(40))
        let qr = try QRDecomposition(a)
        #expect(qr.q.rows == shape.m && qr.q.columns == shape.n && qr.r.rows == shape.n && qr.r.columns == shape.n)
        let tol = 10 * Double(shape.m) * 0x1p-53
        #expect(Errors.orthonormality(qr.q) < tol)
        #expect(Errors.relative(Naive.product(qr.q, qr.r), a) < tol)
        for i in 0..<shape.n { for j in 0..<i { #expect(qr.r[i, j] == 0) } }
    }

    @Test("QᵀQ = I and QR = A (Float)", arguments: shapes)
    func thinQRFloat(shape: QRShape) throws {
        let a = TestRandom.gaussianMatrixFloat(rows: shape.m, columns: shape.n, key: TestRandom.key(41))
        let qr = try QRDecomposition(a)
        let tol = 10 * Double(shape.m) * 0x1p-24
        #expect(Errors.orthonormality(qr.q) < tol)
        #expect(Errors.relative(Naive.product(qr.q, qr.r), a.converted(to: Double.self)) < tol)
    }

    @Test("haarOrthonormal: orthonormal columns with diag(QᵀG) > 0, equal to Gram–Schmidt of G", arguments: shapes)
    func haarFrame(shape: QRShape) throws {
        let g = TestRandom.gaussianMatrix(rows: shape.m, columns: shape.n, key: TestRandom.key(42))
        let q = try Matrix.haarOrthonormal(fromGaussian: g)
        #expect(Errors.orthonormality(q) < 10 * Double(shape.m) * 0x1p-53)
        let qtg = Naive.product(q, g, transposeA: true)        // = R with the sign fix
        for i in 0..<shape.n { #expect(qtg[i, i] > 0) }
        // The unique QR with positive diag(R): independent Gram–Schmidt gives the same Q.
        #expect(Errors.maxAbs(q, TestRandom.gramSchmidt(g)) < 1e-12)
    }

    @Test("the sign fix matters: for a 2×1 Gaussian, the frame is g/‖g‖ in every quadrant")
    func signFixAllQuadrants() throws {
        for (x, y) in [(0.3, 0.4), (-0.3, 0.4), (-0.3, -0.4), (0.3, -0.4)] {
            let q = try Matrix.haarOrthonormal(fromGaussian: Matrix([[x], [y]]))
            #expect(Errors.maxAbs(q.elements, [x / 0.5, y / 0.5]) < 1e-15)
        }
    }

    @Test("NaN input, infinite input and wide matrices throw")
    func invalidInputs() {
        let nan = Matrix<Double>([[1, 0], [.nan, 1], [0, 0]])
        #expect(throws: LinearAlgebraError.nonFinite("matrix to factor")) { _ = try QRDecomposition(nan) }
        #expect(throws: LinearAlgebraError.nonFinite("matrix to factor")) { _ = try Matrix.haarOrthonormal(fromGaussian: nan) }
        #expect(throws: LinearAlgebraError.nonFinite("matrix to factor")) {
            _ = try Matrix.haarOrthonormal(fromGaussian: Matrix<Double>([[-.infinity], [1]]))
        }
        #expect(throws: LinearAlgebraError.self) { _ = try QRDecomposition(Matrix<Double>(rows: 2, columns: 3)) }
    }
}
