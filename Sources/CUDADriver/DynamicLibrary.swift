#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A shared library opened at run time with `dlopen`, and typed look-ups of its C functions.
///
/// The CUDA backend links against nothing CUDA at build time: the driver, NVRTC and cuBLAS are found
/// by their sonames when first needed, so the package builds and its CPU paths run on machines without
/// CUDA. A library, once opened, stays open for the life of the process (its function pointers are
/// held in process-wide tables), so there is no `dlclose`.
struct DynamicLibrary: @unchecked Sendable {
    /// The name that opened (one of the candidates).
    let name: String
    /// What `dlopen` returned; never closed.
    private let handle: UnsafeMutableRawPointer

    /// Opens the first of `candidates` that `dlopen` accepts (in order), or throws
    /// `CUDAError.libraryUnavailable` naming every candidate and the last `dlerror` message.
    init(_ library: String, candidates: [String]) throws(CUDAError) {
        var lastError = "no candidates"
        for candidate in candidates {
            if let h = dlopen(candidate, RTLD_NOW | RTLD_LOCAL) {
                name = candidate
                handle = h
                return
            }
            if let e = dlerror() { lastError = String(cString: e) }
        }
        throw .libraryUnavailable(library: library, tried: candidates, detail: lastError)
    }

    /// The C function `symbol` as the function type `T` (a `@convention(c)` type), or throws
    /// `CUDAError.symbolMissing`. The caller vouches that `T` is the symbol's real signature.
    func function<T>(_ symbol: String, as _: T.Type = T.self) throws(CUDAError) -> T {
        guard let p = dlsym(handle, symbol) else { throw .symbolMissing(library: name, symbol: symbol) }
        return unsafeBitCast(p, to: T.self)
    }

    /// The first of `symbols` that exists (for versioned entry points such as `cuFoo_v2` / `cuFoo`).
    func function<T>(firstOf symbols: [String], as _: T.Type = T.self) throws(CUDAError) -> T {
        for s in symbols {
            if let p = dlsym(handle, s) { return unsafeBitCast(p, to: T.self) }
        }
        throw .symbolMissing(library: name, symbol: symbols.joined(separator: " / "))
    }

    /// The C function `symbol` if the library has it (optional features of newer versions).
    func optionalFunction<T>(_ symbol: String, as _: T.Type = T.self) -> T? {
        dlsym(handle, symbol).map { unsafeBitCast($0, to: T.self) }
    }
}
