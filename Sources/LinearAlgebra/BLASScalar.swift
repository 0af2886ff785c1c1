import COpenBLAS
import CLapacke

/// A floating-point type that BLAS and LAPACK compute in: `Double` (d-routines) or `Float` (s-routines).
///
/// The requirements are the handful of kernels the rest of the package needs, each a thin pass-through
/// to the C routine of the matching precision, so that generic code picks the right routine statically.
public protocol BLASScalar: BinaryFloatingPoint, Sendable, Codable, BitwiseCopyable where Self.RawSignificand: FixedWidthInteger {
    /// C ← alpha·op(A)·op(B) + beta·C, row-major.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// y ← alpha·op(A)·x + beta·y, row-major.
    static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)
    /// Symmetric eigendecomposition in place (row-major, upper triangle); eigenvalues ascending. Returns LAPACK info.
    static func syevd(n: Int, a: UnsafeMutablePointer<Self>, w: UnsafeMutablePointer<Self>) -> Int32
    /// Cholesky factor (lower) in place. Returns LAPACK info.
    static func potrf(n: Int, a: UnsafeMutablePointer<Self>) -> Int32
    /// Solve with a Cholesky factor from `potrf`. Returns LAPACK info.
    static func potrs(n: Int, nrhs: Int, a: UnsafePointer<Self>, b: UnsafeMutablePointer<Self>) -> Int32
    /// Householder QR in place. Returns LAPACK info.
    static func geqrf(m: Int, n: Int, a: UnsafeMutablePointer<Self>, tau: UnsafeMutablePointer<Self>) -> Int32
    /// Forms the thin Q from `geqrf` output in place. Returns LAPACK info.
    static func orgqr(m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Self>, tau: UnsafePointer<Self>) -> Int32
    /// Natural logarithm, square root and trigonometry used by samplers, routed to libm for this precision.
    static func log(_ x: Self) -> Self
    static func exp(_ x: Self) -> Self
    static func sqrt(_ x: Self) -> Self
    static func cos(_ x: Self) -> Self
    /// A stable name for outputs ("float64" / "float32").
    static var dtypeName: String { get }
}

@inline(__always) private func cblasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Double: BLASScalar {
    @inlinable public static var dtypeName: String { "float64" }
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB), blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    public static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
    ) {
        cblas_dgemv(CblasRowMajor, cblasTranspose(trans), blasint(m), blasint(n), alpha, a, blasint(lda), x, 1, beta, y, 1)
    }
    public static func syevd(n: Int, a: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dsyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")), Int32(n), a, Int32(n), w)
    }
    public static func potrf(n: Int, a: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), a, Int32(n))
    }
    public static func potrs(n: Int, nrhs: Int, a: UnsafePointer<Double>, b: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dpotrs(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), Int32(nrhs), a, Int32(n), b, Int32(nrhs))
    }
    public static func geqrf(m: Int, n: Int, a: UnsafeMutablePointer<Double>, tau: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, Int32(m), Int32(n), a, Int32(n), tau)
    }
    public static func orgqr(m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Double>, tau: UnsafePointer<Double>) -> Int32 {
        LAPACKE_dorgqr(LAPACK_ROW_MAJOR, Int32(m), Int32(n), Int32(k), a, Int32(n), tau)
    }
    @inlinable public static func log(_ x: Double) -> Double { _log(x) }
    @inlinable public static func exp(_ x: Double) -> Double { _exp(x) }
    @inlinable public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
    @inlinable public static func cos(_ x: Double) -> Double { _cos(x) }
}

extension Float: BLASScalar {
    @inlinable public static var dtypeName: String { "float32" }
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB), blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    public static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(CblasRowMajor, cblasTranspose(trans), blasint(m), blasint(n), alpha, a, blasint(lda), x, 1, beta, y, 1)
    }
    public static func syevd(n: Int, a: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_ssyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")), Int32(n), a, Int32(n), w)
    }
    public static func potrf(n: Int, a: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_spotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), a, Int32(n))
    }
    public static func potrs(n: Int, nrhs: Int, a: UnsafePointer<Float>, b: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_spotrs(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), Int32(nrhs), a, Int32(n), b, Int32(nrhs))
    }
    public static func geqrf(m: Int, n: Int, a: UnsafeMutablePointer<Float>, tau: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_sgeqrf(LAPACK_ROW_MAJOR, Int32(m), Int32(n), a, Int32(n), tau)
    }
    public static func orgqr(m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Float>, tau: UnsafePointer<Float>) -> Int32 {
        LAPACKE_sorgqr(LAPACK_ROW_MAJOR, Int32(m), Int32(n), Int32(k), a, Int32(n), tau)
    }
    @inlinable public static func log(_ x: Float) -> Float { Float(_log(Double(x))) }
    @inlinable public static func exp(_ x: Float) -> Float { Float(_exp(Double(x))) }
    @inlinable public static func sqrt(_ x: Float) -> Float { x.squareRoot() }
    @inlinable public static func cos(_ x: Float) -> Float { Float(_cos(Double(x))) }
}
