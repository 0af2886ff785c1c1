/// NVRTC, NVIDIA's run-time CUDA C++ compiler (`libnvrtc.so*`), declared by hand and bound with `dlsym`.
///
/// NVRTC's soname carries its major version (and, for 11.x, "11.2" for every 11.2–11.8 release), so a
/// list of names is tried; the unversioned name comes first (a CUDA toolkit's development symlink).
/// NVRTC compiles without a GPU or a driver, which is what lets the kernels be checked on any machine.
final class NVRTCAPI: @unchecked Sendable {
    typealias Program = OpaquePointer

    let library: DynamicLibrary
    let nvrtcVersion: @convention(c) (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>) -> Int32
    let nvrtcGetErrorString: @convention(c) (Int32) -> UnsafePointer<CChar>?
    /// (program out, source, name, header count, headers, include names).
    let nvrtcCreateProgram: @convention(c) (UnsafeMutablePointer<Program?>, UnsafePointer<CChar>, UnsafePointer<CChar>?, Int32,
                                            UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?) -> Int32
    let nvrtcCompileProgram: @convention(c) (Program?, Int32, UnsafePointer<UnsafePointer<CChar>?>?) -> Int32
    let nvrtcGetProgramLogSize: @convention(c) (Program?, UnsafeMutablePointer<Int>) -> Int32
    let nvrtcGetProgramLog: @convention(c) (Program?, UnsafeMutablePointer<CChar>) -> Int32
    let nvrtcGetPTXSize: @convention(c) (Program?, UnsafeMutablePointer<Int>) -> Int32
    let nvrtcGetPTX: @convention(c) (Program?, UnsafeMutablePointer<CChar>) -> Int32
    let nvrtcDestroyProgram: @convention(c) (UnsafeMutablePointer<Program?>) -> Int32
    /// NVRTC ≥ 11.2 lists the virtual architectures it can target; older ones do not.
    let nvrtcGetNumSupportedArchs: (@convention(c) (UnsafeMutablePointer<Int32>) -> Int32)?
    let nvrtcGetSupportedArchs: (@convention(c) (UnsafeMutablePointer<Int32>) -> Int32)?

    /// The sonames tried, in order (newest first after the unversioned development name).
    static let sonames = [
        "libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so.11.1", "libnvrtc.so.11.0",
        "libnvrtc.so.10.2", "/usr/local/cuda/lib64/libnvrtc.so",
    ]

    private init(_ lib: DynamicLibrary) throws(CUDAError) {
        library = lib
        nvrtcVersion = try lib.function("nvrtcVersion")
        nvrtcGetErrorString = try lib.function("nvrtcGetErrorString")
        nvrtcCreateProgram = try lib.function("nvrtcCreateProgram")
        nvrtcCompileProgram = try lib.function("nvrtcCompileProgram")
        nvrtcGetProgramLogSize = try lib.function("nvrtcGetProgramLogSize")
        nvrtcGetProgramLog = try lib.function("nvrtcGetProgramLog")
        nvrtcGetPTXSize = try lib.function("nvrtcGetPTXSize")
        nvrtcGetPTX = try lib.function("nvrtcGetPTX")
        nvrtcDestroyProgram = try lib.function("nvrtcDestroyProgram")
        nvrtcGetNumSupportedArchs = lib.optionalFunction("nvrtcGetNumSupportedArchs")
        nvrtcGetSupportedArchs = lib.optionalFunction("nvrtcGetSupportedArchs")
    }

    /// NVRTC opened and bound, once per process.
    static let loaded: Result<NVRTCAPI, CUDAError> = Result { () throws(CUDAError) in
        try NVRTCAPI(DynamicLibrary("NVRTC", candidates: sonames))
    }

    /// Throws `CUDAError.nvrtc` unless `result` is `NVRTC_SUCCESS`.
    @inline(__always)
    func check(_ result: Int32, _ function: @autoclosure () -> String) throws(CUDAError) {
        if result != 0 {
            let message = nvrtcGetErrorString(result).map { String(cString: $0) } ?? "nvrtcResult"
            throw .nvrtc(function: function(), code: result, message: message)
        }
    }
}
