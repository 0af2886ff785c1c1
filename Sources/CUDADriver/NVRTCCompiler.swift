/// CUDA C++ source to PTX at run time, through NVRTC.
///
/// Needs no GPU and no driver: only `libnvrtc.so*` (and its builtins library). The PTX it returns is
/// loaded onto a device by `CUDADevice.loadModule(ptx:)`, which JIT-compiles it for the actual GPU.
public struct NVRTCCompiler: Sendable {
    private let api: NVRTCAPI

    /// Opens NVRTC, or throws `CUDAError.libraryUnavailable` naming every soname tried.
    public init() throws(CUDAError) {
        api = try NVRTCAPI.loaded.get()
    }

    /// Why NVRTC cannot be used in this process, or nil when it can.
    public static var unavailableReason: String? {
        switch NVRTCAPI.loaded {
        case .success: return nil
        case let .failure(error): return error.description
        }
    }

    /// The soname that opened.
    public var libraryName: String { api.library.name }

    /// NVRTC's version (the CUDA toolkit it came with), e.g. (11, 8).
    public var version: (major: Int, minor: Int) {
        var major: Int32 = 0, minor: Int32 = 0
        _ = api.nvrtcVersion(&major, &minor)
        return (Int(major), Int(minor))
    }

    /// The virtual architectures this NVRTC can target, as numbers (52, 60, …, 90), ascending; empty
    /// when NVRTC is too old to say (before 11.2).
    public var supportedArchitectures: [Int] {
        guard let count = api.nvrtcGetNumSupportedArchs, let list = api.nvrtcGetSupportedArchs else { return [] }
        var n: Int32 = 0
        guard count(&n) == 0, n > 0 else { return [] }
        var archs = [Int32](repeating: 0, count: Int(n))
        guard list(&archs) == 0 else { return [] }
        return archs.map(Int.init).sorted()
    }

    /// The architecture option for a device: its own `compute_XY` when this NVRTC supports it, else the
    /// newest one this NVRTC supports below it (PTX is forward-compatible: the driver JIT-compiles it).
    public func architectureOption(for capability: ComputeCapability) -> String {
        let archs = supportedArchitectures
        let target = archs.isEmpty ? capability.number : (archs.last { $0 <= capability.number } ?? archs[0])
        return "--gpu-architecture=compute_\(target)"
    }

    /// Compiles `source` (named `name` in diagnostics) with `options` (NVRTC's command-line flags) and
    /// returns the PTX text. A rejected program throws `CUDAError.compilationFailed` with the full log.
    public func compile(source: String, name: String, options: [String] = []) throws(CUDAError) -> String {
        var program: NVRTCAPI.Program?
        try api.check(api.nvrtcCreateProgram(&program, source, name, 0, nil, nil), "nvrtcCreateProgram")
        defer { _ = api.nvrtcDestroyProgram(&program) }

        let status = withCStringArray(options) { api.nvrtcCompileProgram(program, Int32(options.count), $0) }
        if status != 0 {
            let log = self.log(program)
            // NVRTC_ERROR_COMPILATION (6) is a rejected program; anything else is a failed call.
            if status == 6 { throw .compilationFailed(program: name, log: log) }
            try api.check(status, "nvrtcCompileProgram")
        }
        var size = 0
        try api.check(api.nvrtcGetPTXSize(program, &size), "nvrtcGetPTXSize")
        var ptx = [CChar](repeating: 0, count: max(size, 1))
        try api.check(api.nvrtcGetPTX(program, &ptx), "nvrtcGetPTX")
        return ptx.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The compilation log of `program` (empty when NVRTC has none).
    private func log(_ program: NVRTCAPI.Program?) -> String {
        var size = 0
        guard api.nvrtcGetProgramLogSize(program, &size) == 0, size > 1 else { return "" }
        var text = [CChar](repeating: 0, count: size)
        guard api.nvrtcGetProgramLog(program, &text) == 0 else { return "" }
        return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

/// Calls `body` with a C array of C strings (`const char *const *`) that lives for the call.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let copies = strings.map { s -> UnsafeMutablePointer<CChar> in
        let utf8 = Array(s.utf8CString)
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        p.initialize(from: utf8, count: utf8.count)
        return p
    }
    defer { for p in copies { p.deallocate() } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}
