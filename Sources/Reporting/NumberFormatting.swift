import Foundation

/// Locale-independent number formatting, so that the same figure always gives the same bytes.
enum NumberFormatting {
    /// An SVG coordinate: two decimals, trailing zeros dropped ("12.5", "3", never "-0").
    static func coordinate(_ value: Double) -> String {
        let clamped = min(max(value, -1e7), 1e7)
        return trimZeros(String(format: "%.2f", clamped.isFinite ? clamped : 0))
    }

    /// `value` with exactly `decimals` digits after the point ("0.0015", "20"); zero is never "-0".
    static func fixed(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(max(0, min(decimals, 15)))f", value)
        return isNegativeZero(text) ? String(text.dropFirst()) : text
    }

    /// Compact scientific notation with at most `significantDigits` digits: "1e-4", "2.5e3", "-1.25e-7".
    static func scientific(_ value: Double, significantDigits: Int = 3) -> String {
        guard value != 0 else { return "0" }
        let text = String(format: "%.\(max(0, min(significantDigits, 15) - 1))e", value)
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        let mantissa = trimZeros(String(text[..<e]))
        let exponent = Int(text[text.index(after: e)...]) ?? 0
        return "\(mantissa)e\(exponent)"
    }

    /// A general-purpose label for a single value: plain for moderate magnitudes, scientific otherwise.
    static func compact(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude >= 1e5 || magnitude < 1e-3) { return scientific(value) }
        return trimZeros(String(format: "%.4f", value))
    }

    /// `base` followed by `exponent` in Unicode superscripts: ("10", -3) → "10⁻³".
    static func power(base: String, exponent: Int) -> String {
        let digits: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴",
                                               "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻"]
        return base + String(String(exponent).map { digits[$0] ?? $0 })
    }

    /// Drops trailing zeros after a decimal point and the point itself; "-0" becomes "0".
    private static func trimZeros(_ text: String) -> String {
        guard text.contains(".") else { return isNegativeZero(text) ? "0" : text }
        var result = Substring(text)
        while result.last == "0" { result = result.dropLast() }
        if result.last == "." { result = result.dropLast() }
        return isNegativeZero(String(result)) ? "0" : String(result)
    }

    private static func isNegativeZero(_ text: String) -> Bool {
        text.first == "-" && text.dropFirst().allSatisfy { $0 == "0" || $0 == "." }
    }
}
