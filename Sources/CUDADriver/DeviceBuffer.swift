/// `count` elements in device memory, freed when the buffer is released.
///
/// Elements are laid out as in a Swift array (row-major matrices, no padding), so a host `[Element]`
/// copies in and out unchanged. The buffer keeps its device (and context) alive.
public final class DeviceBuffer<Element: BitwiseCopyable> {
    public let device: CUDADevice
    public let count: Int
    /// The first element (address 0 for an empty buffer, which owns no memory).
    public let pointer: DevicePointer<Element>

    public var byteCount: Int { count * MemoryLayout<Element>.stride }

    init(device: CUDADevice, count: Int) throws(CUDAError) {
        guard count >= 0 else { throw .invalidArgument("a device buffer cannot have \(count) elements") }
        self.device = device
        self.count = count
        var address: UInt64 = 0
        if count > 0 {
            try device.makeCurrent()
            try device.api.check(device.api.cuMemAlloc(&address, count * MemoryLayout<Element>.stride),
                                 "cuMemAlloc(\(count * MemoryLayout<Element>.stride) bytes)")
        }
        pointer = DevicePointer(address: address)
    }

    deinit {
        guard pointer.address != 0 else { return }
        _ = device.api.cuCtxSetCurrent(device.context)
        _ = device.api.cuMemFree(pointer.address)
    }

    /// Element `offset` as a device pointer (for views such as one layer's weight in a flat buffer).
    public func pointer(at offset: Int) -> DevicePointer<Element> {
        precondition(offset >= 0 && offset <= count, "offset \(offset) outside a buffer of \(count) elements")
        return pointer.advanced(by: offset)
    }

    /// Copies `source` into elements `offset ..< offset + source.count`.
    public func copy(from source: UnsafeBufferPointer<Element>, at offset: Int = 0) throws(CUDAError) {
        try checkRange(offset, source.count)
        guard let base = source.baseAddress, source.count > 0 else { return }
        try device.makeCurrent()
        try device.api.check(device.api.cuMemcpyHtoD(pointer(at: offset).address, base, source.count * MemoryLayout<Element>.stride),
                             "cuMemcpyHtoD")
    }

    /// Copies `values` into elements `offset ..< offset + values.count`.
    public func copy(from values: [Element], at offset: Int = 0) throws(CUDAError) {
        try values.withUnsafeBufferPointer { (b) throws(CUDAError) in try copy(from: b, at: offset) }
    }

    /// Copies elements `offset ..< offset + destination.count` to the host (waits for queued work).
    public func copy(to destination: UnsafeMutableBufferPointer<Element>, from offset: Int = 0) throws(CUDAError) {
        try checkRange(offset, destination.count)
        guard let base = destination.baseAddress, destination.count > 0 else { return }
        try device.makeCurrent()
        try device.api.check(device.api.cuMemcpyDtoH(base, pointer(at: offset).address, destination.count * MemoryLayout<Element>.stride),
                             "cuMemcpyDtoH")
    }

    /// The whole buffer, copied to the host.
    public func toArray() throws(CUDAError) -> [Element] {
        guard count > 0 else { return [] }
        let copy = UnsafeMutableBufferPointer<Element>.allocate(capacity: count)
        defer { copy.deallocate() }
        try self.copy(to: copy)
        return Array(copy)
    }

    /// Copies all of `other` (same element count) into this buffer, on the device.
    public func copy(from other: DeviceBuffer<Element>) throws(CUDAError) {
        guard other.count == count else {
            throw .invalidArgument("device copy of \(other.count) elements into a buffer of \(count)")
        }
        guard count > 0 else { return }
        try device.makeCurrent()
        try device.api.check(device.api.cuMemcpyDtoD(pointer.address, other.pointer.address, byteCount), "cuMemcpyDtoD")
    }

    /// Sets every byte to zero (all-zero bits are 0 for Float, Double and the integers).
    public func zero() throws(CUDAError) {
        guard count > 0 else { return }
        try device.makeCurrent()
        try device.api.check(device.api.cuMemsetD8(pointer.address, 0, byteCount), "cuMemsetD8")
    }

    private func checkRange(_ offset: Int, _ n: Int) throws(CUDAError) {
        guard offset >= 0, n >= 0, offset + n <= count else {
            throw .invalidArgument("elements \(offset) ..< \(offset + n) lie outside a device buffer of \(count)")
        }
    }
}
