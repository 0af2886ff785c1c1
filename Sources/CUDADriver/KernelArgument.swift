/// One argument of a kernel launch, by the C type the kernel declares.
///
/// `cuLaunchKernel` takes an array of pointers to the argument values; `KernelArgument` says how many
/// bytes each value has, so the launch can lay them out without knowing the kernel's signature. The
/// case must match the parameter's C type exactly (`int` is `.int32`, a pointer is `.pointer`).
public enum KernelArgument: Sendable, Equatable {
    case int32(Int32)
    case uint32(UInt32)
    case float(Float)
    case double(Double)
    /// A device address (`T *`); 0 is the null pointer.
    case pointer(UInt64)

    /// A device pointer argument.
    public static func pointer<T>(_ p: DevicePointer<T>?) -> KernelArgument { .pointer(p?.address ?? 0) }

    /// The value's bytes written at `p` (8 bytes of room, 8-aligned).
    func store(at p: UnsafeMutableRawPointer) {
        switch self {
        case let .int32(v): p.storeBytes(of: v, as: Int32.self)
        case let .uint32(v): p.storeBytes(of: v, as: UInt32.self)
        case let .float(v): p.storeBytes(of: v, as: Float.self)
        case let .double(v): p.storeBytes(of: v, as: Double.self)
        case let .pointer(v): p.storeBytes(of: v, as: UInt64.self)
        }
    }
}
