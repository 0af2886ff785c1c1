#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The noncentral Student t distribution, for exact power of t tests and slope tests
/// (GSL has no noncentral distributions).
///
/// T = (Z + δ)/√(V/ν) with Z ~ N(0, 1), V ~ χ²_ν independent. The CDF is Lenth's
/// Algorithm AS 243 (1989, Appl. Statist. 38, 185–189) with the refinements of R's
/// `pnt` (twin Poisson-weighted incomplete-beta series, error bound 1e-12); for
/// ν > 4·10⁵ or δ² > 1415 it uses Abramowitz & Stegun 26.7.10's normal approximation.
/// Agrees with scipy's `nct.cdf`.
public enum NoncentralT {
    /// P(T ≤ t) for ν = `df` > 0 degrees of freedom and noncentrality δ.
    public static func cdf(_ t: Double, df: Double, noncentrality ncp: Double) throws -> Double {
        guard df > 0, !df.isNaN else { throw StatisticsError.invalidArgument("df must be positive (got \(df))") }
        guard !t.isNaN else { throw StatisticsError.nonFiniteInput("t") }
        guard ncp.isFinite else { throw StatisticsError.nonFiniteInput("noncentrality") }
        if t == .infinity { return 1 }
        if t == -.infinity { return 0 }
        if df.isInfinite { return GSL.normalP(t - ncp) }
        let negative = t < 0
        let tt = negative ? -t : t
        let del = negative ? -ncp : ncp
        if df > 4e5 || del * del > 2 * M_LN2 * 1021 {
            let s = 1 / (4 * df)
            let z = (tt * (1 - s) - del) / (1 + tt * tt * 2 * s).squareRoot()
            let lower = GSL.normalP(z)
            return negative ? 1 - lower : lower
        }
        var tnc: Double
        let t2 = t * t
        let x = t2 / (t2 + df)
        if x > 0 {
            let lambda = del * del
            var p = 0.5 * exp(-0.5 * lambda)
            var q = (2 / Double.pi).squareRoot() * p * del
            var s = 0.5 - p
            if s < 1e-7 { s = -0.5 * expm1(-0.5 * lambda) }
            var a = 0.5
            let b = 0.5 * df
            let rxb = pow(df / (t2 + df), b)
            let logBeta = 0.5 * log(Double.pi) + GSL.logGamma(b) - GSL.logGamma(0.5 + b)
            var xodd = try GSL.betaP(x, a: a, b: b)
            var godd = 2 * rxb * exp(a * log(x) - logBeta)
            tnc = b * x
            var xeven = tnc < Double.ulpOfOne ? tnc : 1 - rxb
            var geven = tnc * rxb
            tnc = p * xodd + q * xeven
            var converged = false
            for it in 1...1000 {
                a += 1
                xodd -= godd
                xeven -= geven
                godd *= x * (a + b - 1) / a
                geven *= x * (a + b - 0.5) / (a + 0.5)
                p *= lambda / Double(2 * it)
                q *= lambda / Double(2 * it + 1)
                tnc += p * xodd + q * xeven
                s -= p
                if s < -1e-10 || (s <= 0 && it > 1) { converged = true; break }
                if abs(2 * s * (xodd - godd)) < 1e-12 { converged = true; break }
            }
            guard converged else {
                throw StatisticsError.noConvergence("noncentral t CDF at t = \(t), df = \(df), ncp = \(ncp)")
            }
        } else {
            tnc = 0
        }
        tnc += GSL.normalP(-del)
        tnc = min(tnc, 1)
        return negative ? 1 - tnc : tnc
    }

    /// P(T > t).
    public static func survival(_ t: Double, df: Double, noncentrality ncp: Double) throws -> Double {
        // P(T > t; ν, δ) = P(T' < −t; ν, −δ) with T' = −T, which avoids 1 − (value near 1)
        // for the upper tail computed by the series.
        try cdf(-t, df: df, noncentrality: -ncp)
    }
}

/// The noncentral F distribution, for the exact power of Hotelling's T² test.
///
/// F = (χ²_{ν₁}(λ)/ν₁)/(χ²_{ν₂}/ν₂). P(F > f) = Σⱼ Pois(j; λ/2) · Q_Beta(x; ν₁/2 + j, ν₂/2)
/// with x = ν₁f/(ν₁f + ν₂), summed outward from the Poisson mode until the remaining
/// weight is below 1e-16 (Johnson, Kotz & Balakrishnan, Continuous Univariate
/// Distributions vol. 2, ch. 30). Agrees with scipy's `ncf.sf`.
public enum NoncentralF {
    /// P(F > f) for ν₁ = `df1`, ν₂ = `df2` degrees of freedom and noncentrality λ ≥ 0.
    public static func survival(_ f: Double, df1: Double, df2: Double, noncentrality lambda: Double) throws -> Double {
        guard df1 > 0, df2 > 0, df1.isFinite, df2.isFinite else {
            throw StatisticsError.invalidArgument("degrees of freedom must be positive and finite (got \(df1), \(df2))")
        }
        guard lambda >= 0, lambda.isFinite else {
            throw StatisticsError.invalidArgument("noncentrality must be non-negative and finite (got \(lambda))")
        }
        guard !f.isNaN else { throw StatisticsError.nonFiniteInput("f") }
        if f <= 0 { return 1 }
        if f == .infinity { return 0 }
        let x = df1 * f / (df1 * f + df2)
        let mu = lambda / 2
        guard mu < 1e9 else {
            throw StatisticsError.invalidArgument("noncentrality \(lambda) is too large for the Poisson-mixture series")
        }
        if mu == 0 { return try GSL.betaQ(x, a: df1 / 2, b: df2 / 2) }
        let mode = Int(mu)
        var total = 0.0, weight = 0.0
        var j = mode
        while j <= mode + 100_000 {
            let w = GSL.poissonPDF(j, mean: mu)
            total += w * (try GSL.betaQ(x, a: df1 / 2 + Double(j), b: df2 / 2))
            weight += w
            if 1 - weight < 1e-16 || (j > mode && w < 1e-20) { break }
            j += 1
        }
        j = mode - 1
        while j >= 0 && 1 - weight >= 1e-16 {
            let w = GSL.poissonPDF(j, mean: mu)
            total += w * (try GSL.betaQ(x, a: df1 / 2 + Double(j), b: df2 / 2))
            weight += w
            if w < 1e-20 { break }
            j -= 1
        }
        return min(1, max(0, total))
    }
}
