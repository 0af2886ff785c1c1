/// A typed device address: a `DeviceBuffer`'s base or an element inside it (the network keeps all its
/// parameters in one buffer and addresses each layer's weight and bias by offset, as on the CPU).
///
/// It does not keep the buffer alive: use it while the buffer exists.
public struct DevicePointer<Element>: Hashable, Sendable {
    /// The device address (`CUdeviceptr`).
    public let address: UInt64

    public init(address: UInt64) { self.address = address }

    /// The pointer `count` elements further.
    public func advanced(by count: Int) -> DevicePointer {
        DevicePointer(address: UInt64(Int64(bitPattern: address) + Int64(count * MemoryLayout<Element>.stride)))
    }

    public static func + (p: DevicePointer, count: Int) -> DevicePointer { p.advanced(by: count) }
}
