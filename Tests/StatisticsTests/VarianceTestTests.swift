import Testing
@testable import Statistics

private let a: [Double] = [0.92, 1.41, 0.35, 1.88, 0.77, 1.12, 0.49, 1.63, 0.98, 1.25]

@Suite struct VarianceTestTests {
    @Test func chiSquareMatchesHandComputation() throws {
        // numpy: s² = a.var(ddof=1) = 0.23273333333333332; X = 9 s²/0.1 = 20.946;
        // scipy.stats.chi2.cdf(X, 9), chi2.sf(X, 9), and twice the smaller.
        let greater = try VarianceTest.chiSquare(a, nullVariance: 0.1, alternative: .greater)
        #expect(close(greater.estimate, 0.23273333333333332, relative: 1e-13))
        #expect(close(greater.statistic, 20.945999999999998, relative: 1e-13))
        #expect(greater.degreesOfFreedom == 9)
        #expect(close(greater.pValue, 0.012892358648322957, relative: 1e-10))
        let less = try VarianceTest.chiSquare(a, nullVariance: 0.1, alternative: .less)
        #expect(close(less.pValue, 0.9871076413516771, relative: 1e-12))
        let two = try VarianceTest.chiSquare(a, nullVariance: 0.1)
        #expect(close(two.pValue, 0.025784717296645915, relative: 1e-10))
    }

    @Test func varianceIntervalMatchesHandComputation() throws {
        // 9 s² / scipy.stats.chi2.ppf(0.975 and 0.025, 9).
        let ci = try VarianceTest.varianceInterval(a, confidence: 0.95)
        #expect(close(ci.lower, 0.11011015968714974, relative: 1e-10))
        #expect(close(ci.upper, 0.7756658807980238, relative: 1e-10))
    }

    @Test func invalidInputsThrow() {
        #expect(throws: StatisticsError.self) { try VarianceTest.chiSquare(a, nullVariance: 0) }
        #expect(throws: StatisticsError.tooFewPoints("x", required: 2, actual: 1)) {
            try VarianceTest.chiSquare([1], nullVariance: 1)
        }
        #expect(throws: StatisticsError.nonFiniteInput("x")) { try VarianceTest.chiSquare([1, .nan], nullVariance: 1) }
    }
}
