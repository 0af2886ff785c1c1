/// Thin QR decomposition A = Q R (A is m×n with m ≥ n; Q is m×n with orthonormal columns, R is n×n upper).
public struct QRDecomposition<Scalar: BLASScalar>: Sendable {
    public let q: Matrix<Scalar>
    public let r: Matrix<Scalar>

    public init(_ a: Matrix<Scalar>) throws {
        let (m, n) = (a.rows, a.columns)
        guard m >= n else { throw LinearAlgebraError.shapeMismatch("thin QR needs rows ≥ columns, got \(m)×\(n)") }
        guard a.isFinite else { throw LinearAlgebraError.nonFinite("matrix to factor") }
        var f = a
        var tau = [Scalar](repeating: 0, count: n)
        if n > 0 {
            let info = f.elements.withUnsafeMutableBufferPointer { pf in
                tau.withUnsafeMutableBufferPointer { Scalar.geqrf(m: m, n: n, a: pf.baseAddress!, tau: $0.baseAddress!) }
            }
            if info != 0 { throw LinearAlgebraError.lapackFailure(routine: "geqrf", info: info) }
        }
        var r = Matrix<Scalar>(rows: n, columns: n)
        for i in 0..<n { for j in i..<n { r[i, j] = f[i, j] } }
        if n > 0 {
            let info = f.elements.withUnsafeMutableBufferPointer { pf in
                tau.withUnsafeBufferPointer { Scalar.orgqr(m: m, n: n, k: n, a: pf.baseAddress!, tau: $0.baseAddress!) }
            }
            if info != 0 { throw LinearAlgebraError.lapackFailure(routine: "orgqr", info: info) }
        }
        q = f
        self.r = r
    }
}

extension Matrix {
    /// The Haar-distributed orthonormal frame made from a matrix of i.i.d. standard normals: the Q of its QR
    /// with the signs of diag(R) folded into Q's columns, so that R has a positive diagonal and Q is
    /// uniformly distributed (Mezzadri, "How to generate random matrices from the classical compact groups").
    public static func haarOrthonormal(fromGaussian g: Matrix) throws -> Matrix {
        let qr = try QRDecomposition(g)
        var q = qr.q
        q.scaleColumns(by: qr.r.diagonal.map { $0 < 0 ? -1 : 1 })
        return q
    }
}
