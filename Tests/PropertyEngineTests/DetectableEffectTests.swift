import Foundation
import Testing
import PropertyEngine

/// The power side a statistical property states, and the regression store's comments.
@Suite struct DetectableEffectTests {
    /// A statistical property whose stated power depends on its effort and case level.
    static var powered: Property<Int> {
        Property(id: "synthetic-powered", title: "p is uniform", claim: "a fair coin", kind: .statistical,
                 budgets: ["ci": Budget(cases: 5, effort: 100), "full": Budget(cases: 20, effort: 400)],
                 generator: Gens.int(in: 0...1000), describe: { "x = \($0)" },
                 detectable: { effort, level in DetectableEffect(caseLevel: level, standardDeviation: 1 / Double(effort), note: "n = \(effort)") },
                 check: { x, _ in .statistical(pValue: 0.5 + Double(x) / 4000, note: "x") })
    }

    @Test func theRunRecordsWhatItsCasesDetectAtTheirLevel() throws {
        let ci = Runner(profile: .ci, familySize: 2, store: nil).run(Self.powered)
        let d = try #require(ci.detectable)
        // The case level is the property's share of the run's rate over its cases: 10⁻³ / 2 / 5.
        #expect(abs(d.caseLevel - 1e-3 / 2 / 5) < 1e-18)
        #expect(d.standardDeviation == 0.01 && d.note == "n = 100")
        #expect(d.summary == "sd 1%")
        let full = Runner(profile: .full(seed: 3), familySize: 2, store: nil).run(Self.powered)
        #expect(full.detectable?.standardDeviation == 1.0 / 400)
        // Exact properties state none.
        #expect(Runner(profile: .ci, familySize: 2, store: nil).run(EngineTests.thresholdProperty).detectable == nil)
        // It survives the results file.
        let results = RunResults(toolVersion: "t", profile: "ci", seed: 1, falseFailRate: 1e-3, familySize: 2, shard: "all", properties: [ci])
        #expect(try RunResults.decoded(try results.encoded()).properties[0].detectable == d)
    }

    @Test func storingATokenKeepsTheFilesOtherLines() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ggd-regressions-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = (dir as NSString).appendingPathComponent("synthetic-threshold.tokens")
        try "# header\n# 2026-11-26: why the next token is here\nggd1:synthetic-threshold:1:0.0:AQ".write(toFile: path, atomically: true, encoding: .utf8)
        let store = RegressionStore(directory: dir)
        let failure = try #require(Runner(profile: .ci, familySize: 1, store: store).run(EngineTests.thresholdProperty).failures.first)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("# header\n# 2026-11-26: why the next token is here\nggd1:synthetic-threshold:1:0.0:AQ\n"))
        #expect(text.hasSuffix(failure.token + "\n"))
    }
}
