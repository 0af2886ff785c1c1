import Testing
@testable import Statistics

private let a: [Double] = [0.92, 1.41, 0.35, 1.88, 0.77, 1.12, 0.49, 1.63, 0.98, 1.25]
private let b: [Double] = [0.45, 0.81, 0.12, 0.93, 0.66, 0.28, 1.05, 0.51, 0.39, 0.74, 0.88, 0.20]

@Suite struct TTestTests {
    @Test func oneSampleMatchesScipy() throws {
        // scipy.stats.ttest_1samp(a, 0.8, alternative=…): statistic 1.835391586125407, df 9.
        let expected: [(Alternative, Double)] = [
            (.twoSided, 0.09963866313060514), (.less, 0.9501806684346974), (.greater, 0.04981933156530257),
        ]
        for (alternative, p) in expected {
            let r = try TTest.oneSample(a, nullMean: 0.8, alternative: alternative)
            #expect(close(r.statistic, 1.835391586125407, relative: 1e-12))
            #expect(r.degreesOfFreedom == 9)
            #expect(close(r.pValue, p, relative: 1e-10))
        }
    }

    @Test func oneSampleConfidenceIntervalsMatchScipy() throws {
        // scipy: ttest_1samp(a, 0.8).confidence_interval(0.9).
        let two = try TTest.oneSample(a, nullMean: 0.8).confidenceInterval(confidence: 0.9)
        #expect(close(two.lower, 0.8003476222601165, relative: 1e-12))
        #expect(close(two.upper, 1.3596523777398837, relative: 1e-12))
        // scipy: ttest_1samp(a, 0.8, alternative='greater').confidence_interval(0.95) = (0.80034…, inf).
        let one = try TTest.oneSample(a, nullMean: 0.8, alternative: .greater).confidenceInterval(confidence: 0.95)
        #expect(close(one.lower, 0.8003476222601165, relative: 1e-12))
        #expect(one.upper == .infinity)
    }

    @Test func pooledTwoSampleMatchesScipy() throws {
        // scipy.stats.ttest_ind(a, b, equal_var=True, alternative=…): statistic 2.928639487467405, df 20.
        let expected: [(Alternative, Double)] = [
            (.twoSided, 0.008305030794012428), (.less, 0.9958474846029938), (.greater, 0.004152515397006214),
        ]
        for (alternative, p) in expected {
            let r = try TTest.twoSample(a, b, equalVariances: true, alternative: alternative)
            #expect(close(r.statistic, 2.928639487467405, relative: 1e-12))
            #expect(r.degreesOfFreedom == 20)
            #expect(close(r.pValue, p, relative: 1e-10))
        }
    }

    @Test func welchTwoSampleMatchesScipy() throws {
        // scipy.stats.ttest_ind(a, b, equal_var=False, alternative=…): statistic 2.8107311461631483,
        // Welch df 14.656508744445233.
        let expected: [(Alternative, Double)] = [
            (.twoSided, 0.013403514572913883), (.less, 0.9932982427135431), (.greater, 0.0067017572864569415),
        ]
        for (alternative, p) in expected {
            let r = try TTest.twoSample(a, b, alternative: alternative)
            #expect(close(r.statistic, 2.8107311461631483, relative: 1e-12))
            #expect(close(r.degreesOfFreedom, 14.656508744445233, relative: 1e-12))
            #expect(close(r.pValue, p, relative: 1e-9))
        }
        // scipy: ttest_ind(a, b, equal_var=False).confidence_interval(0.95).
        let ci = try TTest.twoSample(a, b).confidenceInterval(confidence: 0.95)
        #expect(close(ci.lower, 0.11886113210545396, relative: 1e-10))
        #expect(close(ci.upper, 0.871138867894546, relative: 1e-10))
    }

    @Test func pairedMatchesScipyTtestRel() throws {
        // scipy.stats.ttest_rel(a, b[:10]).
        let r = try TTest.paired(a, Array(b[0..<10]))
        #expect(close(r.statistic, 3.205952307451871, relative: 1e-12))
        #expect(close(r.pValue, 0.01072835279535341, relative: 1e-10))
    }

    @Test func invalidInputsThrow() {
        #expect(throws: StatisticsError.tooFewPoints("x", required: 2, actual: 1)) { try TTest.oneSample([1]) }
        #expect(throws: StatisticsError.nonFiniteInput("x")) { try TTest.oneSample([1, .infinity, 2]) }
        #expect(throws: StatisticsError.degenerateData("x has zero sample variance")) { try TTest.oneSample([3, 3, 3]) }
        #expect(throws: StatisticsError.lengthMismatch("y", expected: 10, actual: 12)) { try TTest.paired(a, b) }
        #expect(throws: StatisticsError.invalidProbability("alpha", value: 0)) { try TTest.oneSample(a).rejects(at: 0) }
    }
}
