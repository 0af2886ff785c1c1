/// A named sequence of points drawn in one colour; its name is its legend entry.
public struct Series: Sendable, Codable, Equatable {
    /// How the points of a series are drawn.
    public enum Style: String, Sendable, Codable, Equatable {
        /// Straight segments between consecutive points (a measured or theoretical curve).
        case line
        /// A marker at each point and no segments (a scatter, e.g. a frontier of runs).
        case markers
        /// Segments and markers (few points whose positions matter).
        case lineAndMarkers
        /// A post-step staircase: the value at a point holds until the next point's x (an empirical CDF).
        case step
    }

    /// Legend entry; an empty name leaves the series out of the legend.
    public var name: String
    /// The observations, drawn in this order. Points that cannot be plotted (non-finite, or
    /// non-positive on a log axis) are skipped and break the line there.
    public var points: [Point]
    public var style: Style
    /// Draws the line dashed, e.g. to tell a theoretical curve from a measured one.
    public var dashed: Bool

    public init(name: String, points: [Point], style: Style = .line, dashed: Bool = false) {
        self.name = name
        self.points = points
        self.style = style
        self.dashed = dashed
    }

    /// A series from separate coordinate arrays, which must have equal lengths.
    public init(name: String, x: [Double], y: [Double], style: Style = .line, dashed: Bool = false) throws {
        guard x.count == y.count else { throw ReportingError.seriesLengthMismatch(name: name, x: x.count, y: y.count) }
        self.init(name: name, points: zip(x, y).map { Point(x: $0, y: $1) }, style: style, dashed: dashed)
    }
}
