/// How an axis maps values to positions.
public enum AxisScale: String, Sendable, Codable, Equatable {
    /// Equal distances for equal differences.
    case linear
    /// Equal distances for equal ratios; only positive values can be shown.
    case log10

    /// Whether `value` can be placed on an axis of this scale: finite, and positive on a log axis.
    public func canPlot(_ value: Double) -> Bool {
        switch self {
        case .linear: return value.isFinite
        case .log10: return value.isFinite && value > 0
        }
    }
}
