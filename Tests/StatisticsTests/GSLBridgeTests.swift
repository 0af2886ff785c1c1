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
}
