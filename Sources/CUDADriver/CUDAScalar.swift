/// Float and Double on the device: the precision of their kernels and how a scalar is passed to one.
/// (The products dispatch on the type in `CUBLASHandle.gemm`.)
public protocol CUDAScalar: BinaryFloatingPoint, BitwiseCopyable, Sendable {
    static var cudaPrecision: CUDAPrecision { get }
    /// The value as a kernel argument of this precision.
    var kernelArgument: KernelArgument { get }
}

extension Float: CUDAScalar {
    public static var cudaPrecision: CUDAPrecision { .float }
    public var kernelArgument: KernelArgument { .float(self) }
}

extension Double: CUDAScalar {
    public static var cudaPrecision: CUDAPrecision { .double }
    public var kernelArgument: KernelArgument { .double(self) }
}
