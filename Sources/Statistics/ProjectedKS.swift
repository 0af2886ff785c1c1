#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of a Kolmogorov–Smirnov test on one-dimensional projections.
public struct ProjectedKSResult: Sendable, Equatable {
    /// The projection directions, normalised to unit length, in the order given.
    public let directions: [[Double]]
    /// The KS test of each projection.
    public let perDirection: [KSResult]
    /// Index of the direction with the smallest p-value.
    public let worstDirection: Int
    /// Bonferroni-combined p-value min(1, k · minᵢ pᵢ) for the whole family of k directions.
    public let pValue: Double
    /// The family-wise level α the decision was made at.
    public let alpha: Double
    /// α/k, the level each direction is tested at.
    public let perDirectionLevel: Double
    /// True when some direction has p ≤ α/k (equivalently `pValue` ≤ α): the
    /// multivariate null hypothesis is rejected at level α.
    public let rejected: Bool
}

/// Kolmogorov–Smirnov tests for multivariate samples through one-dimensional
/// projections x ↦ ⟨u, x⟩ on caller-supplied directions u₁…u_k.
///
/// If two distributions are equal, so is every projection, so each projected KS test
/// has level α/k and by Bonferroni the whole test has family-wise level ≤ α regardless
/// of the dependence between the projections. (The converse needs many directions: by
/// Cramér–Wold, distributions are determined by all their projections; random
/// directions detect any fixed difference with positive probability.)
///
/// Directions are passed in, so that this module needs no random number generator:
/// draw them from a seeded generator (e.g. Gaussian vectors) in the caller. They are
/// normalised here; a zero or non-finite direction is an error.
public enum ProjectedKS {
    /// One-sample test: H₀ "the rows of `samples` are i.i.d. from P". `projectedCDF(u)`
    /// must return the CDF of ⟨u, X⟩ under P for the unit direction u (for a Gaussian
    /// N(μ, Σ): the normal CDF with mean ⟨u, μ⟩ and variance uᵀΣu).
    public static func oneSample(_ samples: [[Double]], directions: [[Double]],
                                 projectedCDF: ([Double]) throws -> (Double) throws -> Double,
                                 alpha: Double, method: KolmogorovSmirnov.Method = .automatic) throws -> ProjectedKSResult {
        try Validate.probability(alpha, "alpha")
        let dim = try dimension(samples, "samples")
        let units = try normalised(directions, dimension: dim)
        var results: [KSResult] = []
        for u in units {
            let cdf = try projectedCDF(u)
            results.append(try KolmogorovSmirnov.oneSample(project(samples, on: u), cdf: cdf, method: method))
        }
        return combine(units, results, alpha: alpha)
    }

    /// Two-sample test: H₀ "the rows of `x` and of `y` come from the same distribution".
    public static func twoSample(_ x: [[Double]], _ y: [[Double]], directions: [[Double]],
                                 alpha: Double, method: KolmogorovSmirnov.Method = .automatic) throws -> ProjectedKSResult {
        try Validate.probability(alpha, "alpha")
        let dim = try dimension(x, "x")
        try Validate.matrix(y, "y", dimension: dim)
        guard !y.isEmpty else { throw StatisticsError.tooFewPoints("y", required: 1, actual: 0) }
        let units = try normalised(directions, dimension: dim)
        var results: [KSResult] = []
        for u in units {
            results.append(try KolmogorovSmirnov.twoSample(project(x, on: u), project(y, on: u), method: method))
        }
        return combine(units, results, alpha: alpha)
    }

    private static func dimension(_ rows: [[Double]], _ name: String) throws -> Int {
        guard !rows.isEmpty else { throw StatisticsError.tooFewPoints(name, required: 1, actual: 0) }
        let d = try Validate.matrix(rows, name)
        guard d >= 1 else { throw StatisticsError.invalidArgument("\(name) has rows of dimension 0") }
        return d
    }

    private static func normalised(_ directions: [[Double]], dimension: Int) throws -> [[Double]] {
        guard !directions.isEmpty else { throw StatisticsError.invalidArgument("at least one projection direction is needed") }
        try Validate.matrix(directions, "directions", dimension: dimension)
        return try directions.enumerated().map { index, u in
            let norm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0, norm.isFinite else {
                throw StatisticsError.invalidArgument("direction \(index) has zero (or non-finite) length")
            }
            return u.map { $0 / norm }
        }
    }

    private static func project(_ rows: [[Double]], on u: [Double]) -> [Double] {
        rows.map { row in
            var s = 0.0
            for k in row.indices { s += row[k] * u[k] }
            return s
        }
    }

    private static func combine(_ units: [[Double]], _ results: [KSResult], alpha: Double) -> ProjectedKSResult {
        let k = Double(results.count)
        var worst = 0
        for i in results.indices where results[i].pValue < results[worst].pValue { worst = i }
        let p = min(1, k * results[worst].pValue)
        return ProjectedKSResult(directions: units, perDirection: results, worstDirection: worst, pValue: p,
                                 alpha: alpha, perDirectionLevel: alpha / k, rejected: results[worst].pValue <= alpha / k)
    }
}

// MARK: - Power

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
