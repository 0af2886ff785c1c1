/// The process-wide entry to the CUDA driver: whether a device is there, without ever trapping.
public enum CUDARuntime {
    /// Opens the driver library, initialises it and describes device `ordinal` (default the first).
    ///
    /// Never throws and never crashes: a missing `libcuda.so.1` (no NVIDIA driver), a failing `cuInit`
    /// (for example `CUDA_ERROR_NO_DEVICE` in a container without the GPU passed through) or no device
    /// all come back as `.unavailable` with the reason.
    public static func probe(device ordinal: Int = 0) -> CUDAAvailability {
        do {
            let info = try describe(device: ordinal)
            return .available(deviceName: info.name, computeCapability: info.capability,
                              supportsDouble: info.capability.supportsDouble)
        } catch {
            return .unavailable(reason: error.description)
        }
    }

    /// The driver's CUDA version as (major, minor), e.g. (12, 4), if the driver loads.
    public static func driverVersion() throws(CUDAError) -> (major: Int, minor: Int) {
        let api = try DriverAPI.initialized.get()
        var v: Int32 = 0
        try api.check(api.cuDriverGetVersion(&v), "cuDriverGetVersion")
        return (Int(v) / 1000, Int(v) % 1000 / 10)
    }

    /// The number of CUDA devices the driver sees.
    public static func deviceCount() throws(CUDAError) -> Int {
        let api = try DriverAPI.initialized.get()
        var n: Int32 = 0
        try api.check(api.cuDeviceGetCount(&n), "cuDeviceGetCount")
        return Int(n)
    }

    /// Name, compute capability and driver handle of device `ordinal`.
    static func describe(device ordinal: Int) throws(CUDAError) -> (name: String, capability: ComputeCapability, handle: Int32) {
        let api = try DriverAPI.initialized.get()
        let count = try deviceCount()
        guard count > 0 else { throw .invalidArgument("the CUDA driver loaded but reports no device") }
        guard ordinal >= 0 && ordinal < count else {
            throw .invalidArgument("CUDA device \(ordinal) requested, the driver reports \(count) device(s)")
        }
        var device: Int32 = 0
        try api.check(api.cuDeviceGet(&device, Int32(ordinal)), "cuDeviceGet")
        var buffer = [CChar](repeating: 0, count: 256)
        try api.check(api.cuDeviceGetName(&buffer, Int32(buffer.count - 1), device), "cuDeviceGetName")
        let name = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var major: Int32 = 0, minor: Int32 = 0
        try api.check(api.cuDeviceGetAttribute(&major, DriverAPI.attributeComputeCapabilityMajor, device), "cuDeviceGetAttribute")
        try api.check(api.cuDeviceGetAttribute(&minor, DriverAPI.attributeComputeCapabilityMinor, device), "cuDeviceGetAttribute")
        return (name, ComputeCapability(major: Int(major), minor: Int(minor)), device)
    }
}
