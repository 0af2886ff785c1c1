/// An address of `Element`s on some backend: host memory or a GPU's memory.
///
/// The kernels of a `KernelBackend` take these, so the code that sequences a network pass or a sampler
/// step is written once and runs on any backend; only the backend itself interprets the address (the
/// host as a pointer, CUDA as a `CUdeviceptr`). It does not keep the memory alive: `BackendArray` does.
public struct BackendPointer<Element>: Hashable, Sendable {
    /// The raw address (0: none).
    public let address: UInt

    @inlinable public init(address: UInt) { self.address = address }

    /// A host pointer's address.
    @inlinable public init(_ pointer: UnsafeMutablePointer<Element>) { address = UInt(bitPattern: pointer) }
    @inlinable public init(_ pointer: UnsafePointer<Element>) { address = UInt(bitPattern: pointer) }

    /// The pointer `count` elements further.
    @inlinable @inline(__always)
    public func advanced(by count: Int) -> BackendPointer {
        BackendPointer(address: UInt(bitPattern: Int(bitPattern: address) &+ count &* MemoryLayout<Element>.stride))
    }

    @inlinable @inline(__always)
    public static func + (p: BackendPointer, count: Int) -> BackendPointer { p.advanced(by: count) }

    /// The address as a host pointer (meaningful only for host backends).
    @inlinable @inline(__always)
    public var host: UnsafeMutablePointer<Element> { UnsafeMutablePointer(bitPattern: address)! }
}

/// `count` elements allocated by a backend; the memory lives as long as this array (its `owner`).
public final class BackendArray<Element>: @unchecked Sendable {
    public let pointer: BackendPointer<Element>
    public let count: Int
    /// What frees the memory when released (a host allocation or a device buffer).
    let owner: AnyObject?

    public init(pointer: BackendPointer<Element>, count: Int, owner: AnyObject?) {
        self.pointer = pointer
        self.count = count
        self.owner = owner
    }

    /// Element `offset`.
    public subscript(offset: Int) -> BackendPointer<Element> {
        precondition(offset >= 0 && offset <= count, "offset \(offset) outside a backend array of \(count) elements")
        return pointer.advanced(by: offset)
    }
}

/// Host memory behind a `BackendArray`, aligned to 64 bytes and zeroed.
final class HostAllocation {
    let raw: UnsafeMutableRawPointer

    init(bytes: Int) {
        raw = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: max(bytes, 1))
    }

    deinit { raw.deallocate() }
}
