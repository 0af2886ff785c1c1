/// Matrix products, all through BLAS: one `gemm` per batched linear map.
extension Matrix {
    /// op(self) · op(other), where op transposes when asked.
    @inlinable
    public func matmul(_ other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false) -> Matrix {
        let m = transposeSelf ? columns : rows
        let k = transposeSelf ? rows : columns
        let k2 = transposeOther ? other.columns : other.rows
        let n = transposeOther ? other.rows : other.columns
        precondition(k == k2, "matmul inner dimensions differ: \(shape)\(transposeSelf ? "ᵀ" : "") · \(other.shape)\(transposeOther ? "ᵀ" : "")")
        var out = Matrix(rows: m, columns: n)
        Matrix.gemm(self, transposeA: transposeSelf, other, transposeB: transposeOther, into: &out)
        return out
    }

    /// C ← alpha·op(A)·op(B) + beta·C without allocating: the hot-loop form.
    @inlinable
    public static func gemm(
        _ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
        alpha: Scalar = 1, beta: Scalar = 0, into c: inout Matrix
    ) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let n = transposeB ? b.rows : b.columns
        precondition((transposeB ? b.columns : b.rows) == k, "gemm inner dimensions differ: \(a.shape) · \(b.shape)")
        precondition(c.rows == m && c.columns == n, "gemm output is \(c.shape), product is \(m)×\(n)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            c.elements.withUnsafeMutableBufferPointer { o in for i in 0..<o.count { o[i] *= beta } }
            return
        }
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    Scalar.gemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k, alpha: alpha,
                                a: pa.baseAddress!, lda: a.columns, b: pb.baseAddress!, ldb: b.columns,
                                beta: beta, c: pc.baseAddress!, ldc: c.columns)
                }
            }
        }
    }

    /// self · v (or selfᵀ · v).
    @inlinable
    public func times(_ v: [Scalar], transposed: Bool = false) -> [Scalar] {
        let (m, n) = (rows, columns)
        precondition(v.count == (transposed ? m : n), "matrix \(shape)\(transposed ? "ᵀ" : "") times vector of length \(v.count)")
        var y = [Scalar](repeating: 0, count: transposed ? n : m)
        if m == 0 || n == 0 { return y }
        elements.withUnsafeBufferPointer { pa in
            v.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    Scalar.gemv(trans: transposed, m: m, n: n, alpha: 1, a: pa.baseAddress!, lda: n,
                                x: px.baseAddress!, beta: 0, y: py.baseAddress!)
                }
            }
        }
        return y
    }

    /// vᵀ · self · w.
    @inlinable
    public func bilinear(_ v: [Scalar], _ w: [Scalar]) -> Scalar { Vectors.dot(v, times(w)) }

    @inlinable
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.matmul(rhs) }

    /// Outer product u vᵀ.
    public static func outer(_ u: [Scalar], _ v: [Scalar]) -> Matrix {
        Matrix(rows: u.count, columns: v.count) { i, j in u[i] * v[j] }
    }
}
