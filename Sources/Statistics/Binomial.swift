#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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

// MARK: - Power

extension Binomial {
    /// Smallest k with P(X ≥ k | p₀) ≤ a (n + 1 when there is none).
    static func upperCritical(n: Int, p0: Double, tail a: Double) throws -> Int {
        var lo = 0, hi = n + 1   // P(X ≥ n + 1) = 0 ≤ a
        while lo < hi {
            let mid = (lo + hi) / 2
            let tail = mid == 0 ? 1 : try GSL.binomialQ(mid - 1, p: p0, n: n)
            if tail <= a { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Largest k with P(X ≤ k | p₀) ≤ a (−1 when there is none).
    static func lowerCritical(n: Int, p0: Double, tail a: Double) throws -> Int {
        var lo = -1, hi = n   // P(X ≤ −1) = 0 ≤ a
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if try GSL.binomialP(mid, p: p0, n: n) <= a { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Exact probability that `exactTest` rejects at level α when the true proportion is
    /// `trueProportion` (for `.twoSided`: either tail at α/2, as the doubled-minimum p-value does).
    public static func power(trials n: Int, nullProportion p0: Double, trueProportion p1: Double,
                             falseFailRate alpha: Double, alternative: Alternative = .twoSided) throws -> Double {
        try validate(0, n)
        try Validate.probability(p0, "nullProportion")
        guard p1 >= 0, p1 <= 1 else { throw StatisticsError.invalidArgument("trueProportion must lie in [0, 1] (got \(p1))") }
        try Validate.probability(alpha, "falseFailRate")
        func upperPower(_ a: Double) throws -> Double {
            let c = try upperCritical(n: n, p0: p0, tail: a)
            if c > n { return 0 }
            if c == 0 { return 1 }
            return try GSL.binomialQ(c - 1, p: p1, n: n)
        }
        func lowerPower(_ a: Double) throws -> Double {
            let c = try lowerCritical(n: n, p0: p0, tail: a)
            return c < 0 ? 0 : try GSL.binomialP(c, p: p1, n: n)
        }
        switch alternative {
        case .greater: return try upperPower(alpha)
        case .less: return try lowerPower(alpha)
        case .twoSided: return min(1, try upperPower(alpha / 2) + lowerPower(alpha / 2))
        }
    }

    /// The smallest |p − p₀| that the exact binomial test with n trials detects with
    /// probability ≥ 1 − β (exact binomial power, solved by bisection on p). For
    /// `.twoSided` the larger of the upward and downward distances. Throws when no
    /// proportion in the direction(s) of the alternative is detectable (too few trials,
    /// or p₀ too close to 0 or 1 for a downward/upward alternative).
    public static func minimumDetectableDifference(trials n: Int, nullProportion p0: Double,
                                                   falseFailRate alpha: Double, falsePassRate beta: Double,
                                                   alternative: Alternative = .twoSided) throws -> Double {
        try validate(0, n)
        try Validate.probability(p0, "nullProportion")
        try Detectability.validateRates(alpha, beta)
        let target = 1 - beta
        func side(up: Bool) throws -> Double {
            let end = up ? 1.0 : 0.0
            guard try power(trials: n, nullProportion: p0, trueProportion: end, falseFailRate: alpha,
                            alternative: alternative) >= target else {
                throw StatisticsError.invalidArgument(
                    "with \(n) trials no proportion \(up ? "above" : "below") p0 = \(p0) is detected with probability \(target)")
            }
            return try Detectability.bisect(lo: 0, hi: abs(end - p0)) { delta in
                try power(trials: n, nullProportion: p0, trueProportion: up ? p0 + delta : p0 - delta,
                          falseFailRate: alpha, alternative: alternative) >= target
            }
        }
        switch alternative {
        case .greater: return try side(up: true)
        case .less: return try side(up: false)
        case .twoSided: return max(try side(up: true), try side(up: false))
        }
    }

    /// The smallest n (found by doubling and bisection) whose exact test detects
    /// |p − p₀| = `difference` with probability ≥ 1 − β (for `.twoSided`, in both directions
    /// that stay inside [0, 1]). Binomial power is saw-toothed in n, so a few n slightly
    /// above the answer can fall marginally short; the returned n itself always achieves it.
    public static func requiredSampleSize(difference delta: Double, nullProportion p0: Double,
                                          falseFailRate alpha: Double, falsePassRate beta: Double,
                                          alternative: Alternative = .twoSided) throws -> Int {
        try Detectability.validateDiscrepancy(delta, "difference")
        try Validate.probability(p0, "nullProportion")
        try Detectability.validateRates(alpha, beta)
        var targets: [Double] = []
        if alternative != .less, p0 + delta <= 1 { targets.append(p0 + delta) }
        if alternative != .greater, p0 - delta >= 0 { targets.append(p0 - delta) }
        guard !targets.isEmpty else {
            throw StatisticsError.invalidArgument("p0 ± difference leaves [0, 1] in the direction of the alternative")
        }
        return try Detectability.smallestInteger(from: 1, limit: Int(UInt32.max)) { n in
            for p1 in targets where try power(trials: n, nullProportion: p0, trueProportion: p1, falseFailRate: alpha,
                                              alternative: alternative) < 1 - beta {
                return false
            }
            return true
        }
    }
}

// MARK: - DKWM
