/// The χ² test for a normal variance, H₀: σ² = σ₀².
///
/// Statistic X = (n − 1)s²/σ₀², which is χ² with n − 1 degrees of freedom under H₀
/// when the data are i.i.d. normal (the test is *not* robust to non-normality: heavy
/// tails inflate its false-fail rate). p-values: lower tail for `.less`, upper tail for
/// `.greater`, twice the smaller tail for `.twoSided` (the equal-tailed convention).
/// Power: `VarianceTest.minimumDetectableRatio` and `requiredSampleSize` in `Power.swift`.
public enum VarianceTest {
    /// Tests whether the variance of `x` equals `nullVariance`. `estimate` in the result
    /// is s²; `standardError` is NaN. Needs n ≥ 2.
    public static func chiSquare(_ x: [Double], nullVariance: Double,
                                 alternative: Alternative = .twoSided) throws -> TestResult {
        try Validate.count(x, atLeast: 2, "x")
        try Validate.finite(x, "x")
        try Validate.positive(nullVariance, "nullVariance")
        let n = Double(x.count)
        let s2 = Moments.variance(x, mean: Moments.mean(x))
        let df = n - 1
        let statistic = df * s2 / nullVariance
        let lower = try GSL.chiSquareP(statistic, df: df)
        let upper = try GSL.chiSquareQ(statistic, df: df)
        return TestResult(statistic: statistic, degreesOfFreedom: df,
                          pValue: pValue(lowerTail: lower, upperTail: upper, alternative: alternative),
                          alternative: alternative, estimate: s2, standardError: .nan, nullValue: nullVariance)
    }

    /// Equal-tailed confidence interval for σ²: [(n−1)s²/χ²₁₋α/₂, (n−1)s²/χ²α/₂].
    public static func varianceInterval(_ x: [Double], confidence: Double) throws -> ConfidenceInterval {
        try Validate.count(x, atLeast: 2, "x")
        try Validate.finite(x, "x")
        try Validate.probability(confidence, "confidence")
        let df = Double(x.count - 1)
        let ss = df * Moments.variance(x, mean: Moments.mean(x))
        let alpha = 1 - confidence
        return ConfidenceInterval(lower: ss / (try GSL.chiSquareQuantile(1 - alpha / 2, df: df)),
                                  upper: ss / (try GSL.chiSquareQuantile(alpha / 2, df: df)),
                                  confidence: confidence)
    }
}
