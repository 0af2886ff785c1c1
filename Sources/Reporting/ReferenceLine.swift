/// A labelled straight line across the plot, e.g. a theoretical limit or a threshold.
public enum ReferenceLine: Sendable, Codable, Equatable {
    /// A line at height `y` across the whole x range.
    case horizontal(y: Double, label: String)
    /// A line at position `x` across the whole y range.
    case vertical(x: Double, label: String)

    /// The text written beside the line.
    public var label: String {
        switch self {
        case .horizontal(_, let label), .vertical(_, let label): return label
        }
    }
}
