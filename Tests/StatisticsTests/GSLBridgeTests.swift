import Testing
@testable import Statistics

@Suite struct GSLBridgeTests {
    @Test func gslDomainErrorsBecomeSwiftErrorsInsteadOfAborting() {
        // With GSL's default handler this call would abort the process (CDF_ERROR on nu ≤ 0).
        #expect(throws: StatisticsError.self) { try GSL.tQuantile(0.5, df: -1) }
        do {
            _ = try GSL.chiSquareQuantile(0.5, df: -3)
            Issue.record("expected an error")
        } catch let error as StatisticsError {
            guard case .gsl(let function, _, _) = error else {
                Issue.record("expected a GSL error, got \(error)")
                return
            }
            #expect(function == "gsl_cdf_chisq_Pinv")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func gslStatusCodesAreNamed() {
        // GSL_EDOM = 1.
        #expect(throws: StatisticsError.gsl(function: "f", status: 1, message: "input domain error")) {
            try GSL.check(1, "f")
        }
        #expect(throws: Never.self) { try GSL.check(0, "f") }
    }

    @Test func errorDescriptionsAreOneLine() {
        let errors: [StatisticsError] = [
            .nonFiniteInput("x"), .tooFewPoints("x", required: 2, actual: 1), .lengthMismatch("y", expected: 3, actual: 2),
            .invalidProbability("alpha", value: 1.5), .invalidArgument("n must be positive"), .degenerateData("zero variance"),
            .singularCovariance("coordinate 1 has zero sample variance"),
            .gsl(function: "gsl_fit_linear", status: 1, message: "input domain error"), .noConvergence("bisection"),
        ]
        for e in errors {
            #expect(!e.description.isEmpty)
            #expect(!e.description.contains("\n"))
        }
        #expect(StatisticsError.invalidProbability("alpha", value: 1.5).description
                == "alpha = 1.5 lies outside the open interval (0, 1)")
    }
}

/// GSL's F quantile returns NaN for large denominator degrees of freedom; the bridge falls back to
/// bisection on the upper tail (found by the full-profile catalog run through Hotelling's power).
@Suite struct FQuantileFallbackTests {
    @Test func largeDenominatorDegreesOfFreedom() throws {
        // scipy.stats.f.ppf(0.9999, 4, 4996) = 5.890858318692466 (scipy 1.17.1).
        let x = try GSL.fQuantile(0.9999, df1: 4, df2: 4996)
        #expect(abs(x - 5.890858318692466) < 1e-9)
        // scipy.stats.f.ppf(0.5, 3, 100000) = 0.7886633479135455.
        #expect(abs(try GSL.fQuantile(0.5, df1: 3, df2: 100_000) - 0.7886633479135455) < 1e-9)
    }

    /// GSL's beta quantile returns NaN for some large shapes (met in `ggd calibrate --profile full`: the
    /// Clopper–Pearson bound of 104 of 4601 p-values); the bisection fallback inverts the CDF there, and
    /// agrees with GSL where GSL answers.
    @Test func betaQuantileForLargeShapes() throws {
        let x = try GSL.betaQuantile(0.95, a: 104, b: 4497)
        #expect(x.isFinite && x > 0 && x < 1)
        #expect(abs(try GSL.betaP(x, a: 104, b: 4497) - 0.95) < 1e-12)
        let bound = try Binomial.clopperPearsonUpperBound(successes: 104, trials: 4601, confidence: 0.95)
        #expect(bound > 104.0 / 4601 && bound < 0.03)
        for (p, a, b) in [(0.025, 3.0, 17.0), (0.5, 40.0, 60.0), (0.975, 1.0, 999.0)] {
            let bisected = try { () -> Double in
                var (lo, hi) = (0.0, 1.0)
                while lo + (hi - lo) / 2 > lo && lo + (hi - lo) / 2 < hi {
                    let mid = lo + (hi - lo) / 2
                    if try GSL.betaP(mid, a: a, b: b) < p { lo = mid } else { hi = mid }
                }
                return hi
            }()
            #expect(abs(try GSL.betaQuantile(p, a: a, b: b) - bisected) < 1e-12 * max(1, bisected), "p \(p), a \(a), b \(b)")
        }
    }
}
