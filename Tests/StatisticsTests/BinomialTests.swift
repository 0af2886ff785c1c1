import Testing
@testable import Statistics

@Suite struct BinomialTests {
    @Test func clopperPearsonMatchesScipyExactInterval() throws {
        // scipy.stats.binomtest(k, n).proportion_ci(0.95, method='exact').
        let cases: [(Int, Int, Double, Double)] = [
            (7, 20, 0.1539092047845412, 0.5921885345328283),
            (0, 15, 0.0, 0.2180193609108388),
            (15, 15, 0.7819806390891612, 1.0),
            (1, 50, 0.0005062279831152354, 0.10646954571150097),
        ]
        for (k, n, lo, hi) in cases {
            let ci = try Binomial.clopperPearson(successes: k, trials: n, confidence: 0.95)
            #expect(close(ci.lower, lo, relative: 1e-9))
            #expect(close(ci.upper, hi, relative: 1e-9))
        }
    }

    @Test func oneSidedBoundsMatchScipy() throws {
        // scipy: binomtest(7, 20, alternative='less').proportion_ci(0.9) = (0, 0.5180307573181333);
        //        binomtest(7, 20, alternative='greater').proportion_ci(0.9) = (0.20666403328271962, 1).
        #expect(close(try Binomial.clopperPearsonUpperBound(successes: 7, trials: 20, confidence: 0.9),
                      0.5180307573181333, relative: 1e-9))
        #expect(close(try Binomial.clopperPearsonLowerBound(successes: 7, trials: 20, confidence: 0.9),
                      0.20666403328271962, relative: 1e-9))
    }

    @Test func exactTestOneSidedMatchesScipyBinomtest() throws {
        // scipy.stats.binomtest(7, 20, 0.5, alternative='less' / 'greater').pvalue.
        let less = try Binomial.exactTest(successes: 7, trials: 20, nullProportion: 0.5, alternative: .less)
        #expect(close(less.pValue, 0.13158798217773438, relative: 1e-11))
        let greater = try Binomial.exactTest(successes: 7, trials: 20, nullProportion: 0.5, alternative: .greater)
        #expect(close(greater.pValue, 0.9423408508300781, relative: 1e-11))
        let two = try Binomial.exactTest(successes: 7, trials: 20, nullProportion: 0.5)
        #expect(close(two.pValue, 2 * 0.13158798217773438, relative: 1e-11))
    }

    @Test func invalidInputsThrow() {
        #expect(throws: StatisticsError.self) { try Binomial.clopperPearson(successes: 5, trials: 4, confidence: 0.9) }
        #expect(throws: StatisticsError.self) { try Binomial.clopperPearson(successes: 0, trials: 0, confidence: 0.9) }
        #expect(throws: StatisticsError.invalidProbability("confidence", value: 1.5)) {
            try Binomial.clopperPearson(successes: 1, trials: 4, confidence: 1.5)
        }
        #expect(throws: StatisticsError.self) {
            try Binomial.clopperPearson(successes: 1, trials: 4, confidence: .nan)
        }
    }
}
