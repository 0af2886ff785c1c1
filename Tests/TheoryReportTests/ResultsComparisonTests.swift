import Foundation
import Testing
@testable import TheoryReport

/// `ggd compare`'s rules on hand-made results: identical input never regresses; each planted regression does.
@Suite struct ResultsComparisonTests {
    static func sample() -> ReportResults {
        let provenance = Provenance(toolVersion: "t", gitCommit: "c", command: "ggd report", profile: "ci", catalogSeed: 1, studySeed: 2,
                                    roundScale: 0.2, cpu: "cpu", blasLibrary: "blas", blasCore: "core", blasThreads: 1, falseFailRate: 1e-3,
                                    startedAt: "now", wallSeconds: 1)
        let claims = [
            ClaimResult(id: "T1", title: "t1", claim: "c", kind: "exact", verdict: .pass, cases: 4, failedCases: 0, statistic: "s",
                        predicted: "p", measured: "m", alpha: nil, failureTokens: [], seconds: 0.1),
            ClaimResult(id: "L3-rate", title: "l3", claim: "c", kind: "rate", verdict: .pass, cases: 2, failedCases: 0, statistic: "s",
                        predicted: "p", measured: "m", alpha: 1e-4, failureTokens: [], seconds: 0.1),
        ]
        let metrics = [
            Metric(name: "T1.max_measured", value: 1e-15, tolerance: .roundOff(5e-10), meaning: "m"),
            Metric(name: "L3-rate.least_favourable_slope", value: -0.9, tolerance: .slope, meaning: "m"),
            Metric(name: "reproduction.alg1_G_final_r_off", value: 0.2, tolerance: .measurement, meaning: "m"),
        ]
        return ReportResults(provenance: provenance, claims: claims, metrics: metrics,
                             figures: [FigureSummary(id: "t3-rate", title: "t", series: ["a"], points: 8)])
    }

    @Test func identicalInputHasNoRegression() {
        let c = ResultsComparison(base: Self.sample(), new: Self.sample())
        #expect(!c.hasRegression)
        #expect(c.rows.isEmpty)
        #expect(c.metricsWithinTolerance == 3)
        #expect(c.table().contains("no regression"))
    }

    @Test func driftWithinToleranceIsNotARegression() {
        var new = Self.sample()
        new.metrics[0].value = 3e-10          // still round-off
        new.metrics[1].value = -0.93          // slope within 0.05
        new.metrics[2].value = 0.205          // within 5%
        new.provenance.gitCommit = "other"
        new.provenance.wallSeconds = 99
        #expect(!ResultsComparison(base: Self.sample(), new: new).hasRegression)
    }

    @Test(arguments: ["verdict", "metric", "missingClaim", "missingMetric", "newFailure", "lostFigure", "nan"])
    func plantedRegressionIsCaught(_ kind: String) {
        var new = Self.sample()
        switch kind {
        case "verdict":
            new.claims[0].verdict = .fail
            new.claims[0].failedCases = 1
            new.claims[0].failureTokens = ["ggd1:T1:1:0.0:AA"]
        case "metric": new.metrics[2].value = 0.3
        case "missingClaim": new.claims.removeLast()
        case "missingMetric": new.metrics.removeFirst()
        case "newFailure":
            new.claims.append(ClaimResult(id: "X", title: "x", claim: "c", kind: "exact", verdict: .fail, cases: 1, failedCases: 1,
                                          statistic: "s", predicted: "p", measured: "m", alpha: nil, failureTokens: ["tok"], seconds: 0))
        case "lostFigure": new.figures[0].points = 0
        default: new.metrics[1].value = .nan
        }
        let c = ResultsComparison(base: Self.sample(), new: new)
        #expect(c.hasRegression, "planted \(kind) not caught")
        #expect(c.table().contains("regression"))
    }

    @Test func improvementsAndAdditionsDoNotFail() {
        var base = Self.sample()
        base.claims[1].verdict = .fail
        base.claims[1].failureTokens = ["ggd1:L3-rate:3:0.0001:AA"]
        var new = Self.sample()
        new.metrics.append(Metric(name: "new.metric", value: 1, tolerance: .measurement, meaning: "m"))
        let c = ResultsComparison(base: base, new: new)
        #expect(!c.hasRegression)
        #expect(c.rows.contains { $0.kind == .fixed })
        #expect(c.rows.contains { $0.kind == .added })
    }

    @Test func stillFailingWithTheSameTokenIsNotNew() {
        var base = Self.sample()
        base.claims[0].verdict = .fail
        base.claims[0].failureTokens = ["tok"]
        let c = ResultsComparison(base: base, new: base)
        #expect(!c.hasRegression)
        #expect(c.rows.map(\.kind) == [.stillFailing])
    }

    @Test func differentProfilesAreFlagged() {
        var new = Self.sample()
        new.provenance.profile = "full"
        #expect(ResultsComparison(base: Self.sample(), new: new).rows.contains { $0.kind == .incomparable })
    }

    @Test func resultsRoundTripThroughJSON() throws {
        var r = Self.sample()
        r.metrics.append(Metric(name: "nan", value: .nan, tolerance: .measurement, meaning: "m"))
        let back = try ReportResults.decoded(try r.encoded())
        #expect(back.claims == r.claims)
        #expect(back.metrics.last!.value.isNaN)
    }

    @Test(arguments: [#"{}"#, #"{"schema": "ggd-report/1"}"#, #"{"schema": "other/9", "claims": []}"#, "not json", ""])
    func malformedResultsGiveAClearError(_ text: String) {
        #expect {
            _ = try ReportResults.decoded(Data(text.utf8), source: "x.json")
        } throws: { error in
            guard let e = error as? ReportError else { return false }
            return e.description.hasPrefix("cannot read x.json: ")
        }
    }
}
