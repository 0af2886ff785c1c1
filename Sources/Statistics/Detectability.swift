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
