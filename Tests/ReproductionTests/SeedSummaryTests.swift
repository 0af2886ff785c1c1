import Testing
@testable import Reproduction

/// Several seeds summarised: numbers as mean with a 95% t-interval, figures averaged with a band.
@Suite struct SeedSummaryTests {
    static func results(_ a: Double, _ curve: [Double]) -> SimulationStudy.Results {
        var r = SimulationStudy.Results()
        r.numbers = ["a": a, "only_here": a]
        r.figures = [FigureData(id: "f", title: "t", xLabel: "x", yLabel: "y", series: [Series(name: "s", x: [0, 1, 2], y: curve)], settings: [:])]
        return r
    }

    @Test func numbersAreMeansWithTheirTIntervalAndFiguresGetBands() throws {
        let runs = [Self.results(1, [1, 2, 3]), Self.results(2, [3, 2, 1]), Self.results(3, [2, 2, 2])]
        let c = SeedSummary.combine(runs)
        // Mean 2, sd 1, t(0.975, 2) = 4.302652730: half-width 4.302652730/√3.
        let half = 4.302652730 / 3.0.squareRoot()
        #expect(c.numbers["a"] == 2)
        #expect(abs(c.numbers["a_lower"]! - (2 - half)) < 1e-12 && abs(c.numbers["a_upper"]! - (2 + half)) < 1e-12)
        let s = try #require(c.figures.first?.series.first)
        #expect(s.y == [2, 2, 2] && s.x == [0, 1, 2])
        #expect(abs(s.lower![0] - (2 - half)) < 1e-12 && s.lower![1] == 2 && s.upper![1] == 2)
        #expect(c.figures.first?.settings["seeds"]?.hasPrefix("3") == true)
    }

    @Test func oneSeedIsItselfAndAnIntervalOfOneValueIsThePoint() {
        let one = Self.results(5, [1, 2, 3])
        let c = SeedSummary.combine([one])
        #expect(c.numbers == one.numbers && c.figures.first?.series.first?.lower == nil)
        let i = SeedSummary.interval([5])
        #expect(i.mean == 5 && i.lower == 5 && i.upper == 5)
        #expect(SeedSummary.interval([]).mean.isNaN)
    }

    /// Series of different lengths (a run stopped early) are averaged over their common prefix.
    @Test func seriesOfDifferentLengthsUseTheCommonPrefix() {
        let c = SeedSummary.combine([Self.results(1, [1, 2, 3]), {
            var r = Self.results(1, [3, 4])
            r.figures = [FigureData(id: "f", title: "t", xLabel: "x", yLabel: "y", series: [Series(name: "s", x: [0, 1], y: [3, 4])], settings: [:])]
            return r
        }()])
        #expect(c.figures.first?.series.first?.y == [2, 3])
    }
}
