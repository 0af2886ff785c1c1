import Foundation
import Testing

/// `ggd compare` as CI runs it: exit 0 on identical reports, 1 on a planted regression, a clear error
/// (not a crash) on unreadable input.
@Suite struct CompareCommandTests {
    static func results(verdict: String = "pass", rOff: Double = 0.2) -> String {
        """
        {"schema": "ggd-report/1",
         "provenance": {"toolVersion": "t", "gitCommit": "c", "command": "ggd report", "profile": "ci", "catalogSeed": 1,
                        "studySeed": 2, "roundScale": 0.2, "cpu": "cpu", "blasLibrary": "b", "blasCore": "k", "blasThreads": 1,
                        "falseFailRate": 0.001, "startedAt": "now", "wallSeconds": 1},
         "claims": [{"id": "T1", "title": "t", "claim": "c", "kind": "exact", "verdict": "\(verdict)", "cases": 4,
                     "failedCases": \(verdict == "pass" ? 0 : 1), "statistic": "s", "predicted": "p", "measured": "m",
                     "failureTokens": [\(verdict == "pass" ? "" : "\"ggd1:T1:1:0.0:AA\"")], "seconds": 0.1}],
         "metrics": [{"name": "reproduction.r_off", "value": \(rOff), "tolerance": {"absolute": 0, "relative": 0.05}, "meaning": "m"}],
         "figures": [{"id": "f", "title": "f", "series": ["a"], "points": 3}]}
        """
    }

    func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func identicalReportsPass() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let a = try write(Self.results(), "a.json", in: dir), b = try write(Self.results(), "b.json", in: dir)
        let r = try CommandRunner.run(["compare", a, b])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("no regression"))
    }

    @Test(arguments: [("fail", 0.2), ("pass", 0.5)])
    func plantedRegressionExitsNonZero(_ planted: (String, Double)) throws {
        let dir = try CommandRunner.temporaryDirectory()
        let a = try write(Self.results(), "a.json", in: dir), b = try write(Self.results(verdict: planted.0, rOff: planted.1), "b.json", in: dir)
        let r = try CommandRunner.run(["compare", a, b])
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("1 regression"))
    }

    @Test(arguments: ["", "{", #"{"schema": "ggd-report/1"}"#, "[1, 2]"])
    func unreadableInputIsAClearError(_ text: String) throws {
        let dir = try CommandRunner.temporaryDirectory()
        let a = try write(Self.results(), "a.json", in: dir), b = try write(text, "b.json", in: dir)
        let r = try CommandRunner.run(["compare", a, b])
        #expect(r.status != 0 && r.status < 128, "crashed or passed: \(r.status)")
        #expect(r.stderr.contains("cannot read \(b)"), "\(r.stderr)")
    }

    @Test func missingFileIsAClearError() throws {
        let r = try CommandRunner.run(["compare", "/nonexistent/a.json", "/nonexistent/b.json"])
        #expect(r.status != 0 && r.stderr.contains("no such file"))
    }
}
