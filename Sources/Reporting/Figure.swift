/// One chart of a report: rendered as inline SVG in HTML and as `figures/<id>.svg` beside the Markdown.
///
/// Values that cannot be plotted (non-finite, or non-positive on a log axis) never make a figure
/// invalid: they are skipped when drawing and counted by `skippedPointCount`, so a report can say so.
public struct Figure: Sendable, Codable, Equatable {
    /// File stem of the figure's SVG file; 1–100 characters from `a-z`, `0-9` and `-`.
    public let id: String
    /// Shown above the chart and used as the image's accessible name.
    public var title: String
    /// Explanation shown below the chart; may be empty.
    public var caption: String
    /// Axis names, with units where they have one (e.g. "steps k", "error ‖x − x*‖").
    public var xLabel: String
    public var yLabel: String
    public var xScale: AxisScale
    public var yScale: AxisScale
    public var series: [Series]
    public var bands: [Band]
    public var referenceLines: [ReferenceLine]

    /// Throws `ReportingError.invalidFigureID` when `id` is not a valid file stem.
    public init(id: String, title: String, caption: String = "", xLabel: String, yLabel: String,
                xScale: AxisScale = .linear, yScale: AxisScale = .linear, series: [Series],
                bands: [Band] = [], referenceLines: [ReferenceLine] = []) throws {
        guard Figure.isValidID(id) else { throw ReportingError.invalidFigureID(id) }
        self.id = id
        self.title = title
        self.caption = caption
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
        self.series = series
        self.bands = bands
        self.referenceLines = referenceLines
    }

    /// Whether `id` can name a figure file: 1–100 characters from `a-z`, `0-9` and `-`.
    public static func isValidID(_ id: String) -> Bool {
        let scalars = id.unicodeScalars
        return !scalars.isEmpty && scalars.count <= 100 && scalars.allSatisfy { s in
            ("a"..."z").contains(s) || ("0"..."9").contains(s) || s == "-"
        }
    }

    /// Whether a point can be placed on this figure's axes.
    public func canPlot(_ point: Point) -> Bool {
        xScale.canPlot(point.x) && yScale.canPlot(point.y)
    }

    /// Series points that will be drawn.
    public var plottablePointCount: Int {
        series.reduce(0) { $0 + $1.points.count(where: canPlot) }
    }

    /// Series points that will not be drawn (non-finite, or non-positive on a log axis).
    public var skippedPointCount: Int {
        series.reduce(0) { $0 + $1.points.count } - plottablePointCount
    }

    /// Whether some series has at least one point that can be drawn; without one the chart says "no data".
    public var hasData: Bool {
        series.contains { $0.points.contains(where: canPlot) }
    }

    private enum CodingKeys: String, CodingKey {
        case id, title, caption, xLabel, yLabel, xScale, yScale, series, bands, referenceLines
    }

    /// Decoding validates the id as the initialiser does; optional parts may be absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            id: c.decode(String.self, forKey: .id),
            title: c.decode(String.self, forKey: .title),
            caption: c.decodeIfPresent(String.self, forKey: .caption) ?? "",
            xLabel: c.decode(String.self, forKey: .xLabel),
            yLabel: c.decode(String.self, forKey: .yLabel),
            xScale: c.decodeIfPresent(AxisScale.self, forKey: .xScale) ?? .linear,
            yScale: c.decodeIfPresent(AxisScale.self, forKey: .yScale) ?? .linear,
            series: c.decodeIfPresent([Series].self, forKey: .series) ?? [],
            bands: c.decodeIfPresent([Band].self, forKey: .bands) ?? [],
            referenceLines: c.decodeIfPresent([ReferenceLine].self, forKey: .referenceLines) ?? [])
    }
}
