import LinearAlgebra
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sample statistics and Gaussian densities written out with loops, independent of the package's
/// `EmpiricalMoments` and score code.
public enum Stats {
    /// Mean of the rows.
    public static func mean(_ x: Matrix<Double>) -> [Double] {
        var m = [Double](repeating: 0, count: x.columns)
        for i in 0..<x.rows { for j in 0..<x.columns { m[j] += x[i, j] } }
        return m.map { $0 / Double(x.rows) }
    }

    /// Unbiased sample covariance of the rows (divisor n − 1).
    public static func covariance(_ x: Matrix<Double>) -> Matrix<Double> {
        let m = mean(x)
        var c = Matrix<Double>(rows: x.columns, columns: x.columns)
        for i in 0..<x.rows {
            for p in 0..<x.columns {
                let dp = x[i, p] - m[p]
                for q in 0..<x.columns { c[p, q] += dp * (x[i, q] - m[q]) }
            }
        }
        return (1 / Double(x.rows - 1)) * c
    }

    /// The standard normal CDF Φ.
    public static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// log N(x; m, C) for SPD C, through the Cholesky factor and an explicit forward substitution:
    /// −½‖L⁻¹(x − m)‖² − Σ log Lᵢᵢ − (n/2) log 2π.
    public static func gaussianLogDensity(_ x: [Double], mean m: [Double], covariance c: Matrix<Double>) throws -> Double {
        let l = try Cholesky(c).lower
        let z = Naive.forwardSubstitution(l, (0..<x.count).map { x[$0] - m[$0] })
        var logDet = 0.0
        for i in 0..<l.rows { logDet += log(l[i, i]) }
        return -0.5 * Naive.dot(z, z) - logDet - 0.5 * Double(x.count) * log(2 * Double.pi)
    }

    /// log Σ exp(aᵢ) without overflow.
    public static func logSumExp(_ a: [Double]) -> Double {
        let m = a.max() ?? -Double.infinity
        if !m.isFinite { return m }
        return m + log(a.reduce(0) { $0 + exp($1 - m) })
    }
}
