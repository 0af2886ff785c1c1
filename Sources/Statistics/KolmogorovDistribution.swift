import CGSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The null distribution of the one-sample two-sided Kolmogorov–Smirnov statistic
/// Dₙ = supₓ |Fₙ(x) − F(x)| (continuous F), finite-n and limiting. GSL has none of this.
///
/// **Finite n** (`cdf(n:d:)`, `survival(n:d:)`), following the algorithm choice of
/// Simard & L'Ecuyer (2011), "Computing the two-sided Kolmogorov–Smirnov distribution",
/// J. Stat. Softw. 39(11), as scipy's `kstwo` does:
/// - nd ≤ 1 and nd ≥ n − 1: Ruben & Gambino's closed forms;
/// - d ≥ 1/2: P(Dₙ ≥ d) = 2 P(Dₙ⁺ ≥ d) exactly (the two one-sided events are disjoint),
///   with P(Dₙ⁺ ≥ d) by the Birnbaum–Tingey (Smirnov) finite sum;
/// - upper tail with n d² ≥ 4 (n ≤ 140) or ≥ 2.2 (n > 140): 2 P(Dₙ⁺ ≥ d) (Miller's
///   approximation; the neglected P(Dₙ⁺ ≥ d, Dₙ⁻ ≥ d) is below ~1e-6 of the tail there,
///   and summing positive terms keeps tiny p-values accurate);
/// - otherwise: the exact Durbin matrix formula evaluated as in Marsaglia, Tsang & Wang
///   (2003), "Evaluating Kolmogorov's distribution", J. Stat. Softw. 8(18) (matrix power
///   by squaring with exponent bookkeeping, products by OpenBLAS `dgemm`). Its matrix
///   has order 2⌊nd⌋ + 1 ≤ 2√(2.2 n) + 1, so n is limited to `maximumExactN`.
///
/// **Limiting** (`limitingCDF`, `limitingSurvival`): Kolmogorov's distribution of
/// K = lim √n Dₙ, P(K > x) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2j²x²} (for x ≥ 1.18) or
/// 1 − (√(2π)/x) Σ_{j≥1} e^{−(2j−1)²π²/(8x²)} (for x < 1.18), both to double precision.
/// `asymptoticSurvival(n:d:)` applies Stephens' (1970) small-n correction
/// P(Dₙ ≥ d) ≈ P(K > (√n + 0.12 + 0.11/√n) d).
public enum KolmogorovDistribution {
    /// The largest n for which the finite-n (exact) distribution is evaluated.
    public static let maximumExactN = 100_000

    /// P(Dₙ ≤ d), exact (see the type's documentation for the algorithm by region).
    public static func cdf(n: Int, d: Double) throws -> Double {
        try validate(n: n, d: d)
        switch try region(n: n, d: d) {
        case .value(let cdf, _): return cdf
        case .smirnovTail: return max(0, 1 - 2 * (try oneSidedSurvival(n: n, d: d)))
        case .durbin: return try durbinCDF(n: n, d: d)
        }
    }

    /// P(Dₙ ≥ d), the p-value of an observed statistic d (exact, see the type's documentation).
    public static func survival(n: Int, d: Double) throws -> Double {
        try validate(n: n, d: d)
        switch try region(n: n, d: d) {
        case .value(_, let sf): return sf
        case .smirnovTail: return min(1, 2 * (try oneSidedSurvival(n: n, d: d)))
        case .durbin: return min(1, max(0, 1 - (try durbinCDF(n: n, d: d))))
        }
    }

    /// P(Dₙ⁺ ≥ d) for the one-sided statistic Dₙ⁺ = supₓ (Fₙ(x) − F(x)) (the same law as
    /// Dₙ⁻), by the Birnbaum–Tingey formula
    /// d Σ_{j=0}^{⌊n(1−d)⌋} C(n, j) (1 − d − j/n)^{n−j} (d + j/n)^{j−1}
    /// with each term formed in logarithms. This is scipy's `smirnov(n, d)` / `ksone.sf`.
    public static func oneSidedSurvival(n: Int, d: Double) throws -> Double {
        try validate(n: n, d: d)
        if d <= 0 { return 1 }
        if d >= 1 { return 0 }
        let nd = Double(n) * d
        var sum = 0.0
        for j in 0...n {
            let gap = (Double(n - j) - nd) / Double(n)   // 1 − d − j/n
            if gap <= 0 { break }
            let rise = (nd + Double(j)) / Double(n)       // d + j/n
            let logTerm = GSL.logChoose(n, j) + Double(n - j) * log(gap) + Double(j - 1) * log(rise)
            sum += exp(logTerm)
        }
        return min(1, d * sum)
    }

    /// P(K ≤ x) for Kolmogorov's limiting distribution (scipy's `kstwobign.cdf`).
    public static func limitingCDF(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 0 }
        if x < 1.18 { return smallArgumentCDF(x) }
        return 1 - largeArgumentSurvival(x)
    }

    /// P(K > x) for Kolmogorov's limiting distribution (scipy's `kstwobign.sf`,
    /// `scipy.special.kolmogorov`).
    public static func limitingSurvival(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 1 }
        if x < 1.18 { return 1 - smallArgumentCDF(x) }
        return largeArgumentSurvival(x)
    }

    /// Stephens' approximation P(Dₙ ≥ d) ≈ P(K > (√n + 0.12 + 0.11/√n) d); accurate to a
    /// few per cent of the p-value already for n ≈ 5 in the upper tail, better for large n.
    public static func asymptoticSurvival(n: Int, d: Double) throws -> Double {
        guard n >= 1 else { throw StatisticsError.invalidArgument("n must be at least 1 (got \(n))") }
        guard !d.isNaN else { throw StatisticsError.nonFiniteInput("d") }
        let r = Double(n).squareRoot()
        return limitingSurvival((r + 0.12 + 0.11 / r) * d)
    }

    // MARK: - Regions

    private enum Region {
        case value(cdf: Double, sf: Double)
        case smirnovTail
        case durbin
    }

    private static func validate(n: Int, d: Double) throws {
        guard n >= 1 else { throw StatisticsError.invalidArgument("n must be at least 1 (got \(n))") }
        guard !d.isNaN else { throw StatisticsError.nonFiniteInput("d") }
    }

    private static func region(n: Int, d: Double) throws -> Region {
        if d >= 1 { return .value(cdf: 1, sf: 0) }
        if d <= 0 { return .value(cdf: 0, sf: 1) }
        let nn = Double(n)
        let t = nn * d
        if t <= 0.5 { return .value(cdf: 0, sf: 1) }
        if t <= 1 {
            // Ruben & Gambino (1982): P(Dₙ ≤ d) = n!/nⁿ (2nd − 1)ⁿ for 1/(2n) ≤ d ≤ 1/n.
            let cdf = exp(GSL.logGamma(nn + 1) - nn * log(nn) + nn * log(2 * t - 1))
            return .value(cdf: cdf, sf: 1 - cdf)
        }
        if t >= nn - 1 {
            // Ruben & Gambino: P(Dₙ ≥ d) = 2(1 − d)ⁿ for d ≥ 1 − 1/n.
            let sf = 2 * pow(1 - d, nn)
            return .value(cdf: 1 - sf, sf: sf)
        }
        if d >= 0.5 { return .smirnovTail }
        let tailThreshold = n <= 140 ? 4.0 : 2.2
        if t * d >= tailThreshold { return .smirnovTail }
        guard n <= maximumExactN else {
            throw StatisticsError.invalidArgument(
                "the exact Kolmogorov distribution is evaluated for n ≤ \(maximumExactN) (got n = \(n)); use the asymptotic one")
        }
        return .durbin
    }

    // MARK: - Durbin matrix (Marsaglia, Tsang & Wang 2003)

    /// P(Dₙ < d) by the Durbin matrix: with k = ⌊nd⌋ + 1, m = 2k − 1, h = k − nd, the
    /// m × m matrix H (Hᵢⱼ = 1/(i − j + 1)! for i − j + 1 ≥ 0, corrected in the first
    /// column and last row), the answer is n!/nⁿ (Hⁿ)ₖₖ.
    static func durbinCDF(n: Int, d: Double) throws -> Double {
        let nd = Double(n) * d
        let k = Int(nd) + 1
        let m = 2 * k - 1
        let h = Double(k) - nd
        var hm = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in 0..<m where i - j + 1 >= 0 { hm[i * m + j] = 1 }
        }
        for i in 0..<m {
            hm[i * m] -= pow(h, Double(i + 1))
            hm[(m - 1) * m + i] -= pow(h, Double(m - i))
        }
        if 2 * h - 1 > 0 { hm[(m - 1) * m] += pow(2 * h - 1, Double(m)) }
        for i in 0..<m {
            for j in 0..<m where i - j + 1 > 0 {
                // divide by (i − j + 1)!
                var f = 1.0
                for g in stride(from: 2, through: i - j + 1, by: 1) { f *= Double(g) }
                hm[i * m + j] /= f
            }
        }
        let (q, exponent) = matrixPower(hm, m: m, power: n)
        var s = q[(k - 1) * m + (k - 1)]
        var e = exponent
        // Multiply by n!/nⁿ, keeping s in range.
        for i in 1...n {
            s = s * Double(i) / Double(n)
            if s < 0x1p-400 {
                s *= 0x1p400
                e -= 400
            }
        }
        let result = scalbn(s, e)
        guard result.isFinite else {
            throw StatisticsError.noConvergence("Durbin matrix evaluation overflowed for n = \(n), d = \(d)")
        }
        return min(1, max(0, result))
    }

    /// Aⁿ as (mantissa matrix, binary exponent), by repeated squaring with rescaling
    /// whenever the centre element exceeds 2⁴⁰⁰.
    private static func matrixPower(_ a: [Double], m: Int, power: Int) -> ([Double], Int) {
        var result: [Double]? = nil
        var resultExponent = 0
        var base = a
        var baseExponent = 0
        var p = power
        var scratch = [Double](repeating: 0, count: m * m)
        while p > 0 {
            if p & 1 == 1 {
                if let r = result {
                    multiply(r, base, into: &scratch, m: m)
                    result = scratch
                    resultExponent += baseExponent
                } else {
                    result = base
                    resultExponent = baseExponent
                }
                rescale(&result!, &resultExponent, m: m)
            }
            p >>= 1
            if p > 0 {
                multiply(base, base, into: &scratch, m: m)
                swap(&base, &scratch)
                baseExponent *= 2
                rescale(&base, &baseExponent, m: m)
            }
        }
        return (result!, resultExponent)
    }

    private static func rescale(_ v: inout [Double], _ exponent: inout Int, m: Int) {
        let centre = (m / 2) * m + m / 2
        while v[centre] > 0x1p400 {
            for i in v.indices { v[i] *= 0x1p-400 }
            exponent += 400
        }
    }

    private static func multiply(_ a: [Double], _ b: [Double], into c: inout [Double], m: Int) {
        let n32 = Int32(m)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n32, n32, n32, 1,
                                pa.baseAddress, n32, pb.baseAddress, n32, 0, pc.baseAddress, n32)
                }
            }
        }
    }

    // MARK: - Limiting series

    /// (√(2π)/x) Σ_{j≥1} exp(−(2j−1)²π²/(8x²)), for 0 < x < 1.18.
    private static func smallArgumentCDF(_ x: Double) -> Double {
        let w = -Double.pi * Double.pi / (8 * x * x)
        var sum = 0.0
        for j in 1...20 {
            let k = Double(2 * j - 1)
            let term = exp(k * k * w)
            sum += term
            if term < 1e-18 * sum || term == 0 { break }
        }
        return (2 * Double.pi).squareRoot() / x * sum
    }

    /// 2 Σ_{j≥1} (−1)^{j−1} exp(−2j²x²), for x ≥ 1.18.
    private static func largeArgumentSurvival(_ x: Double) -> Double {
        var sum = 0.0
        var sign = 1.0
        for j in 1...100 {
            let jj = Double(j)
            let term = exp(-2 * jj * jj * x * x)
            sum += sign * term
            if term < 1e-18 * abs(sum) || term == 0 { break }
            sign = -sign
        }
        return min(1, max(0, 2 * sum))
    }
}
