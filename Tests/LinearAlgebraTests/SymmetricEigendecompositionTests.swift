import Foundation
import LinearAlgebra
import Testing
import TestSupport

/// Symmetric eigendecomposition against matrices with known spectra.
///
/// Tolerances. syevd is backward stable: the computed (V, Λ) are exact for A + ΔA with ‖ΔA‖ ≲ c·n·u‖A‖,
/// so ‖AV − VΛ‖_F/‖A‖_F and ‖VᵀV − I‖ sit at a few n·u, and each eigenvalue is within ‖ΔA‖₂ of the true one
/// (Weyl). 10·n·u (n = 10: 1.1e-14 in Double, 6e-6 in Float) bounds all three; eigenvector *directions*
/// are not compared because they are only determined up to sign.
private let known: [Double] = [-3, -1.5, -0.25, 0, 0.001, 0.5, 1, 1, 2.5, 7]   // includes 0 and a double eigenvalue

private extension Array {
    /// A fixed reordering (reverse interleave), so the known spectrum is not passed in sorted order.
    func shuffledDeterministically() -> [Element] {
        var out = [Element]()
        var (lo, hi) = (0, count - 1)
        while lo <= hi { out.append(self[hi]); if lo != hi { out.append(self[lo]) }; lo += 1; hi -= 1 }
        return out
    }
}

@Suite struct SymmetricEigendecompositionTests {
    @Test("A V = V Λ, VᵀV = I and Λ equals the known spectrum (ascending)")
    func decompositionDouble() throws {
        let a = TestRandom.symmetricMatrix(eigenvalues: known.shuffledDeterministically(), key: TestRandom.key(30))
        let e = try SymmetricEigendecomposition(a)
        let n = known.count
        let tol = 10 * Double(n) * 0x1p-53
        #expect(e.eigenvalues == e.eigenvalues.sorted())
        #expect(Errors.maxAbs(e.eigenvalues, known) < tol * 7)   // ‖A‖₂ = 7
        let av = Naive.product(a, e.eigenvectors)
        var vl = e.eigenvectors
        vl.scaleColumns(by: e.eigenvalues)
        #expect(Errors.relative(av, vl.converted(to: Double.self), floor: 0) < tol * 10)
        #expect(Errors.orthonormality(e.eigenvectors) < tol)
    }

    @Test("Float: same relations at single precision")
    func decompositionFloat() throws {
        let a = TestRandom.symmetricMatrix(eigenvalues: known, key: TestRandom.key(31)).converted(to: Float.self)
        let e = try SymmetricEigendecomposition(a)
        let tol = 10 * Double(known.count) * 0x1p-24
        #expect(Errors.maxAbs(e.eigenvalues.map(Double.init), known) < tol * 7)
        #expect(Errors.orthonormality(e.eigenvectors) < tol)
        var vl = e.eigenvectors
        vl.scaleColumns(by: e.eigenvalues)
        #expect(Errors.relative(Naive.product(a, e.eigenvectors), vl.converted(to: Double.self)) < tol * 10)
    }

    @Test("applying a spectral function: the square root squares back to A")
    func spectralFunction() throws {
        let lambdas = [0.01, 0.3, 1, 4, 9]
        let a = TestRandom.symmetricMatrix(eigenvalues: lambdas, key: TestRandom.key(32))
        let e = try SymmetricEigendecomposition(a)
        let root = e.applying { $0.squareRoot() }
        #expect(Errors.relative(Naive.product(root, root), a) < 1e-13)
        // The inverse through the spectrum: A · A⁻¹ = I (κ = 900).
        let inv = e.applying { 1 / $0 }
        #expect(Errors.maxAbs(Naive.product(a, inv), .identity(5)) < 1e-11)
    }

    @Test("a 2×2 example by hand: [[2,1],[1,2]] has eigenvalues 1 and 3")
    func handExample() throws {
        let e = try SymmetricEigendecomposition(Matrix<Double>([[2, 1], [1, 2]]))
        #expect(Errors.maxAbs(e.eigenvalues, [1, 3]) < 1e-15)
        let v = e.eigenvectors
        let s = 0.5.squareRoot()
        #expect(abs(abs(v[0, 0]) - s) < 1e-15 && abs(abs(v[1, 0]) - s) < 1e-15)
        #expect(v[0, 0] * v[1, 0] < 0)   // (1, −1) direction for λ = 1
        #expect(v[0, 1] * v[1, 1] > 0)   // (1, 1) direction for λ = 3
    }

    @Test("NaN and non-square inputs throw")
    func invalidInputs() {
        #expect(throws: LinearAlgebraError.nonFinite("matrix to decompose")) {
            _ = try SymmetricEigendecomposition(Matrix<Double>([[1, 0], [0, .nan]]))
        }
        #expect(throws: LinearAlgebraError.notSquare(rows: 3, columns: 2)) {
            _ = try SymmetricEigendecomposition(Matrix<Double>(rows: 3, columns: 2))
        }
    }
}
