/// Exact (Clopper–Pearson) inference for a binomial proportion, e.g. the fraction of
/// guided samples that satisfy a constraint.
///
/// The Clopper–Pearson interval inverts two one-sided exact binomial tests; its ends
/// are Beta quantiles (`gsl_cdf_beta_Pinv`):
///   lower = B⁻¹(α/2; k, n − k + 1) (0 when k = 0),
///   upper = B⁻¹(1 − α/2; k + 1, n − k) (1 when k = n).
/// Its coverage is at least the nominal level for every p (it is conservative). It
/// equals statsmodels' `proportion_confint(method='beta')` and scipy's
/// `binomtest(k, n).proportion_ci(method='exact')`.
public enum Binomial {
    /// Two-sided Clopper–Pearson interval for the success probability.
    public static func clopperPearson(successes k: Int, trials n: Int, confidence: Double) throws -> ConfidenceInterval {
        try validate(k, n)
        try Validate.probability(confidence, "confidence")
        let alpha = 1 - confidence
        return ConfidenceInterval(lower: try lowerEnd(k, n, tail: alpha / 2), upper: try upperEnd(k, n, tail: alpha / 2),
                                  confidence: confidence)
    }

    /// One-sided upper bound: p ≤ bound with confidence `confidence` (uses the whole α in one tail).
    public static func clopperPearsonUpperBound(successes k: Int, trials n: Int, confidence: Double) throws -> Double {
        try validate(k, n)
        try Validate.probability(confidence, "confidence")
        return try upperEnd(k, n, tail: 1 - confidence)
    }

    /// One-sided lower bound: p ≥ bound with confidence `confidence`.
    public static func clopperPearsonLowerBound(successes k: Int, trials n: Int, confidence: Double) throws -> Double {
        try validate(k, n)
        try Validate.probability(confidence, "confidence")
        return try lowerEnd(k, n, tail: 1 - confidence)
    }

    /// Exact binomial test of H₀: p = `nullProportion`. `.greater`: P(X ≥ k); `.less`:
    /// P(X ≤ k); `.twoSided`: twice the smaller of the two (capped at 1), the test that
    /// the Clopper–Pearson interval inverts. (scipy's `binomtest` two-sided p-value uses
    /// a different rule, summing all outcomes no more likely than k; one-sided values agree.)
    /// In the result, `statistic` is k, `estimate` is k/n; `degreesOfFreedom` and
    /// `standardError` are NaN.
    public static func exactTest(successes k: Int, trials n: Int, nullProportion p0: Double,
                                 alternative: Alternative = .twoSided) throws -> TestResult {
        try validate(k, n)
        try Validate.probability(p0, "nullProportion")
        let lower = try GSL.binomialP(k, p: p0, n: n)                       // P(X ≤ k)
        let upper = k == 0 ? 1 : try GSL.binomialQ(k - 1, p: p0, n: n)     // P(X ≥ k)
        return TestResult(statistic: Double(k), degreesOfFreedom: .nan,
                          pValue: pValue(lowerTail: lower, upperTail: upper, alternative: alternative),
                          alternative: alternative, estimate: Double(k) / Double(n), standardError: .nan,
                          nullValue: p0)
    }

    static func validate(_ k: Int, _ n: Int) throws {
        guard n >= 1 else { throw StatisticsError.invalidArgument("trials must be at least 1 (got \(n))") }
        guard n <= Int(UInt32.max) else { throw StatisticsError.invalidArgument("trials must fit in 32 bits for GSL (got \(n))") }
        guard k >= 0, k <= n else {
            throw StatisticsError.invalidArgument("successes must lie in 0...\(n) (got \(k))")
        }
    }

    /// B⁻¹(tail; k, n − k + 1), or 0 when k = 0.
    static func lowerEnd(_ k: Int, _ n: Int, tail: Double) throws -> Double {
        k == 0 ? 0 : try GSL.betaQuantile(tail, a: Double(k), b: Double(n - k + 1))
    }

    /// B⁻¹(1 − tail; k + 1, n − k), or 1 when k = n.
    static func upperEnd(_ k: Int, _ n: Int, tail: Double) throws -> Double {
        k == n ? 1 : try GSL.betaQuantile(1 - tail, a: Double(k + 1), b: Double(n - k))
    }
}
