#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The likelihood-ratio test of a multivariate normal covariance, H₀: Σ = Σ₀ (mean unknown).
///
/// Means are what Hotelling's T² sees; a sampler whose noise is a few percent too large, or whose
/// covariance is rotated, moves no mean. This test looks at the whole covariance at once. With S the
/// unbiased sample covariance of n rows in p dimensions and ℓ₁ … ℓ_p the eigenvalues of Σ₀⁻¹S,
/// λ = (n − 1) Σ (ℓᵢ − log ℓᵢ − 1) = (n − 1)[tr Σ₀⁻¹S − log det Σ₀⁻¹S − p] (Anderson 2003, §10.8), and
/// ρλ with Bartlett's ρ = 1 − (2p² + 3p − 1)/(6(n − 1)(p + 1)) is χ² with p(p + 1)/2 degrees of freedom
/// to O(n⁻²). Like the χ² variance test it assumes normal rows: heavy tails inflate its false-fail rate.
/// Its power against one direction's variance off by a factor r is about that of a χ² test with
/// noncentrality (n − 1)(r − 1 − log r) on p(p + 1)/2 degrees of freedom, so a directional test
/// (`VarianceTest.chiSquare` on a projection) is stronger where the direction of a fault is known.
public enum CovarianceTest {
    /// Tests H₀: Cov(rows) = `nullCovariance` (p × p, symmetric positive definite). Needs n > p.
    /// `statistic` is ρλ, `estimate` is tr Σ₀⁻¹S / p (1 under H₀), `nullValue` 1.
    public static func likelihoodRatio(_ rows: [[Double]], nullCovariance: [[Double]]) throws -> TestResult {
        let p = nullCovariance.count
        guard p >= 1 else { throw StatisticsError.invalidArgument("nullCovariance must be at least 1 × 1") }
        for row in nullCovariance {
            guard row.count == p else { throw StatisticsError.invalidArgument("nullCovariance must be square, got a row of \(row.count) in \(p) × \(p)") }
            try Validate.finite(row, "nullCovariance")
        }
        try Validate.matrix(rows, "rows", dimension: p)
        let n = rows.count
        guard n > p else { throw StatisticsError.tooFewPoints("rows", required: p + 1, actual: n) }
        let s = sampleCovariance(rows, p: p)
        let l0 = try cholesky(nullCovariance, name: "nullCovariance")
        // W = L₀⁻¹ S L₀⁻ᵀ has the eigenvalues of Σ₀⁻¹S.
        let w = congruence(s, byInverseOf: l0)
        var trace = 0.0
        for i in 0..<p { trace += w[i][i] }
        let lw = try cholesky(w, name: "the whitened sample covariance")
        var logDet = 0.0
        for i in 0..<p { logDet += 2 * log(lw[i][i]) }
        let m = Double(n - 1), dp = Double(p)
        let lambda = m * (trace - logDet - dp)
        let rho = 1 - (2 * dp * dp + 3 * dp - 1) / (6 * m * (dp + 1))
        let df = dp * (dp + 1) / 2
        let statistic = max(0, rho * lambda)
        return TestResult(statistic: statistic, degreesOfFreedom: df, pValue: try GSL.chiSquareQ(statistic, df: df),
                          alternative: .twoSided, estimate: trace / dp, standardError: .nan, nullValue: 1)
    }

    /// The unbiased sample covariance (divisor n − 1), in two passes.
    public static func sampleCovariance(_ rows: [[Double]], p: Int) -> [[Double]] {
        let n = rows.count
        var mean = [Double](repeating: 0, count: p)
        for row in rows { for k in 0..<p { mean[k] += row[k] } }
        for k in 0..<p { mean[k] /= Double(n) }
        var c = [Double](repeating: 0, count: p * p)
        var d = [Double](repeating: 0, count: p)
        for row in rows {
            for k in 0..<p { d[k] = row[k] - mean[k] }
            for a in 0..<p {
                let da = d[a]
                for b in 0...a { c[a * p + b] += da * d[b] }
            }
        }
        var out = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for a in 0..<p {
            for b in 0...a {
                let v = c[a * p + b] / Double(n - 1)
                out[a][b] = v
                out[b][a] = v
            }
        }
        return out
    }

    /// Lower-triangular L with LLᵀ = a; throws when a is not (numerically) positive definite (a pivot
    /// below 10⁻¹³ of the largest diagonal entry).
    static func cholesky(_ a: [[Double]], name: String) throws -> [[Double]] {
        let scale = (0..<a.count).map { abs(a[$0][$0]) }.max() ?? 0
        return try SmallCholesky.lower(a, minimumPivot: 1e-13 * scale) { j, pivot in
            StatisticsError.singularCovariance("\(name) is not positive definite (Cholesky pivot \(pivot) at coordinate \(j))")
        }
    }

    /// L⁻¹ S L⁻ᵀ for lower-triangular L.
    static func congruence(_ s: [[Double]], byInverseOf l: [[Double]]) -> [[Double]] {
        let p = s.count
        func solveLower(_ b: [Double]) -> [Double] {
            var x = b
            for i in 0..<p {
                var v = x[i]
                for k in 0..<i { v -= l[i][k] * x[k] }
                x[i] = v / l[i][i]
            }
            return x
        }
        // Columns of L⁻¹S, then rows of (L⁻¹S)L⁻ᵀ = (L⁻¹(L⁻¹S)ᵀ)ᵀ; S is symmetric.
        let a = (0..<p).map { j in solveLower((0..<p).map { s[$0][j] }) }   // a[j] = column j of L⁻¹S
        let rowsOfA = (0..<p).map { i in (0..<p).map { a[$0][i] } }           // rows of L⁻¹S
        let w = rowsOfA.map { solveLower($0) }                               // rows of L⁻¹S L⁻ᵀ
        var out = w
        for i in 0..<p { for j in 0..<i { let v = 0.5 * (w[i][j] + w[j][i]); out[i][j] = v; out[j][i] = v } }
        return out
    }
}
