/// Sentences both renderers add to a figure's caption, so that a reader of either learns the same facts.
enum FigureNotes {
    /// Says how many series points were left out of the chart, or nil when none were.
    static func skippedPoints(_ figure: Figure) -> String? {
        let skipped = figure.skippedPointCount
        guard skipped > 0 else { return nil }
        let logAxes = figure.xScale == .log10 || figure.yScale == .log10
        let reason = logAxes ? "non-finite, or not positive on a log axis" : "non-finite"
        return "\(skipped) point\(skipped == 1 ? "" : "s") not plotted (\(reason))."
    }
}
