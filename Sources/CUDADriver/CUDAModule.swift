/// A PTX module loaded into a device's context (`cuModuleLoadData`), unloaded when released.
public final class CUDAModule {
    public let device: CUDADevice
    let handle: OpaquePointer

    init(device: CUDADevice, ptx: String) throws(CUDAError) {
        self.device = device
        try device.makeCurrent()
        var module: OpaquePointer?
        let result = ptx.withCString { device.api.cuModuleLoadData(&module, $0) }
        // CUDA_ERROR_UNSUPPORTED_PTX_VERSION (222) here means NVRTC is newer than the driver.
        try device.api.check(result, "cuModuleLoadData")
        guard let module else { throw .invalidArgument("cuModuleLoadData returned no module") }
        handle = module
    }

    deinit {
        _ = device.api.cuCtxSetCurrent(device.context)
        _ = device.api.cuModuleUnload(handle)
    }

    /// The `extern "C"` kernel `name` of this module.
    public func function(named name: String) throws(CUDAError) -> CUDAFunction {
        try device.makeCurrent()
        var f: OpaquePointer?
        try device.api.check(device.api.cuModuleGetFunction(&f, handle, name), "cuModuleGetFunction(\(name))")
        guard let f else { throw .invalidArgument("cuModuleGetFunction returned no function for \(name)") }
        return CUDAFunction(module: self, handle: f, name: name)
    }
}

/// One kernel of a loaded module, and its launch.
public struct CUDAFunction {
    /// Keeps the module (and so the function) alive.
    public let module: CUDAModule
    let handle: OpaquePointer
    public let name: String

    /// The threads per block `launch(elements:)` uses.
    public static let defaultBlockSize = 256
    /// The most blocks `launch(elements:)` starts; grid-stride loops cover the rest.
    public static let maximumGridSize = 65_536

    /// Queues the kernel on the default stream with `arguments` in the order of its C parameters.
    public func launch(grid: (x: Int, y: Int, z: Int), block: (x: Int, y: Int, z: Int), sharedMemoryBytes: Int = 0,
                       arguments: [KernelArgument]) throws(CUDAError) {
        let device = module.device
        try device.makeCurrent()
        // Each value in its own 8-byte slot; cuLaunchKernel reads one pointer per parameter.
        let storage = UnsafeMutableRawPointer.allocate(byteCount: max(arguments.count, 1) * 8, alignment: 8)
        defer { storage.deallocate() }
        var pointers = [UnsafeMutableRawPointer?](repeating: nil, count: arguments.count)
        for (i, argument) in arguments.enumerated() {
            let slot = storage + 8 * i
            argument.store(at: slot)
            pointers[i] = slot
        }
        let result = pointers.withUnsafeMutableBufferPointer { params in
            device.api.cuLaunchKernel(handle, UInt32(grid.x), UInt32(grid.y), UInt32(grid.z), UInt32(block.x), UInt32(block.y),
                                      UInt32(block.z), UInt32(sharedMemoryBytes), nil, params.baseAddress, nil)
        }
        try device.api.check(result, "cuLaunchKernel(\(name))")
    }

    /// Queues a one-dimensional launch over `elements` work items (the kernels' grid-stride loops).
    /// Nothing is launched for zero elements.
    public func launch(elements: Int, blockSize: Int = defaultBlockSize, arguments: [KernelArgument]) throws(CUDAError) {
        guard elements > 0 else { return }
        let blocks = min((elements + blockSize - 1) / blockSize, Self.maximumGridSize)
        try launch(grid: (blocks, 1, 1), block: (blockSize, 1, 1), arguments: arguments)
    }
}
