#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A simultaneous confidence band for a CDF around the empirical CDF of a sample.
public struct EmpiricalCDFBand: Sendable, Equatable {
    /// The sample, sorted ascending.
    public let sortedSample: [Double]
    /// Half-width ε of the band.
    public let epsilon: Double
    /// The band's error rate: P(the true CDF leaves the band somewhere) ≤ α.
    public let alpha: Double

    /// Fₙ(x) = #{xᵢ ≤ x}/n.
    public func empiricalCDF(at x: Double) -> Double {
        var lo = 0, hi = sortedSample.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sortedSample[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return Double(lo) / Double(sortedSample.count)
    }

    /// max(0, Fₙ(x) − ε).
    public func lowerBound(at x: Double) -> Double { max(0, empiricalCDF(at: x) - epsilon) }
    /// min(1, Fₙ(x) + ε).
    public func upperBound(at x: Double) -> Double { min(1, empiricalCDF(at: x) + epsilon) }

    /// sup |Fₙ − F| over the real line for a continuous `cdf` (the KS statistic; it is
    /// attained at a data point, from the left or the right).
    public func supDistance(to cdf: (Double) throws -> Double) throws -> Double {
        let n = Double(sortedSample.count)
        var d = 0.0
        for (i, v) in sortedSample.enumerated() {
            let u = try cdf(v)
            guard u >= 0, u <= 1 else {
                throw StatisticsError.invalidArgument("the CDF returned \(u) at \(v); CDF values must lie in [0, 1]")
            }
            d = max(d, Double(i + 1) / n - u, u - Double(i) / n)
        }
        return d
    }

    /// True when the continuous `cdf` lies inside the band everywhere.
    public func contains(cdf: (Double) throws -> Double) throws -> Bool {
        try supDistance(to: cdf) <= epsilon
    }
}

/// The outcome of the DKWM goodness-of-fit test.
public struct DKWMTestResult: Sendable, Equatable {
    /// sup |Fₙ − F|.
    public let distance: Double
    /// The band half-width ε(n, α).
    public let epsilon: Double
    /// True when distance > ε: H₀ (the data come from F) is rejected at level α.
    public let rejected: Bool
    /// A valid, conservative p-value: min(1, 2 e^{−2 n D²}).
    public let pValueBound: Double
}

/// The Dvoretzky–Kiefer–Wolfowitz inequality with Massart's (1990) tight constant:
/// for every n and every ε > 0, P(supₓ |Fₙ(x) − F(x)| > ε) ≤ 2 e^{−2nε²}, for any F
/// (continuous or not). Hence the band Fₙ ± ε with ε = √(ln(2/α)/(2n)) covers the
/// true CDF everywhere with probability ≥ 1 − α, *non-asymptotically*. It is slightly
/// wider than the exact KS band but needs no distribution tables and holds for
/// discrete F. This is the approach of TensorFlow Probability's `statistical_testing`.
/// Power: `DKWM.minimumDetectableDistance` and `DKWM.requiredSampleSize` in `Power.swift`.
public enum DKWM {
    /// ε(n, α) = √(ln(2/α)/(2n)).
    public static func epsilon(n: Int, alpha: Double) throws -> Double {
        try Validate.positive(n, "n")
        try Validate.probability(alpha, "alpha")
        return (log(2 / alpha) / (2 * Double(n))).squareRoot()
    }

    /// The conservative p-value bound min(1, 2 e^{−2 n d²}) for an observed sup-distance d.
    public static func pValueBound(n: Int, distance d: Double) throws -> Double {
        try Validate.positive(n, "n")
        guard d >= 0 else { throw StatisticsError.invalidArgument("distance must be non-negative (got \(d))") }
        return min(1, 2 * exp(-2 * Double(n) * d * d))
    }

    /// The 1 − α band around the empirical CDF of `sample` (n ≥ 1, finite values).
    public static func band(_ sample: [Double], alpha: Double) throws -> EmpiricalCDFBand {
        try Validate.count(sample, atLeast: 1, "sample")
        try Validate.finite(sample, "sample")
        return EmpiricalCDFBand(sortedSample: sample.sorted(), epsilon: try epsilon(n: sample.count, alpha: alpha),
                                alpha: alpha)
    }

    /// Rejects H₀: "the data come from F" when sup |Fₙ − F| > ε(n, α); the false-fail
    /// rate is at most α for every n.
    public static func test(_ sample: [Double], cdf: (Double) throws -> Double, alpha: Double) throws -> DKWMTestResult {
        let b = try band(sample, alpha: alpha)
        let d = try b.supDistance(to: cdf)
        return DKWMTestResult(distance: d, epsilon: b.epsilon, rejected: d > b.epsilon,
                              pValueBound: try pValueBound(n: sample.count, distance: d))
    }
}

// MARK: - Power

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
