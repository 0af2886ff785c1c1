import Foundation

/// A labelled position on an axis.
struct Tick: Equatable, Sendable {
    let value: Double
    let label: String
}

/// The ticks of one axis: labelled major ticks (also grid lines) and unlabelled minor ones.
///
/// Linear axes use the 1–2–5 step that puts closest to six ticks inside the range, never more than
/// `maxCount` (default 9). Log axes tick at decades (10⁻³, 10⁻², …) with minor
/// ticks at 2–9 × 10ᵏ; a range that holds fewer than three decades falls back to 1–2–5 multiples
/// (0.02, 0.05, 0.1, …), then to linear ticks. Labels of one axis share one format, so neighbours read alike.
struct AxisTicks: Equatable, Sendable {
    var major: [Tick]
    var minor: [Double]

    /// The ticks inside [lower, upper] for `scale`.
    static func make(scale: AxisScale, lower: Double, upper: Double, maxCount: Int = 9) -> AxisTicks {
        switch scale {
        case .linear: return linear(lower: lower, upper: upper, maxCount: maxCount)
        case .log10: return log10(lower: lower, upper: upper, maxCount: maxCount)
        }
    }

    /// 1–2–5 ticks with labels in one fixed-decimal or one compact scientific format.
    static func linear(lower: Double, upper: Double, maxCount: Int = 9) -> AxisTicks {
        let (values, step) = niceValues(lower: lower, upper: upper, maxCount: maxCount)
        let labels = linearLabels(values, step: step)
        return AxisTicks(major: zip(values, labels).map { Tick(value: $0, label: $1) }, minor: [])
    }

    /// Decade ticks labelled 10ᵏ, or finer ticks when the range spans less than two decades.
    static func log10(lower: Double, upper: Double, maxCount: Int = 9) -> AxisTicks {
        guard lower > 0, upper > lower, upper.isFinite else { return AxisTicks(major: [], minor: []) }
        let lo = Foundation.log10(lower), hi = Foundation.log10(upper)
        let firstDecade = Int((lo - 1e-9).rounded(.up)), lastDecade = Int((hi + 1e-9).rounded(.down))
        let decadeCount = lastDecade - firstDecade + 1
        let inside = { (v: Double) in v >= lower * (1 - 1e-9) && v <= upper * (1 + 1e-9) }

        if decadeCount >= 3 {
            let stride = (decadeCount + maxCount - 1) / max(1, maxCount)
            let start = Int((Double(firstDecade) / Double(stride)).rounded(.up)) * stride
            let major = Swift.stride(from: start, through: lastDecade, by: stride).map {
                Tick(value: power(of: $0), label: NumberFormatting.power(base: "10", exponent: $0))
            }
            var minor: [Double] = []
            if stride == 1 {
                for e in (firstDecade - 1)...lastDecade {
                    for m in 2...9 {
                        let v = Double(m) * power(of: e)
                        if inside(v) { minor.append(v) }
                    }
                }
            }
            return AxisTicks(major: major, minor: minor)
        }

        // Less than three decades: 1, 2 and 5 times powers of ten, else decades would give two labels or fewer.
        var values: [Double] = []
        var minor: [Double] = []
        for e in (firstDecade - 1)...(lastDecade + 1) {
            for m in 1...9 {
                let v = Double(m) * power(of: e)
                guard inside(v) else { continue }
                if m == 1 || m == 2 || m == 5 { values.append(v) } else { minor.append(v) }
            }
        }
        if values.count >= 3 {
            return AxisTicks(major: values.map { Tick(value: $0, label: NumberFormatting.compact($0)) }, minor: minor)
        }
        return linear(lower: lower, upper: upper, maxCount: maxCount)
    }

    /// The values k·step inside [lower, upper] for the 1–2–5 step whose tick count is closest to six
    /// (ties go to more ticks), never more than `maxCount`; computed from integers so that 3 × 0.1
    /// is 0.3, not 0.30000000000000004.
    static func niceValues(lower: Double, upper: Double, maxCount: Int) -> (values: [Double], step: Double) {
        let span = upper - lower
        guard lower.isFinite, upper.isFinite, span > 0, span.isFinite, maxCount >= 2 else { return ([], 0) }
        let target = min(6, maxCount)
        var best: (values: [Double], step: Double)?
        var exponent = Int(Foundation.log10(span / Double(maxCount)).rounded(.down)) - 1
        search: while exponent < 330 {
            for multiplier in [1.0, 2.0, 5.0] {
                let step = multiplier * power(of: exponent)
                let first = (lower / step - 1e-9).rounded(.up)
                let last = (upper / step + 1e-9).rounded(.down)
                guard last - first < 1e6 else { continue }
                let count = last >= first ? Int(last - first) + 1 : 0
                guard count <= maxCount else { continue }
                if let current = best, abs(count - target) >= abs(current.values.count - target) { break search }
                let values = (0..<count).map { i -> Double in
                    let k = (first + Double(i)) * multiplier
                    return exponent < 0 ? k / power(of: -exponent) : k * power(of: exponent)
                }
                best = (values, step)
                if count <= 1 { break search }
            }
            exponent += 1
        }
        return best ?? ([], 0)
    }

    /// One format for all labels of a linear axis: fixed decimals enough to show `step`, or compact
    /// scientific ("2e4", "1.5e-4") when the largest magnitude is ≥ 1e5 or below 1e-3.
    static func linearLabels(_ values: [Double], step: Double) -> [String] {
        let largest = values.map { abs($0) }.max() ?? 0
        guard largest > 0, step > 0 else { return values.map { NumberFormatting.fixed($0, decimals: 0) } }
        if largest >= 1e5 || largest < 1e-3 {
            let digits = Int(Foundation.log10(largest).rounded(.down)) - Int(Foundation.log10(step).rounded(.down)) + 1
            return values.map { NumberFormatting.scientific($0, significantDigits: max(1, min(6, digits))) }
        }
        let decimals = max(0, Int((-Foundation.log10(step) - 1e-9).rounded(.up)))
        return values.map { NumberFormatting.fixed($0, decimals: decimals) }
    }

    /// 10ᵉ, computed as 1 / 10⁻ᵉ for negative e so that 10⁻³ is the double nearest 0.001.
    private static func power(of exponent: Int) -> Double {
        exponent < 0 ? 1 / pow(10, Double(-exponent)) : pow(10, Double(exponent))
    }
}
