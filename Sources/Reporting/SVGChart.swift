/// Renders a `Figure` as an SVG chart: white background, light grid, labelled axes with nice ticks,
/// a legend that avoids the data where it can, confidence bands, labelled reference lines.
///
/// The output depends only on the figure and the size (numbers are written with fixed precision),
/// so re-rendering an unchanged figure gives the same bytes and diffs of reports stay quiet.
public enum SVGChart {
    /// A standalone SVG document (with XML declaration), as written to `figures/<id>.svg`.
    /// Sizes below 200 × 150 are raised to that.
    public static func render(_ figure: Figure, width: Int = 720, height: Int = 440) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svgElement(figure, width: width, height: height)
    }

    /// The `<svg>` element alone, for embedding in HTML; the same markup as `render` without the declaration.
    public static func svgElement(_ figure: Figure, width: Int = 720, height: Int = 440) -> String {
        ChartDrawing(figure: figure, width: Double(max(200, width)), height: Double(max(150, height))).svg()
    }
}
