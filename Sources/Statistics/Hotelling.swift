#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of Hotelling's one-sample T² test.
public struct HotellingResult: Sendable, Equatable {
    /// T² = n (x̄ − μ₀)ᵀ S⁻¹ (x̄ − μ₀).
    public let tSquared: Double
    /// F = (n − p) / (p (n − 1)) · T², which is F(p, n − p) under H₀.
    public let fStatistic: Double
    /// p (the dimension).
    public let numeratorDegreesOfFreedom: Int
    /// n − p.
    public let denominatorDegreesOfFreedom: Int
    public let pValue: Double
    /// The sample mean x̄.
    public let sampleMean: [Double]
    /// The unbiased sample covariance S (divisor n − 1), row-major p × p.
    public let sampleCovariance: [[Double]]
    /// (x̄ − μ₀)ᵀ S⁻¹ (x̄ − μ₀) = T²/n: the estimated squared Mahalanobis distance of the
    /// mean from μ₀ (the effect size that `HotellingT2.minimumDetectableDistance` speaks of).
    public let mahalanobisDistanceSquared: Double

    /// True when H₀ is rejected at level `alpha` (p ≤ α).
    public func rejects(at alpha: Double) throws -> Bool {
        try Validate.probability(alpha, "alpha")
        return pValue <= alpha
    }
}

/// Hotelling's T² test for a mean vector, H₀: E[x] = μ₀, for i.i.d. multivariate normal
/// rows. The p-value uses the exact F(p, n − p) null distribution (`gsl_cdf_fdist_Q`).
///
/// Linear algebra is a small Cholesky factorisation written here (no LAPACK): S is
/// first scaled to its correlation matrix R = D^{-1/2} S D^{-1/2} and R = L Lᵀ is
/// factorised; T² = n ‖L⁻¹ D^{-1/2}(x̄ − μ₀)‖².
///
/// **Singular covariances are refused, not regularised.** The test throws
/// `StatisticsError.singularCovariance` when a coordinate has zero sample variance or
/// when a Cholesky pivot of R falls below 1e-10 (that is, a coordinate is a linear
/// combination of the others up to R² > 1 − 1e-10), and `tooFewPoints` when n ≤ p
/// (S is then necessarily singular). A pseudo-inverse would silently change the
/// test's degrees of freedom; the caller should instead drop or project out the
/// degenerate directions (e.g. coordinates that are constant by construction) and
/// test the remaining ones.
public enum HotellingT2 {
    /// Relative Cholesky pivot below which the correlation matrix counts as singular.
    public static let singularityTolerance = 1e-10

    /// One-sample test of H₀: E[x] = `nullMean` for rows `samples` (n rows of dimension p,
    /// n > p ≥ 1).
    public static func oneSample(_ samples: [[Double]], nullMean: [Double]) throws -> HotellingResult {
        let p = nullMean.count
        guard p >= 1 else { throw StatisticsError.invalidArgument("nullMean must have at least one coordinate") }
        try Validate.finite(nullMean, "nullMean")
        try Validate.matrix(samples, "samples", dimension: p)
        let n = samples.count
        guard n > p else { throw StatisticsError.tooFewPoints("samples", required: p + 1, actual: n) }

        var mean = [Double](repeating: 0, count: p)
        for row in samples { for k in 0..<p { mean[k] += row[k] } }
        for k in 0..<p { mean[k] /= Double(n) }
        var cov = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for row in samples {
            for a in 0..<p {
                let da = row[a] - mean[a]
                for b in 0...a { cov[a][b] += da * (row[b] - mean[b]) }
            }
        }
        for a in 0..<p {
            for b in 0...a {
                cov[a][b] /= Double(n - 1)
                cov[b][a] = cov[a][b]
            }
        }
        var scale = [Double](repeating: 0, count: p)
        for k in 0..<p {
            guard cov[k][k] > 0 else {
                throw StatisticsError.singularCovariance("coordinate \(k) has zero sample variance")
            }
            scale[k] = cov[k][k].squareRoot()
        }
        var corr = cov
        for a in 0..<p { for b in 0..<p { corr[a][b] = cov[a][b] / (scale[a] * scale[b]) } }
        let lower = try choleskyFactor(corr)
        var z = (0..<p).map { (mean[$0] - nullMean[$0]) / scale[$0] }
        // Forward substitution L w = z, in place.
        for i in 0..<p {
            var s = z[i]
            for j in 0..<i { s -= lower[i][j] * z[j] }
            z[i] = s / lower[i][i]
        }
        let distance2 = z.reduce(0) { $0 + $1 * $1 }
        let t2 = Double(n) * distance2
        let df2 = n - p
        let f = Double(df2) / (Double(p) * Double(n - 1)) * t2
        let pValue = try GSL.fQ(f, df1: Double(p), df2: Double(df2))
        return HotellingResult(tSquared: t2, fStatistic: f, numeratorDegreesOfFreedom: p,
                               denominatorDegreesOfFreedom: df2, pValue: pValue, sampleMean: mean,
                               sampleCovariance: cov, mahalanobisDistanceSquared: distance2)
    }

    /// Lower-triangular L with L Lᵀ = r for a symmetric matrix with unit diagonal;
    /// throws when a pivot (1 − R² of a coordinate on its predecessors) is below the tolerance.
    static func choleskyFactor(_ r: [[Double]]) throws -> [[Double]] {
        try SmallCholesky.lower(r, minimumPivot: singularityTolerance) { j, pivot in
            StatisticsError.singularCovariance(
                "coordinate \(j) is (numerically) a linear combination of coordinates 0..<\(j): Cholesky pivot \(pivot) ≤ \(singularityTolerance)")
        }
    }
}

// MARK: - Power

extension HotellingT2 {
    /// Probability that the one-sample T² test with n observations in dimension p rejects
    /// when the true mean is at Mahalanobis distance Δ = √((μ − μ₀)ᵀ Σ⁻¹ (μ − μ₀)) from
    /// μ₀: the noncentral F(p, n − p) tail at the critical value, noncentrality n Δ².
    public static func power(n: Int, dimension p: Int, mahalanobisDistance delta: Double,
                             falseFailRate alpha: Double) throws -> Double {
        try validate(n: n, p: p)
        guard delta >= 0, delta.isFinite else {
            throw StatisticsError.invalidArgument("mahalanobisDistance must be non-negative (got \(delta))")
        }
        try Validate.probability(alpha, "falseFailRate")
        let c = try GSL.fQuantile(1 - alpha, df1: Double(p), df2: Double(n - p))
        return try NoncentralF.survival(c, df1: Double(p), df2: Double(n - p), noncentrality: Double(n) * delta * delta)
    }

    /// The smallest Mahalanobis distance Δ of the mean from μ₀ detected with probability
    /// ≥ 1 − β (exact, via the noncentral F).
    public static func minimumDetectableDistance(n: Int, dimension p: Int, falseFailRate alpha: Double,
                                                 falsePassRate beta: Double) throws -> Double {
        try validate(n: n, p: p)
        try Detectability.validateRates(alpha, beta)
        let target = 1 - beta
        if try power(n: n, dimension: p, mahalanobisDistance: 0, falseFailRate: alpha) >= target { return 0 }
        var hi = 1.0
        var steps = 0
        while try power(n: n, dimension: p, mahalanobisDistance: hi, falseFailRate: alpha) < target {
            hi *= 2
            steps += 1
            guard steps < 60 else { throw StatisticsError.noConvergence("Hotelling power never reaches \(target)") }
        }
        return try Detectability.bisect(lo: 0, hi: hi) {
            try power(n: n, dimension: p, mahalanobisDistance: $0, falseFailRate: alpha) >= target
        }
    }

    /// The smallest n (> p) detecting Mahalanobis distance Δ with probability ≥ 1 − β.
    public static func requiredSampleSize(mahalanobisDistance delta: Double, dimension p: Int,
                                          falseFailRate alpha: Double, falsePassRate beta: Double) throws -> Int {
        try Detectability.validateDiscrepancy(delta, "mahalanobisDistance")
        guard p >= 1 else { throw StatisticsError.invalidArgument("dimension must be at least 1 (got \(p))") }
        try Detectability.validateRates(alpha, beta)
        return try Detectability.smallestInteger(from: p + 1) { n in
            try power(n: n, dimension: p, mahalanobisDistance: delta, falseFailRate: alpha) >= 1 - beta
        }
    }

    private static func validate(n: Int, p: Int) throws {
        guard p >= 1 else { throw StatisticsError.invalidArgument("dimension must be at least 1 (got \(p))") }
        guard n > p else { throw StatisticsError.tooFewPoints("n", required: p + 1, actual: n) }
    }
}

// MARK: - Projected KS
