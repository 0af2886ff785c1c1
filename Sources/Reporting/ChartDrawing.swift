/// Lays out and draws one figure; `SVGChart` is its public face.
struct ChartDrawing {
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
    static let tickFontSize = 11.0
    static let labelFontSize = 13.0
    static let titleFontSize = 15.0

    let figure: Figure
    let width: Double
    let height: Double

    func svg() -> String {
        var svg = SVGBuilder()
        svg.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(c(width)) \(c(height))"),
                         ("width", c(width)), ("height", c(height)), ("role", "img"), ("aria-label", figure.title),
                         ("font-family", ChartDrawing.fontFamily), ("font-size", "12")])
        svg.element("title", [], text: figure.title)
        if !figure.caption.isEmpty { svg.element("desc", [], text: figure.caption) }
        svg.element("rect", [("width", c(width)), ("height", c(height)), ("fill", "#FFFFFF")])

        let hasData = figure.hasData
        let xRange = AxisRange.padded(hasData ? xValues() : [], scale: figure.xScale)
        let yRange = AxisRange.padded(hasData ? yValues() : [], scale: figure.yScale)
        let noTicks = AxisTicks(major: [], minor: [])
        let xTicks = hasData ? AxisTicks.make(scale: figure.xScale, lower: xRange.lower, upper: xRange.upper) : noTicks
        let yTicks = hasData ? AxisTicks.make(scale: figure.yScale, lower: yRange.lower, upper: yRange.upper) : noTicks

        let yTickWidth = yTicks.major.map { TextMetrics.width($0.label, fontSize: ChartDrawing.tickFontSize) }.max() ?? 0
        let lastXTickHalf = (xTicks.major.last.map { TextMetrics.width($0.label, fontSize: ChartDrawing.tickFontSize) } ?? 0) / 2
        var plot = PixelRect(left: 12 + (figure.yLabel.isEmpty ? 0 : 20) + yTickWidth + 9,
                             top: figure.title.isEmpty ? 16 : 44,
                             right: width - max(20, lastXTickHalf + 6),
                             bottom: height - (figure.xLabel.isEmpty ? 32 : 54))

        let legend = ChartLegend(figure: figure)
        var legendRect: PixelRect?
        if !legend.entries.isEmpty {
            (plot, legendRect) = placeLegend(legend, plot: plot, xRange: xRange, yRange: yRange, hasData: hasData)
        }
        let mapping = PlotMapping(
            x: AxisMapping(scale: figure.xScale, lower: xRange.lower, upper: xRange.upper, pixelLower: plot.left, pixelUpper: plot.right),
            y: AxisMapping(scale: figure.yScale, lower: yRange.lower, upper: yRange.upper, pixelLower: plot.bottom, pixelUpper: plot.top))

        drawGrid(into: &svg, plot: plot, mapping: mapping, xTicks: xTicks, yTicks: yTicks)
        if hasData {
            drawBands(into: &svg, mapping: mapping)
            drawReferenceLines(into: &svg, plot: plot, mapping: mapping, legend: legendRect)
            drawSeries(into: &svg, mapping: mapping)
        } else {
            svg.element("text", [("x", c((plot.left + plot.right) / 2)), ("y", c((plot.top + plot.bottom) / 2 + 5)),
                                 ("text-anchor", "middle"), ("font-size", "15"), ("font-style", "italic"),
                                 ("fill", "#888888")], text: "no data")
        }
        svg.element("rect", [("x", c(plot.left)), ("y", c(plot.top)), ("width", c(plot.width)), ("height", c(plot.height)),
                             ("fill", "none"), ("stroke", ChartPalette.frame)])
        drawTicks(into: &svg, plot: plot, mapping: mapping, xTicks: xTicks, yTicks: yTicks)
        drawLabels(into: &svg, plot: plot)
        if let legendRect { legend.draw(into: &svg, at: legendRect) }
        svg.close("svg")
        return svg.output
    }

    // MARK: Ranges

    private func xValues() -> [Double] {
        var values = figure.series.flatMap { $0.points.filter(figure.canPlot).map(\.x) }
        for band in figure.bands { values += bandIndices(band).map { band.x[$0] } }
        for case .vertical(let x, _) in figure.referenceLines { values.append(x) }
        return values.filter(figure.xScale.canPlot)
    }

    private func yValues() -> [Double] {
        var values = figure.series.flatMap { $0.points.filter(figure.canPlot).map(\.y) }
        for band in figure.bands { values += bandIndices(band).flatMap { [band.lower[$0], band.upper[$0]] } }
        for case .horizontal(let y, _) in figure.referenceLines { values.append(y) }
        return values.filter(figure.yScale.canPlot)
    }

    private func bandIndices(_ band: Band) -> [Int] {
        band.x.indices.filter {
            figure.xScale.canPlot(band.x[$0]) && figure.yScale.canPlot(band.lower[$0]) && figure.yScale.canPlot(band.upper[$0])
        }
    }

    // MARK: Legend placement

    /// The first inside corner whose box covers no data or reference label; otherwise a column right
    /// of the plot (narrowing it) when the legend is narrow enough; otherwise the least-covering corner.
    private func placeLegend(_ legend: ChartLegend, plot: PixelRect, xRange: (lower: Double, upper: Double),
                             yRange: (lower: Double, upper: Double), hasData: Bool) -> (PixelRect, PixelRect) {
        let mapping = PlotMapping(
            x: AxisMapping(scale: figure.xScale, lower: xRange.lower, upper: xRange.upper, pixelLower: plot.left, pixelUpper: plot.right),
            y: AxisMapping(scale: figure.yScale, lower: yRange.lower, upper: yRange.upper, pixelLower: plot.bottom, pixelUpper: plot.top))
        var obstacles: [PixelPoint] = []
        if hasData {
            obstacles = ChartPaths.obstacleSamples(of: figure, mapping: mapping)
            for line in figure.referenceLines {
                if let placement = referenceLabel(line, plot: plot, mapping: mapping, avoiding: obstacles) {
                    let r = placement.bounds
                    obstacles += [PixelPoint(x: r.left, y: r.top), PixelPoint(x: r.right, y: r.top),
                                  PixelPoint(x: r.left, y: r.bottom), PixelPoint(x: r.right, y: r.bottom),
                                  PixelPoint(x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2)]
                }
            }
        }
        let candidates = legend.insideCandidates(plot)
        let hits = candidates.map { rect in obstacles.count { rect.contains($0.x, $0.y, margin: 4) } }
        if let free = hits.firstIndex(of: 0) { return (plot, candidates[free]) }
        if legend.width <= width * 0.3 {
            var narrowed = plot
            narrowed.right = width - legend.width - 14
            narrowed.right = min(narrowed.right - 10, plot.right)
            let left = narrowed.right + 10
            return (narrowed, PixelRect(left: left, top: plot.top, right: left + legend.width, bottom: plot.top + legend.height))
        }
        let best = hits.indices.min { hits[$0] < hits[$1] } ?? 0
        return (plot, candidates[best])
    }

    // MARK: Drawing

    private func drawGrid(into svg: inout SVGBuilder, plot: PixelRect, mapping: PlotMapping, xTicks: AxisTicks, yTicks: AxisTicks) {
        var minor = "", major = ""
        for v in xTicks.minor { minor += verticalLine(mapping.x.pixel(v), plot) }
        for v in yTicks.minor { minor += horizontalLine(mapping.y.pixel(v), plot) }
        for t in xTicks.major { major += verticalLine(mapping.x.pixel(t.value), plot) }
        for t in yTicks.major { major += horizontalLine(mapping.y.pixel(t.value), plot) }
        if !minor.isEmpty { svg.element("path", [("d", minor), ("stroke", ChartPalette.minorGrid), ("fill", "none")]) }
        if !major.isEmpty { svg.element("path", [("d", major), ("stroke", ChartPalette.grid), ("fill", "none")]) }
    }

    private func drawBands(into svg: inout SVGBuilder, mapping: PlotMapping) {
        for (i, band) in figure.bands.enumerated() {
            for polygon in ChartPaths.bandPolygons(of: band, in: figure, mapping: mapping) {
                svg.element("path", [("d", ChartPaths.pathData(polygon, closed: true)), ("fill", ChartPalette.colour(i)),
                                     ("fill-opacity", "0.18"), ("stroke", "none")])
            }
        }
    }

    private func drawReferenceLines(into svg: inout SVGBuilder, plot: PixelRect, mapping: PlotMapping, legend: PixelRect?) {
        let obstacles = figure.referenceLines.isEmpty ? [] : ChartPaths.obstacleSamples(of: figure, mapping: mapping)
        for line in figure.referenceLines {
            let d: String
            switch line {
            case .horizontal(let y, _):
                guard figure.yScale.canPlot(y) else { continue }
                d = horizontalLine(mapping.y.pixel(y), plot)
            case .vertical(let x, _):
                guard figure.xScale.canPlot(x) else { continue }
                d = verticalLine(mapping.x.pixel(x), plot)
            }
            svg.element("path", [("d", d), ("stroke", ChartPalette.referenceLine), ("stroke-width", "1.3"),
                                 ("stroke-dasharray", "5 4"), ("fill", "none")])
            if let label = referenceLabel(line, plot: plot, mapping: mapping, avoiding: obstacles, legend: legend) {
                svg.element("text", [("x", c(label.x)), ("y", c(label.y)), ("text-anchor", label.anchor), ("font-size", "11"),
                                     ("fill", ChartPalette.mutedText), ("stroke", "#FFFFFF"), ("stroke-width", "3"),
                                     ("paint-order", "stroke")], text: line.label)
            }
        }
    }

    private func drawSeries(into svg: inout SVGBuilder, mapping: PlotMapping) {
        for (i, series) in figure.series.enumerated() {
            let colour = ChartPalette.colour(i)
            let runs = ChartPaths.runs(of: series, in: figure, mapping: mapping)
            if ChartPaths.drawsLine(series.style) {
                let d = runs.filter { $0.count > 1 }.map { ChartPaths.pathData(ChartPaths.polyline($0, style: series.style)) }.joined()
                if !d.isEmpty {
                    svg.element("path", [("d", d), ("fill", "none"), ("stroke", colour), ("stroke-width", "2"),
                                         ("stroke-linejoin", "round"), ("stroke-linecap", "round"),
                                         ("stroke-dasharray", ChartPalette.dash(i, dashed: series.dashed))])
                }
            }
            // A lone point of a line would be invisible, so it gets a marker like a scatter point.
            let markers = ChartPaths.drawsMarkers(series.style) ? runs.flatMap { $0 } : runs.filter { $0.count == 1 }.flatMap { $0 }
            if !markers.isEmpty {
                svg.open("g", [("fill", colour), ("stroke", "#FFFFFF"), ("stroke-width", "0.8")])
                for p in markers { svg.element("circle", [("cx", c(p.x)), ("cy", c(p.y)), ("r", "3.2")]) }
                svg.close("g")
            }
        }
    }

    private func drawTicks(into svg: inout SVGBuilder, plot: PixelRect, mapping: PlotMapping, xTicks: AxisTicks, yTicks: AxisTicks) {
        var marks = ""
        for t in xTicks.major { marks += "M\(c(mapping.x.pixel(t.value))) \(c(plot.bottom))v5" }
        for v in xTicks.minor { marks += "M\(c(mapping.x.pixel(v))) \(c(plot.bottom))v3" }
        for t in yTicks.major { marks += "M\(c(plot.left)) \(c(mapping.y.pixel(t.value)))h-5" }
        for v in yTicks.minor { marks += "M\(c(plot.left)) \(c(mapping.y.pixel(v)))h-3" }
        if !marks.isEmpty { svg.element("path", [("d", marks), ("stroke", "#666666"), ("fill", "none")]) }

        let font = ChartDrawing.tickFontSize
        if !xTicks.major.isEmpty {
            let every = labelStride(positions: xTicks.major.map { mapping.x.pixel($0.value) },
                                    extent: (xTicks.major.map { TextMetrics.width($0.label, fontSize: font) }.max() ?? 0) + 10)
            svg.open("g", [("font-size", c(font)), ("fill", "#444444"), ("text-anchor", "middle")])
            for (i, t) in xTicks.major.enumerated() where i % every == 0 {
                svg.element("text", [("x", c(mapping.x.pixel(t.value))), ("y", c(plot.bottom + 19))], text: t.label)
            }
            svg.close("g")
        }
        if !yTicks.major.isEmpty {
            let every = labelStride(positions: yTicks.major.map { mapping.y.pixel($0.value) }, extent: font + 4)
            svg.open("g", [("font-size", c(font)), ("fill", "#444444"), ("text-anchor", "end")])
            for (i, t) in yTicks.major.enumerated() where i % every == 0 {
                svg.element("text", [("x", c(plot.left - 8)), ("y", c(mapping.y.pixel(t.value) + 4))], text: t.label)
            }
            svg.close("g")
        }
    }

    private func drawLabels(into svg: inout SVGBuilder, plot: PixelRect) {
        if !figure.title.isEmpty {
            var size = ChartDrawing.titleFontSize
            while size > 11 && TextMetrics.width(figure.title, fontSize: size) > width - 24 { size -= 1 }
            svg.element("text", [("x", c(width / 2)), ("y", "26"), ("text-anchor", "middle"), ("font-size", c(size)),
                                 ("font-weight", "600"), ("fill", ChartPalette.text)],
                        text: fit(figure.title, into: width - 24, fontSize: size))
        }
        let size = ChartDrawing.labelFontSize
        if !figure.xLabel.isEmpty {
            svg.element("text", [("x", c((plot.left + plot.right) / 2)), ("y", c(height - 14)), ("text-anchor", "middle"),
                                 ("font-size", c(size)), ("fill", "#333333")],
                        text: fit(figure.xLabel, into: width - 24, fontSize: size))
        }
        if !figure.yLabel.isEmpty {
            let cy = (plot.top + plot.bottom) / 2
            svg.element("text", [("x", "22"), ("y", c(cy)), ("text-anchor", "middle"), ("transform", "rotate(-90 22 \(c(cy)))"),
                                 ("font-size", c(size)), ("fill", "#333333")],
                        text: fit(figure.yLabel, into: height - 20, fontSize: size))
        }
    }

    // MARK: Helpers

    /// Where a reference line's label goes: the first of its candidate spots (ends of a horizontal
    /// line above or below it; top or bottom of a vertical line, right or left of it) that covers no
    /// data and not the legend; the first spot inside the plot when all are covered.
    private func referenceLabel(_ line: ReferenceLine, plot: PixelRect, mapping: PlotMapping,
                                avoiding obstacles: [PixelPoint], legend: PixelRect? = nil)
        -> (x: Double, y: Double, anchor: String, bounds: PixelRect)? {
        guard !line.label.isEmpty else { return nil }
        let textWidth = TextMetrics.width(line.label, fontSize: 11)
        var spots: [(x: Double, y: Double, anchor: String, bounds: PixelRect)] = []
        func add(x: Double, baseline: Double, anchor: String) {
            let left = anchor == "end" ? x - textWidth : x
            let bounds = PixelRect(left: left, top: baseline - 11, right: left + textWidth, bottom: baseline + 3)
            if bounds.top >= plot.top && bounds.bottom <= plot.bottom && bounds.left >= plot.left && bounds.right <= plot.right {
                spots.append((x, baseline, anchor, bounds))
            }
        }
        switch line {
        case .horizontal(let y, _):
            guard figure.yScale.canPlot(y) else { return nil }
            let py = mapping.y.pixel(y)
            for baseline in [py - 5, py + 14] {
                add(x: plot.right - 6, baseline: baseline, anchor: "end")
                add(x: plot.left + 6, baseline: baseline, anchor: "start")
            }
        case .vertical(let x, _):
            guard figure.xScale.canPlot(x) else { return nil }
            let px = mapping.x.pixel(x)
            for baseline in [plot.top + 14, plot.bottom - 6] {
                add(x: px + 5, baseline: baseline, anchor: "start")
                add(x: px - 5, baseline: baseline, anchor: "end")
            }
        }
        let free = spots.first { spot in
            !obstacles.contains { spot.bounds.contains($0.x, $0.y, margin: 2) }
                && !(legend.map { intersects(spot.bounds, $0) } ?? false)
        }
        return free ?? spots.first
    }

    private func intersects(_ a: PixelRect, _ b: PixelRect) -> Bool {
        a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
    }

    /// Label every k-th tick, with k the smallest stride that keeps labels `extent` pixels apart.
    private func labelStride(positions: [Double], extent: Double) -> Int {
        let gaps = zip(positions, positions.dropFirst()).map { abs($1 - $0) }
        guard let gap = gaps.min(), gap > 0 else { return 1 }
        var stride = 1
        while Double(stride) * gap < extent && stride < positions.count { stride += 1 }
        return stride
    }

    /// `text` shortened with "…" to fit `available` pixels.
    private func fit(_ text: String, into available: Double, fontSize: Double) -> String {
        guard TextMetrics.width(text, fontSize: fontSize) > available else { return text }
        let characters = max(1, Int(available / (fontSize * 0.58)) - 1)
        return String(text.prefix(characters)) + "…"
    }

    private func verticalLine(_ x: Double, _ plot: PixelRect) -> String {
        "M\(c(x)) \(c(plot.top))V\(c(plot.bottom))"
    }

    private func horizontalLine(_ y: Double, _ plot: PixelRect) -> String {
        "M\(c(plot.left)) \(c(y))H\(c(plot.right))"
    }

    private func c(_ value: Double) -> String { NumberFormatting.coordinate(value) }
}
