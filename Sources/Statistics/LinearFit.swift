#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A straight-line fit y ≈ intercept + slope · x by ordinary or weighted least squares
/// (GSL's `gsl_fit_linear` / `gsl_fit_wlinear`), with the slope's Student-t confidence
/// interval and one-sided bounds.
///
/// This is the tool for rate claims on log–log data: to check "gap ∝ K⁻¹", fit
/// log(gap) against log(K) and hold `slopeUpperBound(confidence:)` against −1 (the
/// claim survives if the bound is ≤ −1 + tolerance; it is refuted if even the lower
/// bound lies above the claimed rate).
///
/// Inference assumes independent errors that are normal with constant variance (OLS)
/// or with variance ∝ 1/wᵢ (WLS). The covariances are those of (intercept, slope).
public struct LinearFit: Sendable, Equatable {
    /// How the weights of a weighted fit are to be read.
    public enum WeightKind: Sendable, Equatable {
        /// wᵢ ∝ 1/σᵢ² up to an unknown common factor. The covariance is scaled by the
        /// weighted residual variance χ²/(n − 2) and intervals use Student t with n − 2
        /// degrees of freedom (statsmodels' WLS, scipy's `curve_fit(absolute_sigma=False)`).
        case relative
        /// wᵢ = 1/σᵢ² exactly (known measurement variances). The covariance is GSL's
        /// unscaled one and intervals use the normal distribution
        /// (scipy's `curve_fit(absolute_sigma=True)`).
        case inverseVariance
    }

    public let intercept: Double
    public let slope: Double
    /// Var(intercept) (GSL's cov00).
    public let interceptVariance: Double
    /// Cov(intercept, slope) (GSL's cov01).
    public let interceptSlopeCovariance: Double
    /// Var(slope) (GSL's cov11).
    public let slopeVariance: Double
    /// Σ wᵢ (yᵢ − ŷᵢ)² (wᵢ = 1 for OLS).
    public let residualSumOfSquares: Double
    /// The residual variance estimate s² = RSS/(n − 2) (for relative weights: the
    /// variance of a unit-weight observation).
    public let residualVariance: Double
    /// n − 2.
    public let degreesOfFreedom: Int
    /// Number of points n.
    public let count: Int
    /// True for `.inverseVariance` weights: the error variance is known and intervals
    /// use normal rather than Student-t quantiles.
    public let varianceIsKnown: Bool

    public var interceptStandardError: Double { interceptVariance.squareRoot() }
    public var slopeStandardError: Double { slopeVariance.squareRoot() }
    /// √(residualVariance).
    public var residualStandardDeviation: Double { residualVariance.squareRoot() }

    /// Ordinary least squares. Needs n ≥ 3 finite points with at least two distinct x.
    public static func ordinaryLeastSquares(x: [Double], y: [Double]) throws -> LinearFit {
        try validate(x: x, y: y)
        let r = try GSL.fitLinear(x: x, y: y)
        let df = x.count - 2
        return LinearFit(intercept: r.c0, slope: r.c1, interceptVariance: r.cov00, interceptSlopeCovariance: r.cov01,
                         slopeVariance: r.cov11, residualSumOfSquares: r.sumSquares,
                         residualVariance: r.sumSquares / Double(df), degreesOfFreedom: df, count: x.count,
                         varianceIsKnown: false)
    }

    /// Weighted least squares with positive finite weights (see `WeightKind` for how
    /// they are read). Needs n ≥ 3 points with at least two distinct x.
    public static func weightedLeastSquares(x: [Double], y: [Double], weights: [Double],
                                            weightKind: WeightKind = .relative) throws -> LinearFit {
        try validate(x: x, y: y)
        try Validate.sameLength(x, weights, "weights")
        try Validate.finite(weights, "weights")
        for w in weights where !(w > 0) {
            throw StatisticsError.invalidArgument("weights must be positive (got \(w))")
        }
        let r = try GSL.fitWeightedLinear(x: x, weights: weights, y: y)
        let df = x.count - 2
        let s2 = r.sumSquares / Double(df)
        let scale = weightKind == .relative ? s2 : 1
        return LinearFit(intercept: r.c0, slope: r.c1, interceptVariance: r.cov00 * scale,
                         interceptSlopeCovariance: r.cov01 * scale, slopeVariance: r.cov11 * scale,
                         residualSumOfSquares: r.sumSquares, residualVariance: s2, degreesOfFreedom: df,
                         count: x.count, varianceIsKnown: weightKind == .inverseVariance)
    }

    private static func validate(x: [Double], y: [Double]) throws {
        try Validate.sameLength(x, y, "y")
        try Validate.count(x, atLeast: 3, "x")
        try Validate.finite(x, "x")
        try Validate.finite(y, "y")
        guard let first = x.first, x.contains(where: { $0 != first }) else {
            throw StatisticsError.degenerateData("all x values are equal, so the slope is undefined")
        }
    }

    /// ŷ at `x`.
    public func predict(_ x: Double) -> Double { intercept + slope * x }

    /// The quantile of the reference distribution (Student t with n − 2 degrees of
    /// freedom, or the normal when the variance is known).
    func quantile(_ p: Double) throws -> Double {
        varianceIsKnown ? try GSL.normalQuantile(p) : try GSL.tQuantile(p, df: Double(degreesOfFreedom))
    }

    /// Two-sided interval slope ± q₁₋α/₂ · SE(slope) with q from `gsl_cdf_tdist_Pinv`.
    public func slopeInterval(confidence: Double) throws -> ConfidenceInterval {
        try Validate.probability(confidence, "confidence")
        let q = try quantile(1 - (1 - confidence) / 2)
        return ConfidenceInterval(lower: slope - q * slopeStandardError, upper: slope + q * slopeStandardError,
                                  confidence: confidence)
    }

    /// One-sided upper confidence bound: slope + q₁₋α · SE(slope). The true slope is
    /// below it with probability `confidence`.
    public func slopeUpperBound(confidence: Double) throws -> Double {
        try Validate.probability(confidence, "confidence")
        return slope + (try quantile(confidence)) * slopeStandardError
    }

    /// One-sided lower confidence bound: slope − q₁₋α · SE(slope).
    public func slopeLowerBound(confidence: Double) throws -> Double {
        try Validate.probability(confidence, "confidence")
        return slope - (try quantile(confidence)) * slopeStandardError
    }

    /// Two-sided interval for the intercept.
    public func interceptInterval(confidence: Double) throws -> ConfidenceInterval {
        try Validate.probability(confidence, "confidence")
        let q = try quantile(1 - (1 - confidence) / 2)
        return ConfidenceInterval(lower: intercept - q * interceptStandardError,
                                  upper: intercept + q * interceptStandardError, confidence: confidence)
    }

    /// t test of H₀: slope = `nullSlope` (z test when the variance is known).
    /// `.less` means the alternative "true slope < nullSlope".
    public func slopeTest(nullSlope: Double, alternative: Alternative = .twoSided) throws -> TestResult {
        try Validate.finite(nullSlope, "nullSlope")
        guard slopeStandardError > 0 else {
            throw StatisticsError.degenerateData("the residuals are zero, so the slope has no standard error")
        }
        let t = (slope - nullSlope) / slopeStandardError
        let df = varianceIsKnown ? Double.infinity : Double(degreesOfFreedom)
        let lower = varianceIsKnown ? GSL.normalP(t) : try GSL.tP(t, df: df)
        let upper = varianceIsKnown ? GSL.normalQ(t) : try GSL.tQ(t, df: df)
        return TestResult(statistic: t, degreesOfFreedom: df,
                          pValue: pValue(lowerTail: lower, upperTail: upper, alternative: alternative),
                          alternative: alternative, estimate: slope, standardError: slopeStandardError,
                          nullValue: nullSlope)
    }
}

// MARK: - Power

extension LinearFit {
    /// Σ (xᵢ − x̄)² of a design; Var(slope) = σ²/Sxx for OLS.
    static func sumOfSquaredDeviations(_ x: [Double]) throws -> Double {
        try Validate.count(x, atLeast: 3, "x")
        try Validate.finite(x, "x")
        let m = Moments.mean(x)
        let sxx = x.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        guard sxx > 0 else { throw StatisticsError.degenerateData("all x values are equal, so the slope is undefined") }
        return sxx
    }

    /// The smallest |slope − slope₀| that the level-α slope test detects with
    /// probability ≥ 1 − β, for the OLS design `x` and residual standard deviation σ:
    /// SE = σ/√Sxx, and δ_min = SE · (z₁₋α′ + z₁₋β) for known σ, or the exact
    /// noncentral-t solution with n − 2 degrees of freedom when σ is estimated.
    public static func minimumDetectableSlopeDifference(x: [Double], residualSigma sigma: Double,
                                                        falseFailRate alpha: Double, falsePassRate beta: Double,
                                                        alternative: Alternative = .twoSided,
                                                        sigmaKnown: Bool = false) throws -> Double {
        try Validate.positive(sigma, "residualSigma")
        let se = sigma / (try sumOfSquaredDeviations(x)).squareRoot()
        let df = sigmaKnown ? Double.infinity : Double(x.count - 2)
        return se * (try Detectability.minimumNoncentrality(df: df, alpha: alpha, beta: beta, alternative: alternative))
    }

    /// The detectable slope difference for a repeat of this experiment with the same design,
    /// taking this fit's standard error (and degrees of freedom) as the truth.
    public func minimumDetectableSlopeDifference(falseFailRate alpha: Double, falsePassRate beta: Double,
                                                 alternative: Alternative = .twoSided) throws -> Double {
        let df = varianceIsKnown ? Double.infinity : Double(degreesOfFreedom)
        return slopeStandardError * (try Detectability.minimumNoncentrality(df: df, alpha: alpha, beta: beta,
                                                                             alternative: alternative))
    }

    /// How many replicates r of the design `x` (each x value measured r times, so
    /// Sxx scales by r and there are r·n − 2 degrees of freedom) are needed to detect a
    /// slope difference `slopeDifference` with probability ≥ 1 − β.
    public static func requiredReplicates(x: [Double], slopeDifference: Double, residualSigma sigma: Double,
                                          falseFailRate alpha: Double, falsePassRate beta: Double,
                                          alternative: Alternative = .twoSided, sigmaKnown: Bool = false) throws -> Int {
        try Detectability.validateDiscrepancy(slopeDifference, "slopeDifference")
        try Validate.positive(sigma, "residualSigma")
        try Detectability.validateRates(alpha, beta)
        let sxx = try sumOfSquaredDeviations(x)
        return try Detectability.smallestInteger(from: 1) { r in
            let se = sigma / (sxx * Double(r)).squareRoot()
            let df = sigmaKnown ? Double.infinity : Double(r * x.count - 2)
            return se * (try Detectability.minimumNoncentrality(df: df, alpha: alpha, beta: beta,
                                                                alternative: alternative)) <= slopeDifference
        }
    }
}

// MARK: - χ² variance test
