/// The outcome of the Holm–Bonferroni step-down procedure, in the order the p-values were given.
public struct HolmResult: Sendable, Equatable {
    /// True for each hypothesis rejected at family-wise level α.
    public let rejected: [Bool]
    /// Holm-adjusted p-values: p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) p₍ⱼ₎) for the sorted
    /// p-values; hypothesis i is rejected iff p̃ᵢ ≤ α.
    public let adjustedPValues: [Double]
    /// The family-wise error rate α the decisions were made at.
    public let alpha: Double

    /// True when at least one hypothesis of the family is rejected.
    public var rejectsAny: Bool { rejected.contains(true) }
}

/// Holm's (1979) step-down multiple-testing procedure. It controls the family-wise
/// error rate (the probability of rejecting any true hypothesis) at α under arbitrary
/// dependence between the tests, and is uniformly more powerful than plain Bonferroni.
/// Sort the m p-values ascending; reject H₍₁₎…H₍ₖ₎ where k is the largest index with
/// p₍ⱼ₎ ≤ α/(m − j + 1) for all j ≤ k. Equals statsmodels'
/// `multipletests(p, alpha, method='holm')`.
public enum Holm {
    /// Decisions and adjusted p-values for a family of p-values (each in [0, 1]).
    /// An empty family gives empty results.
    public static func adjust(pValues: [Double], alpha: Double) throws -> HolmResult {
        try Validate.probability(alpha, "alpha")
        for p in pValues where !(p >= 0 && p <= 1) {
            throw StatisticsError.invalidArgument("p-values must lie in [0, 1] (got \(p))")
        }
        let m = pValues.count
        let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return HolmResult(rejected: adjusted.map { $0 <= alpha }, adjustedPValues: adjusted, alpha: alpha)
    }
}
