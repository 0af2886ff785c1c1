import Foundation
import Testing
@testable import Reporting

@Suite struct FigureTests {
    @Test func idsMustBeFileStems() {
        #expect(Figure.isValidID("error-vs-steps-2"))
        for bad in ["", "Error", "a b", "a/b", "../x", "a_b", "ä", String(repeating: "a", count: 101)] {
            #expect(!Figure.isValidID(bad), "\(bad)")
            #expect(throws: ReportingError.invalidFigureID(bad)) {
                try Figure(id: bad, title: "t", xLabel: "x", yLabel: "y", series: [])
            }
        }
    }

    @Test func bandAndSeriesLengthsAreValidated() {
        #expect(throws: ReportingError.bandLengthMismatch(name: "ci", x: 2, lower: 1, upper: 2)) {
            try Band(name: "ci", x: [1, 2], lower: [0], upper: [3, 4])
        }
        #expect(throws: ReportingError.seriesLengthMismatch(name: "s", x: 2, y: 3)) {
            try Series(name: "s", x: [1, 2], y: [1, 2, 3])
        }
    }

    @Test func unplottablePointsAreSkippedAndCounted() throws {
        let points = [Point(x: 1, y: 1), Point(x: .nan, y: 2), Point(x: 3, y: .infinity), Point(x: 4, y: -1),
                      Point(x: 5, y: 0), Point(x: 6, y: 6)]
        let linear = try Figure(id: "a", title: "t", xLabel: "x", yLabel: "y", series: [Series(name: "s", points: points)])
        #expect(linear.plottablePointCount == 4)
        #expect(linear.skippedPointCount == 2)
        let log = try Figure(id: "b", title: "t", xLabel: "x", yLabel: "y", yScale: .log10, series: [Series(name: "s", points: points)])
        #expect(log.plottablePointCount == 2)
        #expect(log.skippedPointCount == 4)
        #expect(log.hasData)
    }

    @Test func hasDataNeedsOnePlottableSeriesPoint() throws {
        let none = try Figure(id: "n", title: "t", xLabel: "x", yLabel: "y", xScale: .log10,
                              series: [Series(name: "s", points: [Point(x: 0, y: 1), Point(x: .nan, y: 1)]), Series(name: "e", points: [])])
        #expect(!none.hasData)
        #expect(none.plottablePointCount == 0 && none.skippedPointCount == 2)
    }

    @Test func codableRoundTripAndValidationOnDecode() throws {
        let figure = try Fixtures.logFigure()
        let data = try JSONEncoder().encode(figure)
        #expect(try JSONDecoder().decode(Figure.self, from: data) == figure)

        let invalid = #"{"id":"Bad Id","title":"t","xLabel":"x","yLabel":"y"}"#
        #expect(throws: ReportingError.invalidFigureID("Bad Id")) {
            try JSONDecoder().decode(Figure.self, from: Data(invalid.utf8))
        }
        let band = #"{"name":"b","x":[1,2],"lower":[1],"upper":[1,2]}"#
        #expect(throws: ReportingError.self) { try JSONDecoder().decode(Band.self, from: Data(band.utf8)) }
    }

    @Test func errorMessagesNameTheProblem() {
        #expect(ReportingError.duplicateFigureID("cdf").description.contains("\"cdf\""))
        #expect(ReportingError.invalidFigureID("A B").description.contains("a-z"))
    }
}
