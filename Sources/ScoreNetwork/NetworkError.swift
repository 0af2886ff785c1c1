/// What the network layer refuses: an architecture, configuration or batch out of range, shapes that
/// disagree, or values that are not finite (training's own failures are `TrainingError`).
public enum NetworkError: Error, CustomStringConvertible, Equatable {
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
