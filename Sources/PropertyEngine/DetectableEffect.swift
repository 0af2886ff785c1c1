/// The smallest errors a statistical property's run detects with probability 0.95 at the run's budget and
/// level: what its passing verdict rules out. Computed from the tests' power functions, not measured
/// (the sensitivity curve of `ggd sensitivity` measures the same thing with real faults).
public struct DetectableEffect: Codable, Sendable, Equatable {
    /// The false-fail rate of one case these sizes are computed at (the property's share over its cases).
    public var caseLevel: Double
    /// Relative error of a standard deviation along a tested direction (0.01 = 1%), when the property
    /// tests spreads.
    public var standardDeviation: Double?
    /// A mean shift as a Mahalanobis distance (in standard deviations along one direction).
    public var mean: Double?
    /// Kolmogorov distance of a projected CDF.
    public var cdfDistance: Double?
    /// What the sizes refer to (the directions, the draws).
    public var note: String

    public init(caseLevel: Double, standardDeviation: Double? = nil, mean: Double? = nil, cdfDistance: Double? = nil, note: String) {
        self.caseLevel = caseLevel
        self.standardDeviation = standardDeviation
        self.mean = mean
        self.cdfDistance = cdfDistance
        self.note = note
    }

    /// One line: "sd 1.0%, mean 0.019σ, CDF 0.004".
    public var summary: String {
        var parts = [String]()
        if let s = standardDeviation { parts.append(String(format: "sd %.2g%%", 100 * s)) }
        if let m = mean { parts.append(String(format: "mean %.2gσ", m)) }
        if let c = cdfDistance { parts.append(String(format: "CDF %.2g", c)) }
        return parts.isEmpty ? "—" : parts.joined(separator: ", ")
    }
}
