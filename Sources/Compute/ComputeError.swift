/// What the compute layer refuses: a parameter out of range, buffers whose sizes disagree, or values
/// that are not finite. Higher modules wrap or pass it on; nothing here borrows their errors.
public enum ComputeError: Error, CustomStringConvertible, Equatable {
    case invalidParameter(String)
    case dimensionMismatch(String)
    case nonFinite(String)

    public var description: String {
        switch self {
        case let .invalidParameter(m): return m
        case let .dimensionMismatch(m): return "dimension mismatch: \(m)"
        case let .nonFinite(m): return m
        }
    }
}
