#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Student's t tests for means: one-sample, paired, and two-sample (Welch's unequal-
/// variance test or the pooled equal-variance test). The statistic's null distribution
/// is Student t, evaluated with GSL (`gsl_cdf_tdist_P/Q`, which accept the
/// non-integer degrees of freedom of Welch's test).
///
/// The results equal scipy's `ttest_1samp`, `ttest_rel` and `ttest_ind(equal_var=…)`.
/// Power and sample-size calculations are in `Power.swift`
/// (`TTest.minimumDetectableDifference`, `TTest.requiredSampleSize`, …).
public enum TTest {
    /// H₀: E[x] = `nullMean`. Statistic t = (x̄ − μ₀)/(s/√n) with n − 1 degrees of freedom.
    /// Needs n ≥ 2 and a positive sample variance.
    public static func oneSample(_ x: [Double], nullMean: Double = 0,
                                 alternative: Alternative = .twoSided) throws -> TestResult {
        try Validate.count(x, atLeast: 2, "x")
        try Validate.finite(x, "x")
        try Validate.finite(nullMean, "nullMean")
        let n = Double(x.count)
        let m = Moments.mean(x)
        let v = Moments.variance(x, mean: m)
        guard v > 0 else { throw StatisticsError.degenerateData("x has zero sample variance") }
        let se = (v / n).squareRoot()
        return try result(estimate: m, nullValue: nullMean, standardError: se, df: n - 1, alternative: alternative)
    }

    /// Paired test: the one-sample test on the differences xᵢ − yᵢ, H₀: E[x − y] = `nullDifference`.
    public static func paired(_ x: [Double], _ y: [Double], nullDifference: Double = 0,
                              alternative: Alternative = .twoSided) throws -> TestResult {
        try Validate.sameLength(x, y, "y")
        return try oneSample(zip(x, y).map { $0 - $1 }, nullMean: nullDifference, alternative: alternative)
    }

    /// H₀: E[x] − E[y] = `nullDifference` for independent samples.
    ///
    /// - `equalVariances: false` (default): Welch's test, SE² = s²ₓ/n + s²ᵧ/m and the
    ///   Welch–Satterthwaite degrees of freedom (SE²)² / ((s²ₓ/n)²/(n−1) + (s²ᵧ/m)²/(m−1)).
    /// - `equalVariances: true`: the pooled test, s²ₚ = ((n−1)s²ₓ + (m−1)s²ᵧ)/(n+m−2),
    ///   SE² = s²ₚ(1/n + 1/m), n + m − 2 degrees of freedom.
    ///
    /// Needs at least two observations in each sample and not both variances zero.
    public static func twoSample(_ x: [Double], _ y: [Double], nullDifference: Double = 0,
                                 equalVariances: Bool = false,
                                 alternative: Alternative = .twoSided) throws -> TestResult {
        try Validate.count(x, atLeast: 2, "x")
        try Validate.count(y, atLeast: 2, "y")
        try Validate.finite(x, "x")
        try Validate.finite(y, "y")
        try Validate.finite(nullDifference, "nullDifference")
        let n = Double(x.count), m = Double(y.count)
        let mx = Moments.mean(x), my = Moments.mean(y)
        let vx = Moments.variance(x, mean: mx), vy = Moments.variance(y, mean: my)
        guard vx > 0 || vy > 0 else { throw StatisticsError.degenerateData("both samples have zero variance") }
        let se: Double, df: Double
        if equalVariances {
            df = n + m - 2
            let pooled = ((n - 1) * vx + (m - 1) * vy) / df
            se = (pooled * (1 / n + 1 / m)).squareRoot()
        } else {
            let a = vx / n, b = vy / m
            se = (a + b).squareRoot()
            df = (a + b) * (a + b) / (a * a / (n - 1) + b * b / (m - 1))
        }
        return try result(estimate: mx - my, nullValue: nullDifference, standardError: se, df: df,
                          alternative: alternative)
    }

    private static func result(estimate: Double, nullValue: Double, standardError se: Double, df: Double,
                               alternative: Alternative) throws -> TestResult {
        let t = (estimate - nullValue) / se
        let lower = try GSL.tP(t, df: df)
        let upper = try GSL.tQ(t, df: df)
        return TestResult(statistic: t, degreesOfFreedom: df,
                          pValue: pValue(lowerTail: lower, upperTail: upper, alternative: alternative),
                          alternative: alternative, estimate: estimate, standardError: se, nullValue: nullValue)
    }
}

// MARK: - Power

extension TTest {
    /// Which t test a power calculation is for.
    public enum Design: Sendable, Equatable {
        /// One-sample (or paired) test with n observations: SE = σ/√n, n − 1 df.
        case oneSample
        /// Two independent groups of n each, equal variances (pooled test):
        /// SE = σ√(2/n), 2n − 2 df.
        case twoSample
    }

    private static func standardError(n: Int, sigma: Double, design: Design) -> Double {
        design == .oneSample ? sigma / Double(n).squareRoot() : sigma * (2 / Double(n)).squareRoot()
    }

    private static func df(n: Int, design: Design, sigmaKnown: Bool) -> Double {
        sigmaKnown ? .infinity : (design == .oneSample ? Double(n - 1) : Double(2 * n - 2))
    }

    private static func validate(n: Int, sigma: Double, sigmaKnown: Bool) throws {
        guard n >= (sigmaKnown ? 1 : 2) else {
            throw StatisticsError.tooFewPoints("n", required: sigmaKnown ? 1 : 2, actual: n)
        }
        try Validate.positive(sigma, "sigma")
    }

    /// Probability that the test rejects when the true mean (difference) exceeds the null
    /// value by `difference` (signed). With `sigmaKnown` the z test; otherwise the exact
    /// noncentral-t power of the t test (scipy: `nct`, statsmodels: `TTestPower`).
    public static func power(n: Int, difference: Double, sigma: Double, falseFailRate alpha: Double,
                             alternative: Alternative = .twoSided, design: Design = .oneSample,
                             sigmaKnown: Bool = false) throws -> Double {
        try validate(n: n, sigma: sigma, sigmaKnown: sigmaKnown)
        try Validate.probability(alpha, "falseFailRate")
        try Validate.finite(difference, "difference")
        return try Detectability.power(noncentrality: difference / standardError(n: n, sigma: sigma, design: design),
                                       df: df(n: n, design: design, sigmaKnown: sigmaKnown), alpha: alpha,
                                       alternative: alternative)
    }

    /// The smallest |μ − μ₀| (or |μₓ − μᵧ| for `.twoSample`) detected with probability
    /// ≥ 1 − β by the level-α test with n observations (per group).
    ///
    /// With `sigmaKnown` (z test): δ_min = σ (z₁₋α/₂ + z₁₋β)/√n for two-sided tests
    /// (z₁₋α for one-sided; × √2 for two groups). Otherwise σ is the true standard
    /// deviation, to be estimated by the t test, and δ_min solves the exact noncentral-t
    /// power equation (slightly larger than the z value for small n).
    public static func minimumDetectableDifference(n: Int, falseFailRate alpha: Double, falsePassRate beta: Double,
                                                   sigma: Double, alternative: Alternative = .twoSided,
                                                   design: Design = .oneSample, sigmaKnown: Bool = false) throws -> Double {
        try validate(n: n, sigma: sigma, sigmaKnown: sigmaKnown)
        let ncp = try Detectability.minimumNoncentrality(df: df(n: n, design: design, sigmaKnown: sigmaKnown),
                                                         alpha: alpha, beta: beta, alternative: alternative)
        return ncp * standardError(n: n, sigma: sigma, design: design)
    }

    /// The smallest n (per group for `.twoSample`) whose level-α test detects a true
    /// difference of `difference` with probability ≥ 1 − β. With `sigmaKnown`:
    /// ⌈(σ (z₁₋α/₂ + z₁₋β)/δ)²⌉ (two-sided; × 2 for two groups).
    public static func requiredSampleSize(difference: Double, falseFailRate alpha: Double, falsePassRate beta: Double,
                                          sigma: Double, alternative: Alternative = .twoSided,
                                          design: Design = .oneSample, sigmaKnown: Bool = false) throws -> Int {
        try Detectability.validateDiscrepancy(difference, "difference")
        try Validate.positive(sigma, "sigma")
        try Detectability.validateRates(alpha, beta)
        return try Detectability.smallestInteger(from: sigmaKnown ? 1 : 2) { n in
            try minimumDetectableDifference(n: n, falseFailRate: alpha, falsePassRate: beta, sigma: sigma,
                                            alternative: alternative, design: design, sigmaKnown: sigmaKnown) <= difference
        }
    }
}

// MARK: - Linear fit (slope)
