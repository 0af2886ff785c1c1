/// The direction of the alternative hypothesis, in scipy's convention: the true
/// parameter (mean, mean difference, variance, proportion) is `.less` or `.greater`
/// than the hypothesised value, or differs in either direction (`.twoSided`).
public enum Alternative: Sendable, Equatable, CaseIterable {
    case twoSided
    case less
    case greater
}

/// A two-sided or one-sided confidence interval. One-sided bounds carry an infinite
/// (or, for proportions, 0 or 1) other end.
public struct ConfidenceInterval: Sendable, Equatable, CustomStringConvertible {
    public let lower: Double
    public let upper: Double
    /// The nominal coverage 1 − α.
    public let confidence: Double

    public init(lower: Double, upper: Double, confidence: Double) {
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
    }

    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
    public var width: Double { upper - lower }
    public var description: String { "[\(lower), \(upper)] at \(confidence)" }
}

/// The outcome of a classical test: the statistic, its reference distribution's degrees
/// of freedom, and the p-value for the stated alternative.
///
/// For tests of a location (t tests) `estimate` and `standardError` are the point
/// estimate of the tested quantity (mean, or mean difference) and its estimated
/// standard error, so that a confidence interval can be read off with
/// `confidenceInterval(confidence:)`.
public struct TestResult: Sendable, Equatable {
    public let statistic: Double
    /// Degrees of freedom of the null distribution (non-integer for Welch's test).
    public let degreesOfFreedom: Double
    public let pValue: Double
    public let alternative: Alternative
    /// The estimate of the tested quantity (x̄, x̄ − ȳ, s², …).
    public let estimate: Double
    /// Standard error of `estimate` (NaN where the test has none, e.g. the variance test).
    public let standardError: Double
    /// The hypothesised value of the tested quantity.
    public let nullValue: Double

    public init(statistic: Double, degreesOfFreedom: Double, pValue: Double, alternative: Alternative,
                estimate: Double, standardError: Double, nullValue: Double) {
        self.statistic = statistic
        self.degreesOfFreedom = degreesOfFreedom
        self.pValue = pValue
        self.alternative = alternative
        self.estimate = estimate
        self.standardError = standardError
        self.nullValue = nullValue
    }

    /// True when the null hypothesis is rejected at level `alpha` (p ≤ α).
    public func rejects(at alpha: Double) throws -> Bool {
        try Validate.probability(alpha, "alpha")
        return pValue <= alpha
    }

    /// Student-t confidence interval for the tested quantity, matching `alternative`:
    /// two-sided, or one-sided (−∞, u] for `.less` and [l, ∞) for `.greater`.
    /// Only for the t tests (where `standardError` is finite).
    public func confidenceInterval(confidence: Double) throws -> ConfidenceInterval {
        try Validate.probability(confidence, "confidence")
        guard standardError.isFinite else {
            throw StatisticsError.invalidArgument("this test has no standard error to build a t interval from")
        }
        let alpha = 1 - confidence
        switch alternative {
        case .twoSided:
            let q = try GSL.studentOrNormalQuantile(1 - alpha / 2, df: degreesOfFreedom)
            return ConfidenceInterval(lower: estimate - q * standardError, upper: estimate + q * standardError, confidence: confidence)
        case .less:
            let q = try GSL.studentOrNormalQuantile(confidence, df: degreesOfFreedom)
            return ConfidenceInterval(lower: -.infinity, upper: estimate + q * standardError, confidence: confidence)
        case .greater:
            let q = try GSL.studentOrNormalQuantile(confidence, df: degreesOfFreedom)
            return ConfidenceInterval(lower: estimate - q * standardError, upper: .infinity, confidence: confidence)
        }
    }
}

/// p-value of a statistic with a continuous null distribution given its CDF and
/// survival function at the observed value: lower tail for `.less`, upper tail for
/// `.greater`, twice the smaller tail (capped at 1) for `.twoSided`.
func pValue(lowerTail: Double, upperTail: Double, alternative: Alternative) -> Double {
    switch alternative {
    case .less: return lowerTail
    case .greater: return upperTail
    case .twoSided: return min(1, 2 * min(lowerTail, upperTail))
    }
}
