#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of a Kolmogorov–Smirnov test.
public struct KSResult: Sendable, Equatable {
    /// D = sup |F̂ − F| (one-sample) or sup |F̂ − Ĝ| (two-sample).
    public let statistic: Double
    /// The largest positive deviation, sup (F̂ − F) (or sup (F̂ − Ĝ)).
    public let dPlus: Double
    /// The largest negative deviation, sup (F − F̂) (or sup (Ĝ − F̂)).
    public let dMinus: Double
    /// A data value at which the supremum is attained.
    public let location: Double
    /// Two-sided p-value P(D ≥ observed) under H₀.
    public let pValue: Double
    /// The method actually used (never `.automatic`).
    public let method: KolmogorovSmirnov.Method
    /// Size of the (first) sample.
    public let n: Int
    /// Size of the second sample (0 for the one-sample test).
    public let m: Int

    /// True when H₀ is rejected at level `alpha` (p ≤ α).
    public func rejects(at alpha: Double) throws -> Bool {
        try Validate.probability(alpha, "alpha")
        return pValue <= alpha
    }
}

/// Two-sided Kolmogorov–Smirnov goodness-of-fit tests (GSL has none).
///
/// **One-sample** (H₀: the data are i.i.d. from the continuous CDF F):
/// - `.exact`: the finite-n distribution of Dₙ (`KolmogorovDistribution.survival`:
///   Durbin matrix à la Marsaglia–Tsang–Wang, Birnbaum–Tingey in the far tail), as
///   scipy's `kstest(method='exact')`; n ≤ 100 000.
/// - `.asymptotic`: Kolmogorov's limiting law with Stephens' correction,
///   P(K > (√n + 0.12 + 0.11/√n) D).
/// - `.automatic`: exact for n ≤ 10 000, asymptotic above.
///
/// **Two-sample** (H₀: both samples come from the same continuous distribution):
/// - `.exact`: the permutation (lattice-path) distribution of D
///   (`TwoSampleKSDistribution`), as scipy's `ks_2samp(method='exact')`. Exact without
///   ties, conservative with them.
/// - `.asymptotic`: the limiting law at the effective size nₑ = n·m/(n + m) with
///   Stephens' correction, P(K > (√nₑ + 0.12 + 0.11/√nₑ) D) (Numerical Recipes'
///   `kstwo`). (scipy's `ks_2samp(method='asymp')` instead evaluates the one-sample
///   finite-n law at round(nₑ); the two agree to a few per cent.)
/// - `.automatic`: exact when n·m ≤ 10⁷, asymptotic above.
///
/// The statistic is exact for any data; for a discontinuous F (or ties between the two
/// samples) the p-values are conservative.
public enum KolmogorovSmirnov {
    /// How the p-value is computed.
    public enum Method: Sendable, Equatable {
        case automatic
        case exact
        case asymptotic
    }

    /// The largest n for which `.automatic` uses the exact one-sample distribution.
    public static let automaticExactOneSampleLimit = 10_000
    /// The largest n·m for which `.automatic` uses the exact two-sample distribution.
    public static let automaticExactTwoSampleLimit = 10_000_000

    /// One-sample test of `x` against the continuous CDF `cdf` (which must return values
    /// in [0, 1] at the data). Needs n ≥ 1.
    public static func oneSample(_ x: [Double], cdf: (Double) throws -> Double,
                                 method: Method = .automatic) throws -> KSResult {
        try Validate.count(x, atLeast: 1, "x")
        try Validate.finite(x, "x")
        let sorted = x.sorted()
        let n = sorted.count
        let nn = Double(n)
        var dPlus = 0.0, dMinus = 0.0
        var plusAt = sorted[0], minusAt = sorted[0]
        for (i, v) in sorted.enumerated() {
            let u = try cdf(v)
            guard u >= 0, u <= 1 else {
                throw StatisticsError.invalidArgument("the CDF returned \(u) at \(v); CDF values must lie in [0, 1]")
            }
            let above = Double(i + 1) / nn - u
            let below = u - Double(i) / nn
            if above > dPlus { dPlus = above; plusAt = v }
            if below > dMinus { dMinus = below; minusAt = v }
        }
        let d = max(dPlus, dMinus)
        let used: Method
        switch method {
        case .automatic: used = n <= automaticExactOneSampleLimit ? .exact : .asymptotic
        default: used = method
        }
        let p = used == .exact ? try KolmogorovDistribution.survival(n: n, d: d)
                               : try KolmogorovDistribution.asymptoticSurvival(n: n, d: d)
        return KSResult(statistic: d, dPlus: dPlus, dMinus: dMinus, location: dPlus >= dMinus ? plusAt : minusAt,
                        pValue: p, method: used, n: n, m: 0)
    }

    /// Two-sample test of H₀: `x` and `y` come from the same continuous distribution.
    /// Needs at least one observation in each sample.
    public static func twoSample(_ x: [Double], _ y: [Double], method: Method = .automatic) throws -> KSResult {
        try Validate.count(x, atLeast: 1, "x")
        try Validate.count(y, atLeast: 1, "y")
        try Validate.finite(x, "x")
        try Validate.finite(y, "y")
        let (n, m) = (x.count, y.count)
        let (scaledPlus, scaledMinus, plusAt, minusAt) = scaledDeviations(x.sorted(), y.sorted())
        let scaled = max(scaledPlus, scaledMinus)
        let nm = Double(n) * Double(m)
        let d = Double(scaled) / nm
        let used: Method
        switch method {
        case .automatic: used = nm <= Double(automaticExactTwoSampleLimit) ? .exact : .asymptotic
        default: used = method
        }
        let p: Double
        if used == .exact {
            p = try TwoSampleKSDistribution.survival(n: n, m: m, scaledStatistic: scaled)
        } else {
            p = asymptoticTwoSampleSurvival(n: n, m: m, d: d)
        }
        return KSResult(statistic: d, dPlus: Double(scaledPlus) / nm, dMinus: Double(scaledMinus) / nm,
                        location: scaledPlus >= scaledMinus ? plusAt : minusAt, pValue: p, method: used, n: n, m: m)
    }

    /// P(K > (√nₑ + 0.12 + 0.11/√nₑ) d) with nₑ = n·m/(n + m).
    public static func asymptoticTwoSampleSurvival(n: Int, m: Int, d: Double) -> Double {
        let en = Double(n) * Double(m) / Double(n + m)
        let r = en.squareRoot()
        return KolmogorovDistribution.limitingSurvival((r + 0.12 + 0.11 / r) * d)
    }

    /// max (i·m − j·n) and max (j·n − i·m) over the merged sorted data (ties advanced
    /// together), where i, j count the x and y values ≤ the current value; D⁺ = first/(n m).
    static func scaledDeviations(_ x: [Double], _ y: [Double]) -> (Int, Int, Double, Double) {
        let n = x.count, m = y.count
        var i = 0, j = 0
        var plus = 0, minus = 0
        var plusAt = x[0], minusAt = x[0]
        while i < n || j < m {
            let v = j >= m ? x[i] : (i >= n ? y[j] : min(x[i], y[j]))
            while i < n && x[i] == v { i += 1 }
            while j < m && y[j] == v { j += 1 }
            let diff = i * m - j * n
            if diff > plus { plus = diff; plusAt = v }
            if -diff > minus { minus = -diff; minusAt = v }
        }
        return (plus, minus, plusAt, minusAt)
    }
}

// MARK: - Power

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
