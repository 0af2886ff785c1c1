import CGSL

/// GSL's default error handler calls `abort()`. It is switched off exactly once, the
/// first time any entry point of this module touches GSL (Swift initialises globals
/// lazily and atomically), and from then on every GSL status or NaN result is turned
/// into a `StatisticsError` by the wrappers below.
private let gslErrorHandlerIsOff: Bool = {
    _ = gsl_set_error_handler_off()
    return true
}()

/// Thin, throwing wrappers over the GSL functions this module uses. Every wrapper
/// first makes sure the abort-on-error handler is off, and reports a NaN (GSL's
/// answer to a domain error once the handler is off) as `StatisticsError.gsl`.
enum GSL {
    /// Makes sure `gsl_set_error_handler_off()` has run. Cheap after the first call.
    @inline(never)
    static func prepare() {
        precondition(gslErrorHandlerIsOff)
    }

    /// Throws unless `status` is `GSL_SUCCESS`, naming the routine and GSL's reason.
    static func check(_ status: Int32, _ function: String) throws {
        guard status != 0 else { return }
        let reason = gsl_strerror(status).map { String(cString: $0) } ?? "unknown error"
        throw StatisticsError.gsl(function: function, status: status, message: reason)
    }

    /// Returns `value` unless GSL signalled a domain error with NaN.
    private static func checked(_ value: Double, _ function: String, _ arguments: @autoclosure () -> String) throws -> Double {
        guard !value.isNaN else {
            throw StatisticsError.gsl(function: function, status: 1, message: "returned NaN for \(arguments())")
        }
        return value
    }

    // MARK: Standard normal

    static func normalP(_ x: Double) -> Double { prepare(); return gsl_cdf_ugaussian_P(x) }
    static func normalQ(_ x: Double) -> Double { prepare(); return gsl_cdf_ugaussian_Q(x) }
    /// z with Φ(z) = p.
    static func normalQuantile(_ p: Double) throws -> Double {
        prepare()
        return try checked(gsl_cdf_ugaussian_Pinv(p), "gsl_cdf_ugaussian_Pinv", "P = \(p)")
    }

    // MARK: Student t (non-integer ν allowed, for Welch)

    static func tP(_ t: Double, df: Double) throws -> Double {
        prepare(); return try checked(gsl_cdf_tdist_P(t, df), "gsl_cdf_tdist_P", "t = \(t), nu = \(df)")
    }
    static func tQ(_ t: Double, df: Double) throws -> Double {
        prepare(); return try checked(gsl_cdf_tdist_Q(t, df), "gsl_cdf_tdist_Q", "t = \(t), nu = \(df)")
    }
    static func tQuantile(_ p: Double, df: Double) throws -> Double {
        prepare(); return try checked(gsl_cdf_tdist_Pinv(p, df), "gsl_cdf_tdist_Pinv", "P = \(p), nu = \(df)")
    }

    /// Student-t quantile, or the normal one when `df` is infinite (known variance).
    static func studentOrNormalQuantile(_ p: Double, df: Double) throws -> Double {
        df.isInfinite ? try normalQuantile(p) : try tQuantile(p, df: df)
    }

    // MARK: χ²

    static func chiSquareP(_ x: Double, df: Double) throws -> Double {
        prepare(); return try checked(gsl_cdf_chisq_P(x, df), "gsl_cdf_chisq_P", "x = \(x), nu = \(df)")
    }
    static func chiSquareQ(_ x: Double, df: Double) throws -> Double {
        prepare(); return try checked(gsl_cdf_chisq_Q(x, df), "gsl_cdf_chisq_Q", "x = \(x), nu = \(df)")
    }
    /// GSL 2.7's `gsl_cdf_chisq_Pinv` gives up (NaN) in the far tails at large ν (P = 1 − 1.4·10⁻⁶,
    /// ν = 65535, met when sizing a variance test for a 1% error); there the quantile is found by bisection
    /// on whichever tail is small (P or Q, each accurate where it is small), bracketed around ν.
    static func chiSquareQuantile(_ p: Double, df: Double) throws -> Double {
        prepare()
        let direct = gsl_cdf_chisq_Pinv(p, df)
        if direct.isFinite { return direct }
        guard p > 0, p < 1, df > 0, df.isFinite else {
            return try checked(direct, "gsl_cdf_chisq_Pinv", "P = \(p), nu = \(df)")
        }
        let upper = p > 0.5
        // Below the quantile: P(x) < p, i.e. Q(x) > 1 − p (the upper tail is the accurate one above the median).
        func below(_ x: Double) -> Bool { upper ? gsl_cdf_chisq_Q(x, df) > 1 - p : gsl_cdf_chisq_P(x, df) < p }
        var lo = 0.0, hi = max(1, 2 * df)
        while below(hi) {
            lo = hi
            hi *= 2
            guard hi < 1e300 else { throw StatisticsError.noConvergence("χ² quantile for P = \(p), nu = \(df)") }
        }
        while true {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi { break }
            if below(mid) { lo = mid } else { hi = mid }
        }
        return hi
    }

    // MARK: F and Beta

    static func fQ(_ x: Double, df1: Double, df2: Double) throws -> Double {
        prepare()
        return try checked(gsl_cdf_fdist_Q(x, df1, df2), "gsl_cdf_fdist_Q", "x = \(x), nu1 = \(df1), nu2 = \(df2)")
    }
    /// GSL's F quantile fails (NaN) for large denominator degrees of freedom (seen at P = 0.9999, ν = (4, 4996));
    /// then the quantile is found by bisection on GSL's upper tail, which stays accurate there.
    static func fQuantile(_ p: Double, df1: Double, df2: Double) throws -> Double {
        prepare()
        let direct = gsl_cdf_fdist_Pinv(p, df1, df2)
        if direct.isFinite { return direct }
        guard p > 0, p < 1, df1 > 0, df2 > 0 else {
            return try checked(direct, "gsl_cdf_fdist_Pinv", "P = \(p), nu1 = \(df1), nu2 = \(df2)")
        }
        let q = 1 - p
        var lo = 0.0, hi = 1.0
        while gsl_cdf_fdist_Q(hi, df1, df2) > q {
            lo = hi
            hi *= 2
            guard hi < 1e300 else { throw StatisticsError.noConvergence("F quantile for P = \(p), nu1 = \(df1), nu2 = \(df2)") }
        }
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if gsl_cdf_fdist_Q(mid, df1, df2) > q { lo = mid } else { hi = mid }
            if hi - lo <= 1e-14 * hi { break }
        }
        return 0.5 * (lo + hi)
    }
    static func betaP(_ x: Double, a: Double, b: Double) throws -> Double {
        prepare(); return try checked(gsl_cdf_beta_P(x, a, b), "gsl_cdf_beta_P", "x = \(x), a = \(a), b = \(b)")
    }
    static func betaQ(_ x: Double, a: Double, b: Double) throws -> Double {
        prepare(); return try checked(gsl_cdf_beta_Q(x, a, b), "gsl_cdf_beta_Q", "x = \(x), a = \(a), b = \(b)")
    }
    /// x with I_x(a, b) = p. GSL 2.7's `gsl_cdf_beta_Pinv` gives up (NaN) for some large shapes (a = 104,
    /// b = 4497 in a Clopper–Pearson bound over 4601 p-values); there the quantile is found by bisection on
    /// the CDF, which is monotone and evaluates fine, to the last bit of x.
    static func betaQuantile(_ p: Double, a: Double, b: Double) throws -> Double {
        prepare()
        let direct = gsl_cdf_beta_Pinv(p, a, b)
        if direct.isFinite { return direct }
        guard p >= 0, p <= 1, a > 0, b > 0, a.isFinite, b.isFinite else {
            return try checked(direct, "gsl_cdf_beta_Pinv", "P = \(p), a = \(a), b = \(b)")
        }
        var (lo, hi) = (0.0, 1.0)
        while true {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi { break }
            if try betaP(mid, a: a, b: b) < p { lo = mid } else { hi = mid }
        }
        return hi
    }

    // MARK: Binomial and Poisson

    /// P(X ≤ k) for X ~ Binomial(n, p).
    static func binomialP(_ k: Int, p: Double, n: Int) throws -> Double {
        prepare()
        return try checked(gsl_cdf_binomial_P(UInt32(k), p, UInt32(n)), "gsl_cdf_binomial_P", "k = \(k), p = \(p), n = \(n)")
    }
    /// P(X > k) for X ~ Binomial(n, p).
    static func binomialQ(_ k: Int, p: Double, n: Int) throws -> Double {
        prepare()
        return try checked(gsl_cdf_binomial_Q(UInt32(k), p, UInt32(n)), "gsl_cdf_binomial_Q", "k = \(k), p = \(p), n = \(n)")
    }
    static func poissonPDF(_ k: Int, mean: Double) -> Double {
        prepare(); return gsl_ran_poisson_pdf(UInt32(k), mean)
    }

    // MARK: Special functions

    static func logGamma(_ x: Double) -> Double { prepare(); return gsl_sf_lngamma(x) }
    static func logChoose(_ n: Int, _ k: Int) -> Double { prepare(); return gsl_sf_lnchoose(UInt32(n), UInt32(k)) }

    // MARK: Least squares

    struct LineFit {
        var c0 = 0.0, c1 = 0.0, cov00 = 0.0, cov01 = 0.0, cov11 = 0.0, sumSquares = 0.0
    }

    static func fitLinear(x: [Double], y: [Double]) throws -> LineFit {
        prepare()
        var r = LineFit()
        let status = gsl_fit_linear(x, 1, y, 1, x.count, &r.c0, &r.c1, &r.cov00, &r.cov01, &r.cov11, &r.sumSquares)
        try check(status, "gsl_fit_linear")
        return r
    }

    static func fitWeightedLinear(x: [Double], weights: [Double], y: [Double]) throws -> LineFit {
        prepare()
        var r = LineFit()
        let status = gsl_fit_wlinear(x, 1, weights, 1, y, 1, x.count, &r.c0, &r.c1, &r.cov00, &r.cov01, &r.cov11, &r.sumSquares)
        try check(status, "gsl_fit_wlinear")
        return r
    }
}
