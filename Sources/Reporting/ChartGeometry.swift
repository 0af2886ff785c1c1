import Foundation

/// A rectangle in SVG pixel coordinates (y grows downwards).
struct PixelRect: Equatable, Sendable {
    var left: Double
    var top: Double
    var right: Double
    var bottom: Double

    var width: Double { right - left }
    var height: Double { bottom - top }

    func contains(_ x: Double, _ y: Double, margin: Double = 0) -> Bool {
        x >= left - margin && x <= right + margin && y >= top - margin && y <= bottom + margin
    }
}

/// The data range of one axis and where it lies on the canvas; maps values to pixels.
struct AxisMapping: Sendable {
    let scale: AxisScale
    let lower: Double
    let upper: Double
    /// Pixel position of `lower` and of `upper` (for the y axis, `lower` is at the bottom).
    let pixelLower: Double
    let pixelUpper: Double

    func pixel(_ value: Double) -> Double {
        let t0 = transform(lower), t1 = transform(upper)
        guard t1 > t0 else { return (pixelLower + pixelUpper) / 2 }
        return pixelLower + (transform(value) - t0) / (t1 - t0) * (pixelUpper - pixelLower)
    }

    private func transform(_ value: Double) -> Double {
        scale == .log10 ? log10(value) : value
    }
}

/// The shown range of an axis: everything plotted on it, padded by 4 % of the span on each side
/// (log axes pad in decades) so that markers at the extremes are not cut by the frame. A single
/// value gets a range around it (±10 %, ±1 at zero, ±½ decade on a log axis).
enum AxisRange {
    static func padded(_ values: [Double], scale: AxisScale) -> (lower: Double, upper: Double) {
        let usable = values.filter(scale.canPlot)
        guard let minimum = usable.min(), let maximum = usable.max() else {
            return scale == .log10 ? (1, 10) : (0, 1)
        }
        switch scale {
        case .linear:
            let span = maximum - minimum
            if !(span > 1e-12 * max(abs(minimum), abs(maximum))) || !span.isFinite {
                let pad = minimum == 0 ? 1 : abs(minimum) * 0.1
                return (minimum - pad, maximum + pad)
            }
            return (minimum - 0.04 * span, maximum + 0.04 * span)
        case .log10:
            let lo = log10(minimum), hi = log10(maximum)
            let pad = hi - lo > 1e-9 ? 0.04 * (hi - lo) : 0.5
            return (pow(10, lo - pad), pow(10, hi + pad))
        }
    }
}

/// Estimated text extents, good enough to keep labels apart without a font engine.
enum TextMetrics {
    /// Width of `text` at `fontSize` in a proportional sans-serif font (a slightly generous average).
    static func width(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.58
    }
}
