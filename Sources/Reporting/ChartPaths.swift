/// A position on the canvas in pixels.
struct PixelPoint: Equatable, Sendable {
    var x: Double
    var y: Double
}

/// Maps data points of a figure to the canvas.
struct PlotMapping: Sendable {
    let x: AxisMapping
    let y: AxisMapping

    func pixel(_ x: Double, _ y: Double) -> PixelPoint {
        PixelPoint(x: self.x.pixel(x), y: self.y.pixel(y))
    }
}

/// The pixel geometry of a figure's data, shared by drawing and by legend placement so that the
/// legend avoids exactly what is drawn.
enum ChartPaths {
    /// Runs of consecutive plottable points of `series`; an unplottable point ends a run, so a gap
    /// in the data is a gap in the line rather than a segment across it.
    static func runs(of series: Series, in figure: Figure, mapping: PlotMapping) -> [[PixelPoint]] {
        var runs: [[PixelPoint]] = []
        var current: [PixelPoint] = []
        for point in series.points {
            if figure.canPlot(point) {
                current.append(mapping.pixel(point.x, point.y))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// The polyline drawn through a run: the run itself, or for `.step` a post-step staircase
    /// (each value holds until the next point's x, then jumps).
    static func polyline(_ run: [PixelPoint], style: Series.Style) -> [PixelPoint] {
        guard style == .step, run.count > 1 else { return run }
        var points: [PixelPoint] = [run[0]]
        for (previous, next) in zip(run, run.dropFirst()) {
            points.append(PixelPoint(x: next.x, y: previous.y))
            points.append(next)
        }
        return points
    }

    /// Whether a series style draws connecting lines and whether it draws markers.
    static func drawsLine(_ style: Series.Style) -> Bool { style != .markers }
    static func drawsMarkers(_ style: Series.Style) -> Bool { style == .markers || style == .lineAndMarkers }

    /// One band segment per run of consecutive x where x, lower and upper are all plottable:
    /// the upper edge left to right, then the lower edge right to left.
    static func bandPolygons(of band: Band, in figure: Figure, mapping: PlotMapping) -> [[PixelPoint]] {
        var polygons: [[PixelPoint]] = []
        var upper: [PixelPoint] = [], lower: [PixelPoint] = []
        func flush() {
            if upper.count > 1 { polygons.append(upper + lower.reversed()) }
            upper = []
            lower = []
        }
        for i in band.x.indices {
            let x = band.x[i], lo = band.lower[i], hi = band.upper[i]
            if figure.xScale.canPlot(x) && figure.yScale.canPlot(lo) && figure.yScale.canPlot(hi) {
                upper.append(mapping.pixel(x, hi))
                lower.append(mapping.pixel(x, lo))
            } else {
                flush()
            }
        }
        flush()
        return polygons
    }

    /// SVG path data through `points` ("M x y L x y …"), closed with Z when asked.
    static func pathData(_ points: [PixelPoint], closed: Bool = false) -> String {
        var d = ""
        for (i, p) in points.enumerated() {
            d += (i == 0 ? "M" : "L") + NumberFormatting.coordinate(p.x) + " " + NumberFormatting.coordinate(p.y)
        }
        return closed && !d.isEmpty ? d + "Z" : d
    }

    /// Points along everything drawn for the data (lines sampled every few pixels, markers, band
    /// areas), used to find a legend position that covers none of it.
    static func obstacleSamples(of figure: Figure, mapping: PlotMapping) -> [PixelPoint] {
        var samples: [PixelPoint] = []
        for series in figure.series {
            for run in runs(of: series, in: figure, mapping: mapping) {
                let line = polyline(run, style: series.style)
                samples.append(contentsOf: line)
                if drawsLine(series.style) {
                    for (a, b) in zip(line, line.dropFirst()) { samples.append(contentsOf: interior(a, b)) }
                }
            }
        }
        for band in figure.bands {
            for polygon in bandPolygons(of: band, in: figure, mapping: mapping) {
                let half = polygon.count / 2
                for i in 0..<half {
                    let top = polygon[i], bottom = polygon[polygon.count - 1 - i]
                    samples.append(top)
                    samples.append(bottom)
                    samples.append(contentsOf: interior(top, bottom))
                    if i + 1 < half { samples.append(contentsOf: interior(top, polygon[i + 1])) }
                }
            }
        }
        return samples
    }

    /// Points strictly between `a` and `b`, about 5 px apart.
    private static func interior(_ a: PixelPoint, _ b: PixelPoint) -> [PixelPoint] {
        let dx = b.x - a.x, dy = b.y - a.y
        let length = (dx * dx + dy * dy).squareRoot()
        guard length.isFinite, length > 5 else { return [] }
        let steps = min(Int(length / 5), 2000)
        return (1..<steps).map { k in
            let t = Double(k) / Double(steps)
            return PixelPoint(x: a.x + t * dx, y: a.y + t * dy)
        }
    }
}
