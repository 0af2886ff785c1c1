/// The legend of a chart: one row per named series or band, with a swatch drawn like the data.
struct ChartLegend {
    enum Swatch {
        case series(index: Int, style: Series.Style, dashed: Bool)
        case band(index: Int)
    }

    struct Entry {
        let label: String
        let swatch: Swatch
    }

    static let fontSize = 12.0
    static let rowHeight = 18.0
    static let padding = 7.0
    static let swatchWidth = 26.0
    static let gap = 6.0
    /// Longer names are shortened with "…" so that one name cannot push the plot off the canvas.
    static let maxLabelCharacters = 48

    let entries: [Entry]
    let width: Double
    let height: Double

    init(figure: Figure) {
        var entries: [Entry] = []
        for (i, series) in figure.series.enumerated() where !series.name.isEmpty {
            entries.append(Entry(label: ChartLegend.shorten(series.name),
                                 swatch: .series(index: i, style: series.style, dashed: series.dashed)))
        }
        for (i, band) in figure.bands.enumerated() where !band.name.isEmpty {
            entries.append(Entry(label: ChartLegend.shorten(band.name), swatch: .band(index: i)))
        }
        self.entries = entries
        let textWidth = entries.map { TextMetrics.width($0.label, fontSize: ChartLegend.fontSize) }.max() ?? 0
        width = 2 * ChartLegend.padding + ChartLegend.swatchWidth + ChartLegend.gap + textWidth
        height = 2 * ChartLegend.padding + Double(entries.count) * ChartLegend.rowHeight - 2
    }

    /// Positions inside the plot, in order of preference: top-right, top-left, bottom-right, bottom-left.
    func insideCandidates(_ plot: PixelRect) -> [PixelRect] {
        let inset = 8.0
        let lefts = [plot.right - inset - width, plot.left + inset]
        let tops = [plot.top + inset, plot.bottom - inset - height]
        return tops.flatMap { top in lefts.map { PixelRect(left: $0, top: top, right: $0 + width, bottom: top + height) } }
    }

    func draw(into svg: inout SVGBuilder, at rect: PixelRect) {
        svg.open("g", [("class", "legend"), ("font-size", NumberFormatting.coordinate(ChartLegend.fontSize))])
        svg.element("rect", [("x", c(rect.left)), ("y", c(rect.top)), ("width", c(width)), ("height", c(height)), ("rx", "4"),
                             ("fill", "#FFFFFF"), ("fill-opacity", "0.92"), ("stroke", "#C8C8C8")])
        for (row, entry) in entries.enumerated() {
            let midY = rect.top + ChartLegend.padding + (Double(row) + 0.5) * ChartLegend.rowHeight - 1
            let x0 = rect.left + ChartLegend.padding, x1 = x0 + ChartLegend.swatchWidth
            switch entry.swatch {
            case .series(let index, let style, let dashed):
                let colour = ChartPalette.colour(index)
                if ChartPaths.drawsLine(style) {
                    svg.element("line", [("x1", c(x0)), ("y1", c(midY)), ("x2", c(x1)), ("y2", c(midY)), ("stroke", colour),
                                         ("stroke-width", "2"), ("stroke-dasharray", ChartPalette.dash(index, dashed: dashed))])
                }
                if ChartPaths.drawsMarkers(style) {
                    svg.element("circle", [("cx", c((x0 + x1) / 2)), ("cy", c(midY)), ("r", "3.5"), ("fill", colour),
                                           ("stroke", "#FFFFFF"), ("stroke-width", "0.8")])
                }
            case .band(let index):
                svg.element("rect", [("x", c(x0)), ("y", c(midY - 5)), ("width", c(ChartLegend.swatchWidth)), ("height", "10"),
                                     ("fill", ChartPalette.colour(index)), ("fill-opacity", "0.22")])
            }
            svg.element("text", [("x", c(x1 + ChartLegend.gap)), ("y", c(midY + 4)), ("fill", ChartPalette.text)], text: entry.label)
        }
        svg.close("g")
    }

    private static func shorten(_ label: String) -> String {
        label.count <= maxLabelCharacters ? label : String(label.prefix(maxLabelCharacters - 1)) + "…"
    }

    private func c(_ value: Double) -> String { NumberFormatting.coordinate(value) }
}
