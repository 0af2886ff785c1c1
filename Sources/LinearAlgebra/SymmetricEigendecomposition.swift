/// A = V diag(λ) Vᵀ for a symmetric matrix, eigenvalues ascending, eigenvectors as the columns of V.
///
/// This is how functions of a covariance are applied (for example (α²Σ̄ + hI)⁻¹ for every step of a
/// schedule at the cost of one factorization).
public struct SymmetricEigendecomposition<Scalar: BLASScalar>: Sendable {
    public let eigenvalues: [Scalar]
    /// Orthogonal matrix whose column j is the eigenvector of `eigenvalues[j]`.
    public let eigenvectors: Matrix<Scalar>

    public init(_ a: Matrix<Scalar>) throws {
        guard a.isSquare else { throw LinearAlgebraError.notSquare(rows: a.rows, columns: a.columns) }
        guard a.isFinite else { throw LinearAlgebraError.nonFinite("matrix to decompose") }
        let n = a.rows
        var v = a.symmetrized
        var w = [Scalar](repeating: 0, count: n)
        if n > 0 {
            let info = v.elements.withUnsafeMutableBufferPointer { pv in
                w.withUnsafeMutableBufferPointer { Scalar.syevd(n: n, a: pv.baseAddress!, w: $0.baseAddress!) }
            }
            if info != 0 { throw LinearAlgebraError.lapackFailure(routine: "syevd", info: info) }
        }
        eigenvalues = w
        eigenvectors = v
    }

    /// V diag(f(λ)) Vᵀ: a spectral function of the matrix.
    public func applying(_ f: (Scalar) -> Scalar) -> Matrix<Scalar> {
        var scaled = eigenvectors
        scaled.scaleColumns(by: eigenvalues.map(f))
        return scaled.matmul(eigenvectors, transposeOther: true)
    }
}
