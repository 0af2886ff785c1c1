#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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

// MARK: - Power

extension VarianceTest {
    /// Probability that the χ² test rejects when σ²/σ₀² = `varianceRatio` (exact:
    /// (n − 1)s²/σ² is χ²ₙ₋₁, so the power is a χ² tail at the critical value / ratio).
    public static func power(n: Int, varianceRatio r: Double, falseFailRate alpha: Double,
                             alternative: Alternative = .twoSided) throws -> Double {
        guard n >= 2 else { throw StatisticsError.tooFewPoints("n", required: 2, actual: n) }
        try Validate.positive(r, "varianceRatio")
        try Validate.probability(alpha, "falseFailRate")
        let df = Double(n - 1)
        switch alternative {
        case .greater:
            return try GSL.chiSquareQ(try GSL.chiSquareQuantile(1 - alpha, df: df) / r, df: df)
        case .less:
            return try GSL.chiSquareP(try GSL.chiSquareQuantile(alpha, df: df) / r, df: df)
        case .twoSided:
            return try GSL.chiSquareQ(try GSL.chiSquareQuantile(1 - alpha / 2, df: df) / r, df: df)
                + (try GSL.chiSquareP(try GSL.chiSquareQuantile(alpha / 2, df: df) / r, df: df))
        }
    }

    /// The smallest departure of σ²/σ₀² detected with probability ≥ 1 − β (exact):
    /// - `.greater`: the ratio r = χ²₁₋α/χ²β (> 1): every σ² ≥ r σ₀² is detected;
    /// - `.less`: r = χ²α/χ²₁₋β (< 1): every σ² ≤ r σ₀² is detected;
    /// - `.twoSided`: r > 1 such that every ratio outside [1/r, r] is detected, from the
    ///   one-sided formulas at α/2 (conservative: the far tail is ignored).
    /// Quantiles are of χ² with n − 1 degrees of freedom.
    public static func minimumDetectableRatio(n: Int, falseFailRate alpha: Double, falsePassRate beta: Double,
                                              alternative: Alternative = .twoSided) throws -> Double {
        guard n >= 2 else { throw StatisticsError.tooFewPoints("n", required: 2, actual: n) }
        try Detectability.validateRates(alpha, beta)
        let df = Double(n - 1)
        func upper(_ a: Double) throws -> Double {
            try GSL.chiSquareQuantile(1 - a, df: df) / GSL.chiSquareQuantile(beta, df: df)
        }
        func lower(_ a: Double) throws -> Double {
            try GSL.chiSquareQuantile(a, df: df) / GSL.chiSquareQuantile(1 - beta, df: df)
        }
        switch alternative {
        case .greater: return try upper(alpha)
        case .less: return try lower(alpha)
        case .twoSided: return max(try upper(alpha / 2), 1 / (try lower(alpha / 2)))
        }
    }

    /// The smallest n detecting σ²/σ₀² = `varianceRatio` with probability ≥ 1 − β
    /// (ratio > 1 for `.greater`, < 1 for `.less`, ≠ 1 for `.twoSided`).
    public static func requiredSampleSize(varianceRatio r: Double, falseFailRate alpha: Double,
                                          falsePassRate beta: Double,
                                          alternative: Alternative = .twoSided) throws -> Int {
        try Validate.positive(r, "varianceRatio")
        try Detectability.validateRates(alpha, beta)
        switch alternative {
        case .greater where r <= 1, .less where r >= 1, .twoSided where r == 1:
            throw StatisticsError.invalidArgument("a variance ratio of \(r) is not in the direction of the alternative")
        default: break
        }
        return try Detectability.smallestInteger(from: 2, limit: 1 << 30) { n in
            let df = Double(n - 1)
            switch alternative {
            case .greater:
                return try GSL.chiSquareQuantile(1 - alpha, df: df) / GSL.chiSquareQuantile(beta, df: df) <= r
            case .less:
                return try GSL.chiSquareQuantile(alpha, df: df) / GSL.chiSquareQuantile(1 - beta, df: df) >= r
            case .twoSided:
                return r > 1
                    ? try GSL.chiSquareQuantile(1 - alpha / 2, df: df) / GSL.chiSquareQuantile(beta, df: df) <= r
                    : try GSL.chiSquareQuantile(alpha / 2, df: df) / GSL.chiSquareQuantile(1 - beta, df: df) >= r
            }
        }
    }
}

// MARK: - Binomial
