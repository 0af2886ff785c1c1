/// The CUDA driver API (`libcuda.so.1`), declared by hand and bound with `dlsym`.
///
/// Only the handful of entry points the backend uses. Types follow `cuda.h` (CUDA ≥ 11): `CUresult`,
/// `CUdevice` and enum arguments are 32-bit ints, `CUdeviceptr` is 64-bit, handles are opaque
/// pointers, sizes are `size_t`. Versioned names (`_v2`) are the ones `cuda.h` maps the plain names
/// to. The table is loaded once per process (`DriverAPI.initialized`), and `cuInit` is called once.
final class DriverAPI: @unchecked Sendable {
    typealias Result32 = Int32
    typealias Handle = OpaquePointer

    let library: DynamicLibrary
    let cuInit: @convention(c) (UInt32) -> Result32
    let cuDriverGetVersion: @convention(c) (UnsafeMutablePointer<Int32>) -> Result32
    let cuDeviceGetCount: @convention(c) (UnsafeMutablePointer<Int32>) -> Result32
    let cuDeviceGet: @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Result32
    let cuDeviceGetName: @convention(c) (UnsafeMutablePointer<CChar>, Int32, Int32) -> Result32
    let cuDeviceGetAttribute: @convention(c) (UnsafeMutablePointer<Int32>, Int32, Int32) -> Result32
    let cuDeviceTotalMem: @convention(c) (UnsafeMutablePointer<Int>, Int32) -> Result32
    let cuDevicePrimaryCtxRetain: @convention(c) (UnsafeMutablePointer<Handle?>, Int32) -> Result32
    let cuDevicePrimaryCtxRelease: @convention(c) (Int32) -> Result32
    let cuCtxSetCurrent: @convention(c) (Handle?) -> Result32
    let cuCtxSynchronize: @convention(c) () -> Result32
    let cuMemAlloc: @convention(c) (UnsafeMutablePointer<UInt64>, Int) -> Result32
    let cuMemFree: @convention(c) (UInt64) -> Result32
    let cuMemcpyHtoD: @convention(c) (UInt64, UnsafeRawPointer, Int) -> Result32
    let cuMemcpyDtoH: @convention(c) (UnsafeMutableRawPointer, UInt64, Int) -> Result32
    let cuMemcpyDtoD: @convention(c) (UInt64, UInt64, Int) -> Result32
    let cuMemsetD8: @convention(c) (UInt64, UInt8, Int) -> Result32
    let cuModuleLoadData: @convention(c) (UnsafeMutablePointer<Handle?>, UnsafeRawPointer) -> Result32
    let cuModuleUnload: @convention(c) (Handle?) -> Result32
    let cuModuleGetFunction: @convention(c) (UnsafeMutablePointer<Handle?>, Handle?, UnsafePointer<CChar>) -> Result32
    /// (function, grid x, y, z, block x, y, z, shared bytes, stream, kernel parameters, extra).
    let cuLaunchKernel: @convention(c) (Handle?, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, Handle?,
                                        UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                                        UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Result32
    let cuGetErrorName: @convention(c) (Result32, UnsafeMutablePointer<UnsafePointer<CChar>?>) -> Result32

    /// The sonames tried, in order: the driver's ABI name first (what the NVIDIA driver installs).
    static let sonames = ["libcuda.so.1", "libcuda.so"]

    /// `CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR` / `_MINOR`.
    static let attributeComputeCapabilityMajor: Int32 = 75
    static let attributeComputeCapabilityMinor: Int32 = 76

    private init(_ lib: DynamicLibrary) throws(CUDAError) {
        library = lib
        cuInit = try lib.function("cuInit")
        cuDriverGetVersion = try lib.function("cuDriverGetVersion")
        cuDeviceGetCount = try lib.function("cuDeviceGetCount")
        cuDeviceGet = try lib.function("cuDeviceGet")
        cuDeviceGetName = try lib.function("cuDeviceGetName")
        cuDeviceGetAttribute = try lib.function("cuDeviceGetAttribute")
        cuDeviceTotalMem = try lib.function(firstOf: ["cuDeviceTotalMem_v2", "cuDeviceTotalMem"])
        cuDevicePrimaryCtxRetain = try lib.function("cuDevicePrimaryCtxRetain")
        cuDevicePrimaryCtxRelease = try lib.function(firstOf: ["cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease"])
        cuCtxSetCurrent = try lib.function("cuCtxSetCurrent")
        cuCtxSynchronize = try lib.function("cuCtxSynchronize")
        cuMemAlloc = try lib.function("cuMemAlloc_v2")
        cuMemFree = try lib.function("cuMemFree_v2")
        cuMemcpyHtoD = try lib.function("cuMemcpyHtoD_v2")
        cuMemcpyDtoH = try lib.function("cuMemcpyDtoH_v2")
        cuMemcpyDtoD = try lib.function("cuMemcpyDtoD_v2")
        cuMemsetD8 = try lib.function("cuMemsetD8_v2")
        cuModuleLoadData = try lib.function("cuModuleLoadData")
        cuModuleUnload = try lib.function("cuModuleUnload")
        cuModuleGetFunction = try lib.function("cuModuleGetFunction")
        cuLaunchKernel = try lib.function("cuLaunchKernel")
        cuGetErrorName = try lib.function("cuGetErrorName")
    }

    /// The driver library opened and bound (no call into it yet).
    static let loaded: Result<DriverAPI, CUDAError> = Result { () throws(CUDAError) in
        try DriverAPI(DynamicLibrary("CUDA driver library", candidates: sonames))
    }

    /// The driver bound and `cuInit(0)` done: the entry point for everything else.
    static let initialized: Result<DriverAPI, CUDAError> = loaded.flatMap { api in
        Result { () throws(CUDAError) in
            try api.check(api.cuInit(0), "cuInit")
            return api
        }
    }

    /// `CUDA_ERROR_…` for a result code, if the driver knows it.
    func errorName(_ code: Result32) -> String? {
        var p: UnsafePointer<CChar>?
        guard cuGetErrorName(code, &p) == 0, let p else { return nil }
        return String(cString: p)
    }

    /// Throws `CUDAError.driver` unless `result` is `CUDA_SUCCESS`.
    @inline(__always)
    func check(_ result: Result32, _ function: @autoclosure () -> String) throws(CUDAError) {
        if result != 0 { throw .driver(function: function(), code: result, name: errorName(result)) }
    }
}
