import Statistics
import PropertyEngine

/// Rate evidence from a log-log sweep: the least-squares slope, its 99% confidence interval, and the
/// p-value of the one-sided test against the claimed rate (small when the data contradict the claim).
enum RateEvidence {
    static func slope(x: [Double], y: [Double], claimed: Double, claimIsUpperBound: Bool, numbers: [String: Double], note: String) throws -> Evidence {
        let fit = try LinearFit.ordinaryLeastSquares(x: x, y: y)
        var numbers = numbers
        numbers["intercept"] = fit.intercept
        numbers["slope_standard_error"] = fit.slopeStandardError
        let interval = try fit.slopeInterval(confidence: 0.99)
        // Claim "slope ≤ claimed": the evidence against it is a slope significantly greater.
        let test = try fit.slopeTest(nullSlope: claimed, alternative: claimIsUpperBound ? .greater : .less)
        let p = fit.slopeStandardError > 0 ? test.pValue : ((claimIsUpperBound ? fit.slope <= claimed : fit.slope >= claimed) ? 1 : 0)
        return .rate(slope: fit.slope, lower: interval.lower, upper: interval.upper, confidence: 0.99, claimed: claimed, pValue: p,
                     numbers: numbers, note: note)
    }

    /// A two-sided test that the slope equals `claimed` (for "does not depend on" claims).
    static func flat(x: [Double], y: [Double], tolerance: Double, numbers: [String: Double], note: String) throws -> Evidence {
        let fit = try LinearFit.ordinaryLeastSquares(x: x, y: y)
        var numbers = numbers
        numbers["intercept"] = fit.intercept
        numbers["slope_standard_error"] = fit.slopeStandardError
        let interval = try fit.slopeInterval(confidence: 0.99)
        // Claim |slope| ≤ tolerance: evidence against it is a slope significantly above +tolerance or below −tolerance.
        let upper = try fit.slopeTest(nullSlope: tolerance, alternative: .greater).pValue
        let lower = try fit.slopeTest(nullSlope: -tolerance, alternative: .less).pValue
        let p = fit.slopeStandardError > 0 ? min(1, 2 * min(upper, lower)) : (abs(fit.slope) <= tolerance ? 1 : 0)
        return .rate(slope: fit.slope, lower: interval.lower, upper: interval.upper, confidence: 0.99, claimed: 0, pValue: p,
                     numbers: numbers, note: note)
    }
}
