/// A shaded region between two curves over shared x values, e.g. a pointwise confidence band.
///
/// Band `i` of a figure takes the palette colour of series `i`, so a band listed first belongs
/// visually to the series listed first.
public struct Band: Sendable, Codable, Equatable {
    /// Legend entry; an empty name leaves the band out of the legend.
    public let name: String
    public let x: [Double]
    public let lower: [Double]
    public let upper: [Double]

    /// Throws `ReportingError.bandLengthMismatch` unless `x`, `lower` and `upper` have equal lengths.
    public init(name: String, x: [Double], lower: [Double], upper: [Double]) throws {
        guard x.count == lower.count, x.count == upper.count else {
            throw ReportingError.bandLengthMismatch(name: name, x: x.count, lower: lower.count, upper: upper.count)
        }
        self.name = name
        self.x = x
        self.lower = lower
        self.upper = upper
    }

    private enum CodingKeys: String, CodingKey { case name, x, lower, upper }

    /// Decoding validates the lengths as the initialiser does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(name: c.decode(String.self, forKey: .name), x: c.decode([Double].self, forKey: .x),
                      lower: c.decode([Double].self, forKey: .lower), upper: c.decode([Double].self, forKey: .upper))
    }
}
