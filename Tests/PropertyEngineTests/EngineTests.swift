import Foundation
import Testing
import PropertyEngine

/// The engine on synthetic properties whose failures are known in advance.
@Suite struct EngineTests {
    /// Fails when the generated integer is at least 10; the minimal failure is exactly 10.
    static var thresholdProperty: Property<Int> {
        Property(id: "synthetic-threshold", title: "x < 10", claim: "every x is below 10", kind: .exact,
                 budgets: ["ci": Budget(cases: 50, effort: 1), "full": Budget(cases: 50, effort: 1)],
                 generator: Gens.int(in: 0...1000), describe: { "x = \($0)" },
                 check: { x, _ in .exact(measured: Double(x), tolerance: 9.5, note: "x") })
    }

    /// Dependent generation: a list of length n ≤ 20 of values ≤ 100; fails when the sum exceeds 150.
    static var sumProperty: Property<[Int]> {
        let gen = Gens.int(in: 0...20).flatMap { n in Gens.array(Gens.int(in: 0...100), count: n) }
        return Property(id: "synthetic-sum", title: "sum ≤ 150", claim: "sums stay small", kind: .exact,
                        budgets: ["ci": Budget(cases: 30, effort: 1), "full": Budget(cases: 30, effort: 1)],
                        generator: gen, describe: { "\($0)" },
                        check: { xs, _ in .exact(measured: Double(xs.reduce(0, +)), tolerance: 150, note: "sum") })
    }

    @Test func shrinksToTheBoundary() throws {
        let runner = Runner(profile: .ci, familySize: 1, store: nil)
        let result = runner.run(Self.thresholdProperty)
        #expect(result.passed == false)
        let failure = try #require(result.failures.first)
        #expect(failure.shrunkSetting == "x = 10")
        let token = try ReplayToken(parsing: failure.token)
        #expect(Runner.replay(token, property: Self.thresholdProperty).fails)
    }

    @Test func shrinksDependentGeneration() throws {
        var profile = Profile.ci
        profile.shrinkEvaluations = 2000
        let result = Runner(profile: profile, familySize: 1, store: nil).run(Self.sumProperty)
        #expect(result.passed == false)
        let failure = try #require(result.failures.first)
        // Minimal: two elements (100 + 51) after shrinking length and values.
        let shrunk = try ReplayToken(parsing: failure.token)
        let values = try Self.sumProperty.generator.generate(ChoiceSource(replaying: shrunk.choices))
        #expect(values.reduce(0, +) == 151)
        #expect(values.count == 2)
    }

    @Test func replayReproducesGeneration() throws {
        let gen = Gens.int(in: 2...40).flatMap { D in Gen.zip(Gens.int(in: 1...D), Gens.double(in: 0...1)).map { (D, $0.0, $0.1) } }
        let source = ChoiceSource(seed: 99, index: 3)
        let first = try gen.generate(source)
        let again = try gen.generate(ChoiceSource(replaying: source.recorded))
        #expect(first == again)
        #expect(first.1 <= first.0)
        // Choice zero is the simplest value everywhere.
        let simplest = try gen.generate(ChoiceSource(replaying: []))
        #expect(simplest == (2, 1, 0))
    }

    @Test(arguments: [[UInt64](), [0], [1, 2, 3], [127, 128, 16_383, 16_384, UInt64.max, 0, 5]])
    func tokenRoundTrip(_ choices: [UInt64]) throws {
        let token = ReplayToken(property: "L3-rate", effort: 7, threshold: 1.25e-5, choices: choices)
        let parsed = try ReplayToken(parsing: token.description)
        #expect(parsed == token)
        #expect(!token.description.contains(" "))
    }

    @Test(arguments: ["", "ggd1", "ggd2:T1:1:0:AA", "ggd1:T1:x:0:AA", "ggd1:T1:1:nan:AA", "ggd1:T1:1:2:AA", "ggd1:T 1:1:0:AA",
                      "ggd1:T1:1:0:!!!", "ggd1:T1:1:0:gA", "ggd1:T1:1:0:_____________w", "ggd1:T1:-3:0:AA"])
    func malformedTokensAreRejected(_ text: String) {
        #expect(throws: PropertyError.self) { try ReplayToken(parsing: text) }
    }

    /// Holm within a statistical property: one tiny p-value among many ordinary ones is a failure at its
    /// Holm threshold; ordinary p-values alone are not.
    @Test func statisticalVerdictsUseHolm() {
        func cases(_ ps: [Double]) -> [CaseResult] {
            ps.enumerated().map { i, p in
                CaseResult(index: i, setting: "case \(i)", evidence: .statistical(pValue: p, note: "p"), error: nil,
                           token: ReplayToken(property: "x", effort: 1, threshold: 0, choices: [UInt64(i)]).description)
            }
        }
        let calm = Verdicts.failures(kind: .statistical, cases: cases([0.2, 0.5, 0.01, 0.9]), alpha: 0.01)
        #expect(calm.isEmpty)
        let failing = Verdicts.failures(kind: .statistical, cases: cases([0.2, 1e-6, 0.5, 0.9]), alpha: 0.01)
        #expect(failing.map(\.index) == [1])
        #expect(abs(failing[0].threshold - 0.01 / 4) < 1e-15)
    }

    /// A sharded run merged gives the same cases and verdicts as one machine.
    @Test func shardsMergeToTheSameVerdict() throws {
        let property = Self.thresholdProperty
        let whole = Runner(profile: .ci, familySize: 1, store: nil).run(property)
        let parts = (0..<3).map { i in
            RunResults(toolVersion: "test", profile: "ci", seed: Profile.ci.seed, falseFailRate: Profile.ci.falseFailRate, familySize: 1,
                       shard: "\(i)/3", properties: [Runner(profile: .ci, familySize: 1, shard: Shard(index: i, count: 3), store: nil).run(property)])
        }
        #expect(parts.allSatisfy { $0.passed == nil })
        let merged = try ShardMerge.merge(parts, catalog: [property], store: nil)
        let m = try #require(merged.properties.first)
        #expect(m.passed == whole.passed)
        #expect(m.cases.map(\.token) == whole.cases.map(\.token))
        #expect(m.failures.first?.token == whole.failures.first?.token)
        // Encoding round trip of results, as `ggd merge` reads them from files.
        let decoded = try RunResults.decoded(try merged.encoded())
        #expect(decoded.properties.first?.cases.count == m.cases.count)
        #expect(throws: PropertyError.self) { try ShardMerge.merge([parts[0], parts[0], parts[2]], catalog: [property], store: nil) }
    }

    @Test func regressionsAreStoredAndReplayedFirst() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ggd-regressions-\(UUID().uuidString)").path
        let store = RegressionStore(directory: dir)
        let first = Runner(profile: .ci, familySize: 1, store: store).run(Self.thresholdProperty)
        let stored = store.tokens(for: Self.thresholdProperty.id)
        #expect(stored.map(\.description) == [first.failures.first?.token])
        let second = Runner(profile: .ci, familySize: 1, store: store).run(Self.thresholdProperty)
        #expect(second.cases.first?.index == -1)
        #expect(second.cases.first?.setting == "x = 10")
    }

    /// A failure that does not fail again on replay (here: a check that fails for its first N evaluations,
    /// as a statistical case can fail by chance) is not kept, so it cannot make every later run fail.
    @Test func aTokenThatPassesOnReplayIsNotStored() throws {
        final class Counting: CatalogProperty, @unchecked Sendable {
            let base = EngineTests.thresholdProperty
            var evaluations = 0
            var failFor = Int.max
            var id: String { "synthetic-flaky" }
            var title: String { base.title }
            var claim: String { base.claim }
            var kind: PropertyKind { .exact }
            var maximumEffort: Int { base.maximumEffort }
            func budget(for profile: Profile) -> Budget { base.budget(for: profile) }
            func evaluate(_ source: ChoiceSource, effort: Int) throws -> (setting: String, evidence: Evidence) {
                evaluations += 1
                let (setting, evidence) = try base.evaluate(source, effort: effort)
                return evaluations <= failFor ? (setting, evidence) : (setting, .exact(measured: 0, tolerance: 9.5, note: "passes now"))
            }
        }
        // How many evaluations a run and its shrink take (no store: no replay).
        let probe = Counting()
        #expect(Runner(profile: .ci, familySize: 1, store: nil).run(probe).passed == false)
        // The same run failing through its shrink, then passing: the replay before storing sees the pass.
        let flaky = Counting()
        flaky.failFor = probe.evaluations
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ggd-regressions-\(UUID().uuidString)").path
        let store = RegressionStore(directory: dir)
        var notes = [String]()
        let result = Runner(profile: .ci, familySize: 1, store: store, progress: { notes.append($0) }).run(flaky)
        #expect(result.passed == false)
        #expect(store.tokens(for: flaky.id).isEmpty, "a token that passes on replay was stored")
        #expect(notes.contains { $0.contains("not storing") && $0.contains("passes on replay") })
        // A failure that reproduces is kept.
        let kept = Runner(profile: .ci, familySize: 1, store: store).run(Self.thresholdProperty)
        #expect(store.tokens(for: Self.thresholdProperty.id).map(\.description) == [kept.failures.first?.token])
    }
}
