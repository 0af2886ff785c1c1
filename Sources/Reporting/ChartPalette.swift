/// Colours and dash patterns for series: the Okabe–Ito palette, which stays distinguishable under the
/// common colour-vision deficiencies, ordered so that the first colours contrast most on white
/// (its yellow comes last).
enum ChartPalette {
    static let colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

    static func colour(_ index: Int) -> String {
        colours[index % colours.count]
    }

    /// Dash pattern of series `index`: dashed when asked; past the palette's length, dotted so that
    /// reused colours still differ.
    static func dash(_ index: Int, dashed: Bool) -> String? {
        if dashed { return "7 4" }
        return index >= colours.count ? "2 3" : nil
    }

    static let referenceLine = "#6E6E6E"
    static let grid = "#E3E3E3"
    static let minorGrid = "#F2F2F2"
    static let frame = "#9A9A9A"
    static let text = "#222222"
    static let mutedText = "#555555"
}
