/// cuBLAS (`libcublas.so*`), declared by hand and bound with `dlsym`: handle creation and the two
/// dense products the network needs. The `_v2` entry points are the ones `cublas_v2.h` maps to; with
/// the default (host) pointer mode, α and β are read from host memory.
final class CUBLASAPI: @unchecked Sendable {
    typealias Handle = OpaquePointer

    let library: DynamicLibrary
    let cublasCreate: @convention(c) (UnsafeMutablePointer<Handle?>) -> Int32
    let cublasDestroy: @convention(c) (Handle?) -> Int32
    /// (handle, transa, transb, m, n, k, α, A, lda, B, ldb, β, C, ldc), column-major.
    let cublasSgemm: @convention(c) (Handle?, Int32, Int32, Int32, Int32, Int32, UnsafePointer<Float>, UnsafePointer<Float>?, Int32,
                                     UnsafePointer<Float>?, Int32, UnsafePointer<Float>, UnsafeMutablePointer<Float>?, Int32) -> Int32
    let cublasDgemm: @convention(c) (Handle?, Int32, Int32, Int32, Int32, Int32, UnsafePointer<Double>, UnsafePointer<Double>?, Int32,
                                     UnsafePointer<Double>?, Int32, UnsafePointer<Double>, UnsafeMutablePointer<Double>?, Int32) -> Int32

    /// `CUBLAS_OP_N` and `CUBLAS_OP_T`.
    static let noTranspose: Int32 = 0
    static let transpose: Int32 = 1

    static let sonames = [
        "libcublas.so", "libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "/usr/local/cuda/lib64/libcublas.so",
    ]

    private init(_ lib: DynamicLibrary) throws(CUDAError) {
        library = lib
        cublasCreate = try lib.function("cublasCreate_v2")
        cublasDestroy = try lib.function("cublasDestroy_v2")
        cublasSgemm = try lib.function("cublasSgemm_v2")
        cublasDgemm = try lib.function("cublasDgemm_v2")
    }

    /// cuBLAS opened and bound, once per process.
    static let loaded: Result<CUBLASAPI, CUDAError> = Result { () throws(CUDAError) in
        try CUBLASAPI(DynamicLibrary("cuBLAS", candidates: sonames))
    }

    /// Throws `CUDAError.cublas` unless `status` is `CUBLAS_STATUS_SUCCESS`.
    @inline(__always)
    func check(_ status: Int32, _ function: @autoclosure () -> String) throws(CUDAError) {
        if status != 0 { throw .cublas(function: function(), status: status) }
    }
}
