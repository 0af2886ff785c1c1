/// The Cholesky factor L (Σ = L Lᵀ) of a symmetric positive-definite matrix, for SPD solves,
/// log-determinants and correlated Gaussian draws.
public struct Cholesky<Scalar: BLASScalar>: Sendable {
    /// Lower-triangular factor; the strict upper triangle is zero.
    public let lower: Matrix<Scalar>

    public init(_ a: Matrix<Scalar>) throws {
        guard a.isSquare else { throw LinearAlgebraError.notSquare(rows: a.rows, columns: a.columns) }
        guard a.isFinite else { throw LinearAlgebraError.nonFinite("matrix to factor") }
        var f = a.symmetrized
        let n = a.rows
        let info = f.elements.withUnsafeMutableBufferPointer { Scalar.potrf(n: n, a: $0.baseAddress!) }
        if info > 0 { throw LinearAlgebraError.notPositiveDefinite(leadingMinor: Int(info)) }
        if info < 0 { throw LinearAlgebraError.lapackFailure(routine: "potrf", info: info) }
        for i in 0..<n { for j in (i + 1)..<Swift.max(n, i + 1) { f[i, j] = 0 } }
        lower = f
    }

    public var dimension: Int { lower.rows }

    /// Solves A X = B for every column of B.
    public func solve(_ b: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(b.rows == dimension, "right-hand side has \(b.rows) rows, system has \(dimension)")
        var x = b
        if b.columns == 0 || dimension == 0 { return x }
        let info = lower.elements.withUnsafeBufferPointer { l in
            x.elements.withUnsafeMutableBufferPointer { Scalar.potrs(n: dimension, nrhs: b.columns, a: l.baseAddress!, b: $0.baseAddress!) }
        }
        precondition(info == 0, "potrs failed with info = \(info) on a valid factor")
        return x
    }

    /// Solves A x = b.
    public func solve(_ b: [Scalar]) -> [Scalar] {
        solve(Matrix(rows: b.count, columns: 1, elements: b)).elements
    }

    /// The inverse A⁻¹ (only where a whole inverse is needed, for example a covariance in a report).
    public var inverse: Matrix<Scalar> { solve(Matrix.identity(dimension)) }

    /// log det A = 2 Σ log Lᵢᵢ.
    public var logDeterminant: Scalar { 2 * lower.diagonal.reduce(0) { $0 + Scalar.log($1) } }
}
