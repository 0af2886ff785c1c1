/// Whether this process can use a CUDA device, and if not, why not (in one line for the user).
public enum CUDAAvailability: Hashable, Sendable, CustomStringConvertible {
    case available(deviceName: String, computeCapability: ComputeCapability, supportsDouble: Bool)
    case unavailable(reason: String)

    public var isAvailable: Bool {
        if case .available = self { return true }
        return false
    }

    /// The reason the device cannot be used, or nil when it can.
    public var unavailableReason: String? {
        if case let .unavailable(reason) = self { return reason }
        return nil
    }

    public var description: String {
        switch self {
        case let .available(name, capability, double):
            return "CUDA device \(name) (compute capability \(capability)\(double ? "" : ", no double precision"))"
        case let .unavailable(reason):
            return "CUDA unavailable: \(reason)"
        }
    }
}
