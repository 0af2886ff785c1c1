#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The power side of every test, in the manner of TensorFlow Probability's
// `statistical_testing`: for a sample size n, a false-fail rate α (the probability of
// rejecting a true claim, the test's level) and a false-pass rate β (the probability of
// accepting a claim that is wrong by at least the stated discrepancy), the smallest
// discrepancy the test detects with probability ≥ 1 − β (`minimumDetectable…`), and
// conversely the n that detects a given discrepancy (`requiredSampleSize`). Use them to
// size an experiment before running it, and to state what a passed test actually rules
// out. Discrepancies are magnitudes (positive) in the direction of the alternative.

/// Shared machinery: power and detectable shifts of a statistic (θ̂ − θ₀)/SE that is
/// Student t with `df` degrees of freedom (normal when `df` is infinite) under H₀.
enum Detectability {
    static func validateRates(_ alpha: Double, _ beta: Double) throws {
        try Validate.probability(alpha, "falseFailRate")
        try Validate.probability(beta, "falsePassRate")
    }

    /// Probability of rejecting when the standardised true shift is `ncp`
    /// ((θ − θ₀)/SE, signed): noncentral t (normal for df = ∞), both tails for `.twoSided`.
    static func power(noncentrality ncp: Double, df: Double, alpha: Double, alternative: Alternative) throws -> Double {
        switch alternative {
        case .greater:
            let c = try GSL.studentOrNormalQuantile(1 - alpha, df: df)
            return try NoncentralT.survival(c, df: df, noncentrality: ncp)
        case .less:
            let c = try GSL.studentOrNormalQuantile(alpha, df: df)
            return try NoncentralT.cdf(c, df: df, noncentrality: ncp)
        case .twoSided:
            let c = try GSL.studentOrNormalQuantile(1 - alpha / 2, df: df)
            return try NoncentralT.survival(c, df: df, noncentrality: ncp) + (try NoncentralT.cdf(-c, df: df, noncentrality: ncp))
        }
    }

    /// The standardised shift |θ − θ₀|/SE detected with probability 1 − β.
    ///
    /// Known variance (df = ∞): the textbook closed form z₁₋α′ + z₁₋β with α′ = α/2 for
    /// two-sided tests (it ignores the far rejection region, so it is conservative by a
    /// negligible Φ(−2z₁₋α′)). Estimated variance: solved exactly on the noncentral t.
    static func minimumNoncentrality(df: Double, alpha: Double, beta: Double, alternative: Alternative) throws -> Double {
        try validateRates(alpha, beta)
        let oneTail = alternative == .twoSided ? alpha / 2 : alpha
        let zApprox = (try GSL.normalQuantile(1 - oneTail)) + (try GSL.normalQuantile(1 - beta))
        if df.isInfinite { return max(0, zApprox) }
        let sign: Double = alternative == .less ? -1 : 1
        let target = 1 - beta
        func powerAt(_ delta: Double) throws -> Double {
            try power(noncentrality: sign * delta, df: df, alpha: alpha, alternative: alternative)
        }
        if try powerAt(0) >= target { return 0 }
        var hi = max(1, zApprox)
        var steps = 0
        while try powerAt(hi) < target {
            hi *= 2
            steps += 1
            guard steps < 60 else { throw StatisticsError.noConvergence("no finite shift reaches power \(target) with df = \(df)") }
        }
        return try bisect(lo: 0, hi: hi) { try powerAt($0) >= target }
    }

    /// Smallest x in [lo, hi] (to ~1e-12 relative) with `accept(x)`, for a monotone predicate
    /// false at lo and true at hi.
    static func bisect(lo: Double, hi: Double, _ accept: (Double) throws -> Bool) throws -> Double {
        var lo = lo, hi = hi
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi || hi - lo <= 1e-13 * hi { break }
            if try accept(mid) { hi = mid } else { lo = mid }
        }
        return hi
    }

    /// Smallest integer n ≥ `from` with `accept(n)`, for a predicate that is (essentially)
    /// monotone in n: doubling until it holds, then bisection.
    static func smallestInteger(from start: Int, limit: Int = 1 << 40, _ accept: (Int) throws -> Bool) throws -> Int {
        if try accept(start) { return start }
        var lo = start, hi = max(start + 1, 2 * start)
        while try !accept(hi) {
            lo = hi
            guard hi < limit else {
                throw StatisticsError.noConvergence("no sample size up to \(limit) achieves the requested power")
            }
            hi = min(limit, 2 * hi)
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if try accept(mid) { hi = mid } else { lo = mid }
        }
        return hi
    }

    static func validateDiscrepancy(_ value: Double, _ name: String) throws {
        guard value.isFinite, value > 0 else {
            throw StatisticsError.invalidArgument("\(name) must be positive and finite (got \(value))")
        }
    }
}

// MARK: - t tests

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

extension DKWM {
    /// The smallest sup-distance supₓ |F(x) − F₀(x)| that the DKWM test detects with
    /// probability ≥ 1 − β: ε(n, α) + ε(n, β) (2ε when α = β). Proof: with probability
    /// ≥ 1 − β the empirical CDF is within ε(n, β) of the truth, so it is farther than
    /// ε(n, α) from F₀. Non-asymptotic, like the band itself (TFP's
    /// `min_discrepancy_of_true_cdfs_detectable_by_dkwm`).
    public static func minimumDetectableDistance(n: Int, falseFailRate alpha: Double,
                                                 falsePassRate beta: Double) throws -> Double {
        try Detectability.validateRates(alpha, beta)
        return try epsilon(n: n, alpha: alpha) + epsilon(n: n, alpha: beta)
    }

    /// ⌈((√(ln(2/α)/2) + √(ln(2/β)/2))/D)²⌉, the inverse of `minimumDetectableDistance`.
    public static func requiredSampleSize(distance: Double, falseFailRate alpha: Double,
                                          falsePassRate beta: Double) throws -> Int {
        try Detectability.validateDiscrepancy(distance, "distance")
        try Detectability.validateRates(alpha, beta)
        let root = ((log(2 / alpha) / 2).squareRoot() + (log(2 / beta) / 2).squareRoot()) / distance
        let n = (root * root).rounded(.up)
        guard n < 1e15 else { throw StatisticsError.invalidArgument("distance \(distance) needs more than 10^15 samples") }
        // Guard against rounding at an exact integer.
        var result = max(1, Int(n))
        while result > 1, try minimumDetectableDistance(n: result - 1, falseFailRate: alpha, falsePassRate: beta) <= distance {
            result -= 1
        }
        return result
    }
}

// MARK: - Kolmogorov–Smirnov

extension KolmogorovSmirnov {
    /// The one-sample critical value c with P(Dₙ ≥ c) = α under H₀ (the test rejects
    /// when D ≥ c), for the finite-n (`.exact`) or Stephens-corrected asymptotic law;
    /// `.automatic` chooses as the test does.
    public static func criticalValue(n: Int, alpha: Double, method: Method = .automatic) throws -> Double {
        try Validate.positive(n, "n")
        try Validate.probability(alpha, "alpha")
        let exact = method == .exact || (method == .automatic && n <= automaticExactOneSampleLimit)
        return try Detectability.bisect(lo: 0, hi: 1) { d in
            (exact ? try KolmogorovDistribution.survival(n: n, d: d)
                   : try KolmogorovDistribution.asymptoticSurvival(n: n, d: d)) <= alpha
        }
    }

    /// The smallest sup-distance supₓ |F(x) − F₀(x)| that the one-sample KS test detects
    /// with probability ≥ 1 − β: c_α(n) + ε_DKWM(n, β) (with probability ≥ 1 − β the
    /// empirical CDF is within ε(n, β) of F, so D ≥ distance − ε(n, β) ≥ c_α). A valid,
    /// slightly conservative bound for every alternative F.
    public static func minimumDetectableDistance(n: Int, falseFailRate alpha: Double, falsePassRate beta: Double,
                                                 method: Method = .automatic) throws -> Double {
        try Detectability.validateRates(alpha, beta)
        return try criticalValue(n: n, alpha: alpha, method: method) + DKWM.epsilon(n: n, alpha: beta)
    }

    /// The smallest n with `minimumDetectableDistance(n:…)` ≤ `distance`.
    public static func requiredSampleSize(distance: Double, falseFailRate alpha: Double, falsePassRate beta: Double,
                                          method: Method = .automatic) throws -> Int {
        try Detectability.validateDiscrepancy(distance, "distance")
        try Detectability.validateRates(alpha, beta)
        guard distance < 1 else { return 1 }
        // Start near the asymptotic answer to keep the number of (possibly exact) evaluations small.
        let guess = try DKWM.requiredSampleSize(distance: distance, falseFailRate: alpha, falsePassRate: beta)
        let start = max(1, guess / 4)
        return try Detectability.smallestInteger(from: start) { n in
            try minimumDetectableDistance(n: n, falseFailRate: alpha, falsePassRate: beta, method: method) <= distance
        }
    }

    /// The two-sample critical value: the smallest attainable D with P(D ≥ c) ≤ α (exact
    /// permutation law), or the Stephens-corrected asymptotic value at nₑ = nm/(n + m).
    public static func criticalValue(n: Int, m: Int, alpha: Double, method: Method = .automatic) throws -> Double {
        try Validate.positive(n, "n")
        try Validate.positive(m, "m")
        try Validate.probability(alpha, "alpha")
        let nm = n * m
        let exact = method == .exact || (method == .automatic && Double(n) * Double(m) <= Double(automaticExactTwoSampleLimit))
        if exact {
            var lo = 1, hi = nm + 1   // survival(nm + 1) = 0
            while lo < hi {
                let mid = (lo + hi) / 2
                if try TwoSampleKSDistribution.survival(n: n, m: m, scaledStatistic: mid) <= alpha { hi = mid } else { lo = mid + 1 }
            }
            return Double(lo) / Double(nm)
        }
        return try Detectability.bisect(lo: 0, hi: 1) { d in asymptoticTwoSampleSurvival(n: n, m: m, d: d) <= alpha }
    }

    /// The smallest sup |F − G| detected with probability ≥ 1 − β by the two-sample test:
    /// c_α(n, m) + ε_DKWM(n, β/2) + ε_DKWM(m, β/2).
    public static func minimumDetectableDistance(n: Int, m: Int, falseFailRate alpha: Double, falsePassRate beta: Double,
                                                 method: Method = .automatic) throws -> Double {
        try Detectability.validateRates(alpha, beta)
        return try criticalValue(n: n, m: m, alpha: alpha, method: method)
            + DKWM.epsilon(n: n, alpha: beta / 2) + DKWM.epsilon(n: m, alpha: beta / 2)
    }
}

// MARK: - Hotelling T²

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

extension ProjectedKS {
    /// One-sample projected test with k directions: if along at least one of the
    /// directions the projected CDF differs from the hypothesised one by at least this
    /// sup-distance, the whole test rejects with probability ≥ 1 − β. It is the one-
    /// dimensional KS value at level α/k (the Bonferroni share).
    public static func minimumDetectableDistance(n: Int, directionCount k: Int, falseFailRate alpha: Double,
                                                 falsePassRate beta: Double,
                                                 method: KolmogorovSmirnov.Method = .automatic) throws -> Double {
        try Validate.positive(k, "directionCount")
        try Detectability.validateRates(alpha, beta)
        return try KolmogorovSmirnov.minimumDetectableDistance(n: n, falseFailRate: alpha / Double(k),
                                                               falsePassRate: beta, method: method)
    }

    /// Two-sample projected test with k directions: the two-sample KS value at level α/k.
    public static func minimumDetectableDistance(n: Int, m: Int, directionCount k: Int, falseFailRate alpha: Double,
                                                 falsePassRate beta: Double,
                                                 method: KolmogorovSmirnov.Method = .automatic) throws -> Double {
        try Validate.positive(k, "directionCount")
        try Detectability.validateRates(alpha, beta)
        return try KolmogorovSmirnov.minimumDetectableDistance(n: n, m: m, falseFailRate: alpha / Double(k),
                                                               falsePassRate: beta, method: method)
    }
}
