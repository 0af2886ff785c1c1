/// A cuBLAS handle on a device, and row-major products with the CPU's `gemm` convention.
///
/// cuBLAS is column-major. A row-major m×n matrix is, in the same memory, the column-major n×m
/// transpose, so row-major C = op(A)·op(B) is computed as column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: the
/// operands and m, n are swapped and the leading dimensions passed unchanged (`RowMajorGemm`). With
/// that, `gemm` takes exactly the arguments of `BLASScalar.gemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`.
public final class CUBLASHandle {
    public let device: CUDADevice
    let api: CUBLASAPI
    let handle: OpaquePointer

    /// Opens cuBLAS (or throws `libraryUnavailable` naming the sonames tried) and creates a handle.
    public init(device: CUDADevice) throws(CUDAError) {
        api = try CUBLASAPI.loaded.get()
        self.device = device
        try device.makeCurrent()
        var h: OpaquePointer?
        try api.check(api.cublasCreate(&h), "cublasCreate_v2")
        guard let h else { throw .invalidArgument("cublasCreate_v2 returned no handle") }
        handle = h
    }

    deinit {
        _ = device.api.cuCtxSetCurrent(device.context)
        _ = api.cublasDestroy(handle)
    }

    /// Row-major C (m×n) = α·op(A)·op(B) + β·C, op(A) m×k and op(B) k×n, leading dimensions in elements.
    public func gemm<T: CUDAScalar>(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: T, a: DevicePointer<T>, lda: Int,
                                    b: DevicePointer<T>, ldb: Int, beta: T, c: DevicePointer<T>, ldc: Int) throws(CUDAError) {
        guard let call = RowMajorGemm(transA: transA, transB: transB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc) else {
            throw .invalidArgument("gemm sizes m \(m), n \(n), k \(k), lda \(lda), ldb \(ldb), ldc \(ldc) are negative or exceed Int32")
        }
        guard m > 0 && n > 0 else { return }
        try device.makeCurrent()
        let (first, second) = (b.address, a.address)   // cuBLAS's first operand is the row-major B
        let status: Int32
        if T.self == Float.self {
            var (al, be) = (alpha as! Float, beta as! Float)
            status = api.cublasSgemm(handle, call.op1, call.op2, call.m, call.n, call.k, &al, .init(bitPattern: UInt(first)), call.ld1,
                                     .init(bitPattern: UInt(second)), call.ld2, &be, .init(bitPattern: UInt(c.address)), call.ldc)
        } else {
            var (al, be) = (alpha as! Double, beta as! Double)
            status = api.cublasDgemm(handle, call.op1, call.op2, call.m, call.n, call.k, &al, .init(bitPattern: UInt(first)), call.ld1,
                                     .init(bitPattern: UInt(second)), call.ld2, &be, .init(bitPattern: UInt(c.address)), call.ldc)
        }
        try api.check(status, T.self == Float.self ? "cublasSgemm_v2" : "cublasDgemm_v2")
    }
}

/// The column-major cuBLAS call that computes a row-major product: (opB, opA, n, m, k, B, ldb, A, lda, C, ldc).
struct RowMajorGemm: Equatable {
    /// cuBLAS's first operation and operand (op(B) of the row-major product).
    let op1: Int32
    let ld1: Int32
    /// cuBLAS's second operation and operand (op(A)).
    let op2: Int32
    let ld2: Int32
    let m: Int32, n: Int32, k: Int32, ldc: Int32

    /// nil when a size is negative or does not fit cuBLAS's `int`.
    init?(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int) {
        let all = [m, n, k, lda, ldb, ldc]
        guard all.allSatisfy({ $0 >= 0 && $0 <= Int(Int32.max) }) else { return nil }
        op1 = transB ? CUBLASAPI.transpose : CUBLASAPI.noTranspose
        op2 = transA ? CUBLASAPI.transpose : CUBLASAPI.noTranspose
        ld1 = Int32(ldb)
        ld2 = Int32(lda)
        self.m = Int32(n)
        self.n = Int32(m)
        self.k = Int32(k)
        self.ldc = Int32(ldc)
    }
}
