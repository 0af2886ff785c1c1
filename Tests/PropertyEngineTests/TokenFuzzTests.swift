import Foundation
import Randomness
import Testing
@testable import PropertyEngine

/// Hostile replay tokens (issue 7): random strings, truncations, bad base64, absurd efforts and thresholds
/// are each a `PropertyError.badToken`; a token a property cannot run in bounded time is refused before
/// anything runs.
@Suite struct TokenFuzzTests {
    /// Parses `text`: the token, or nil after checking the error is `badToken` with a one-line message.
    static func parse(_ text: String) -> ReplayToken? {
        do {
            let token = try ReplayToken(parsing: text)
            // Whatever parses obeys the format's bounds and prints back to itself.
            #expect(token.effort >= 1 && token.effort <= 100_000_000, "\(text)")
            #expect(token.threshold.isFinite && token.threshold >= 0 && token.threshold <= 1, "\(text)")
            #expect((try? ReplayToken(parsing: token.description)) == token, "\(text) does not round-trip")
            return token
        } catch let error as PropertyError {
            guard case .badToken = error else {
                Issue.record("\(text): \(error) is not badToken")
                return nil
            }
            #expect(!error.description.contains("\n") || text.contains("\n"), "\(text): \(error)")
            return nil
        } catch {
            Issue.record("\(text): threw \(type(of: error))")
            return nil
        }
    }

    static let valid = ReplayToken(property: "L3-rate", effort: 7, threshold: 1.25e-5, choices: [0, 1, 127, 128, 16_384, UInt64.max, 3]).description

    /// Input class: every truncation of a valid token.
    @Test func everyTruncation() {
        #expect(Self.parse(Self.valid) != nil)
        for length in 0..<Self.valid.count {
            _ = Self.parse(String(Self.valid.prefix(length)))
        }
    }

    /// Input class: 4000 seeded random strings over the token alphabet (and beyond), half of them starting
    /// with `ggd1:` and a plausible property, plus 2000 random edits of a valid token.
    @Test func randomStringsAndEdits() {
        let alphabet = Array("ggd1:AZaz09-_+/=.eE -nanif\u{0}é😀\n\t:::")
        var rng = SequentialGenerator(StreamKey(seed: 7004, purpose: .generation, index: 0))
        for trial in 0..<4000 {
            var text = String((0..<Int.random(in: 0..<40, using: &rng)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
            if trial % 2 == 0 { text = "ggd1:T1:" + text }
            _ = Self.parse(text)
        }
        let validChars = Array(Self.valid)
        for _ in 0..<2000 {
            var chars = validChars
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<chars.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: chars[at] = alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
                case 1: chars.insert(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)], at: at)
                default: if chars.count > 1 { chars.remove(at: at) }
                }
            }
            _ = Self.parse(String(chars))
        }
    }

    /// Input class: hand-picked hostile fields — huge, negative, zero and non-decimal efforts; NaN,
    /// infinite, negative and out-of-range thresholds; bad base64 and over-long varints.
    @Test(arguments: [
        "ggd1:T1:1000000000000:0:AA", "ggd1:T1:100000001:0:AA", "ggd1:T1:0:0:AA", "ggd1:T1:-1:0:AA", "ggd1:T1:99999999999999999999999:0:AA",
        "ggd1:T1:1e3:0:AA", "ggd1:T1:0x10:0:AA", "ggd1:T1: 5:0:AA", "ggd1:T1:٥:0:AA",
        "ggd1:T1:1:nan:AA", "ggd1:T1:1:NaN:AA", "ggd1:T1:1:-nan:AA", "ggd1:T1:1:inf:AA", "ggd1:T1:1:-inf:AA", "ggd1:T1:1:-0.5:AA",
        "ggd1:T1:1:1.0000001:AA", "ggd1:T1:1:1e999:AA", "ggd1:T1:1::AA",
        "ggd1:T1:1:0:A", "ggd1:T1:1:0:AA=A", "ggd1:T1:1:0:A*", "ggd1:T1:1:0:gA", "ggd1:T1:1:0:____________Ag", "ggd1:T1:1:0:_____________w",
        "ggd1:T1:1:0:AA:extra", "ggd1::1:0:AA", "ggd1:T1/..:1:0:AA", "ggd1:T1%:1:0:AA",
    ])
    func hostileFieldsAreRejected(_ text: String) {
        #expect(Self.parse(text) == nil, "\(text) parsed")
    }

    /// A property that records whether its check ran.
    final class Counter: @unchecked Sendable { var runs = 0 }
    static func countingProperty(_ counter: Counter) -> Property<Int> {
        Property(id: "synthetic-count", title: "t", claim: "c", kind: .exact,
                 budgets: ["ci": Budget(cases: 2, effort: 3), "full": Budget(cases: 2, effort: 5)],
                 generator: Gens.int(in: 0...10), describe: { "x = \($0)" },
                 check: { x, _ in counter.runs += 1; return .exact(measured: Double(x), tolerance: 100, note: "x") })
    }

    /// Input class: well-formed tokens a property must not run — an effort beyond its maximum (default 16×
    /// its largest budget), or another property's token: refused with the reason, the check never runs.
    @Test func absurdEffortIsRefusedBeforeRunning() throws {
        let counter = Counter()
        let property = Self.countingProperty(counter)
        #expect(property.maximumEffort == 80)
        let ok = try ReplayToken(parsing: "ggd1:synthetic-count:80:0:AQ")
        try ok.check(for: property)
        #expect(!Runner.replay(ok, property: property).fails)
        #expect(counter.runs == 1)

        let huge = try ReplayToken(parsing: "ggd1:synthetic-count:100000000:0:AQ")
        #expect(throws: PropertyError.badToken("effort 100000000 is outside 1…80, the efforts property synthetic-count accepts")) {
            try huge.check(for: property)
        }
        let (result, fails) = Runner.replay(huge, property: property)
        #expect(fails)
        #expect(result.error?.contains("effort 100000000") == true)
        #expect(counter.runs == 1, "the check ran for a refused token")

        let other = try ReplayToken(parsing: "ggd1:T1:1:0:AQ")
        #expect(throws: PropertyError.badToken("token is for property 'T1', not 'synthetic-count'")) { try other.check(for: property) }

        // A property may set its own, tighter limit.
        let tight = Property(id: "tight", title: "t", claim: "c", kind: .exact,
                             budgets: ["ci": Budget(cases: 1, effort: 5), "full": Budget(cases: 1, effort: 7)], maximumEffort: 12,
                             generator: Gens.int(in: 0...1), describe: { "\($0)" }, check: { _, _ in .exact(measured: 0, tolerance: 1, note: "") })
        #expect(throws: PropertyError.self) { try ReplayToken(property: "tight", effort: 13, threshold: 0, choices: []).check(for: tight) }
    }

    /// Input class: a hand-edited regression file with an absurd effort: the stored token is skipped
    /// (with a note), not replayed.
    @Test func storedTokenWithAbsurdEffortIsSkipped() throws {
        let counter = Counter()
        let property = Self.countingProperty(counter)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ggd-tokens-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = "ggd1:synthetic-count:99999999:0:AQ\nggd1:synthetic-count:not-a-number:0:AQ\nggd1:synthetic-count:2:0:AQ\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("synthetic-count.tokens")))
        var notes = [String]()
        let result = Runner(profile: .ci, familySize: 1, store: RegressionStore(directory: directory), progress: { notes.append($0) }).run(property)
        #expect(result.cases.filter { $0.index < 0 }.count == 1)
        #expect(counter.runs == 3)  // the one sane stored token and the two ci cases
        #expect(notes.contains { $0.contains("skipping stored failure 1") && $0.contains("effort 99999999") })
    }
}
