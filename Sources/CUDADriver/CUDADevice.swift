/// One CUDA device with its primary context: the owner of buffers, modules and cuBLAS handles.
///
/// Created only when `CUDARuntime.probe()` says a device is available (otherwise `init` throws the
/// same reason). The primary context is the one the CUDA runtime, and so cuBLAS, uses, which lets the
/// driver-API buffers and kernels and cuBLAS share memory. Every operation makes the context current
/// on the calling thread first, so a device may be used from any thread, but not from two at once:
/// the type is not `Sendable`.
///
/// Kernel launches and products are queued on the default stream, in order; copies to the host wait
/// for everything queued before them, so errors of a kernel surface at the next copy or `synchronize()`.
public final class CUDADevice {
    let api: DriverAPI
    /// The driver's device handle (`CUdevice`).
    let device: Int32
    /// The retained primary context (`CUcontext`).
    let context: OpaquePointer
    public let ordinal: Int
    public let name: String
    public let computeCapability: ComputeCapability

    /// Opens device `ordinal` (default the first) and retains its primary context.
    public init(ordinal: Int = 0) throws(CUDAError) {
        api = try DriverAPI.initialized.get()
        let info = try CUDARuntime.describe(device: ordinal)
        var ctx: OpaquePointer?
        try api.check(api.cuDevicePrimaryCtxRetain(&ctx, info.handle), "cuDevicePrimaryCtxRetain")
        guard let ctx else { throw .invalidArgument("cuDevicePrimaryCtxRetain returned no context") }
        device = info.handle
        context = ctx
        self.ordinal = ordinal
        name = info.name
        computeCapability = info.capability
        try makeCurrent()
    }

    deinit {
        _ = api.cuDevicePrimaryCtxRelease(device)
    }

    /// Makes this device's context the calling thread's current one.
    func makeCurrent() throws(CUDAError) {
        try api.check(api.cuCtxSetCurrent(context), "cuCtxSetCurrent")
    }

    /// Waits for everything queued on the device; reports the first failure of a queued kernel.
    public func synchronize() throws(CUDAError) {
        try makeCurrent()
        try api.check(api.cuCtxSynchronize(), "cuCtxSynchronize")
    }

    /// Total device memory in bytes.
    public func totalMemory() throws(CUDAError) -> Int {
        var bytes = 0
        try api.check(api.cuDeviceTotalMem(&bytes, device), "cuDeviceTotalMem")
        return bytes
    }

    /// An uninitialised buffer of `count` elements.
    public func makeBuffer<Element: BitwiseCopyable>(count: Int, of _: Element.Type = Element.self) throws(CUDAError) -> DeviceBuffer<Element> {
        try DeviceBuffer(device: self, count: count)
    }

    /// A buffer holding a copy of `values`.
    public func makeBuffer<Element: BitwiseCopyable>(_ values: [Element]) throws(CUDAError) -> DeviceBuffer<Element> {
        let buffer = try DeviceBuffer<Element>(device: self, count: values.count)
        try buffer.copy(from: values)
        return buffer
    }

    /// Copies `bytes` bytes from the host to device address `destination`.
    public func copy(fromHost source: UnsafeRawPointer, toDevice destination: UInt64, bytes: Int) throws(CUDAError) {
        guard bytes > 0 else { return }
        try makeCurrent()
        try api.check(api.cuMemcpyHtoD(destination, source, bytes), "cuMemcpyHtoD")
    }

    /// Copies `bytes` bytes from device address `source` to the host (waits for queued work).
    public func copy(fromDevice source: UInt64, toHost destination: UnsafeMutableRawPointer, bytes: Int) throws(CUDAError) {
        guard bytes > 0 else { return }
        try makeCurrent()
        try api.check(api.cuMemcpyDtoH(destination, source, bytes), "cuMemcpyDtoH")
    }

    /// Copies `bytes` bytes between device addresses (queued in order with the kernels).
    public func copy(fromDevice source: UInt64, toDevice destination: UInt64, bytes: Int) throws(CUDAError) {
        guard bytes > 0 else { return }
        try makeCurrent()
        try api.check(api.cuMemcpyDtoD(destination, source, bytes), "cuMemcpyDtoD")
    }

    /// Loads PTX (from `NVRTCCompiler.compile`); the driver JIT-compiles it for this device.
    public func loadModule(ptx: String) throws(CUDAError) -> CUDAModule {
        try CUDAModule(device: self, ptx: ptx)
    }

    /// Compiles `CUDAKernelSource` for this device with NVRTC and loads it with every kernel resolved.
    public func loadKernels(compiler: NVRTCCompiler? = nil) throws(CUDAError) -> CUDAKernels {
        let nvrtc: NVRTCCompiler
        if let compiler { nvrtc = compiler } else { nvrtc = try NVRTCCompiler() }
        let options = CUDAKernelSource.options + [nvrtc.architectureOption(for: computeCapability)]
        let ptx = try nvrtc.compile(source: CUDAKernelSource.text, name: CUDAKernelSource.programName, options: options)
        return try CUDAKernels(module: loadModule(ptx: ptx))
    }
}
