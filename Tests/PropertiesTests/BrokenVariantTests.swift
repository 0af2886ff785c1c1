import Foundation
import Testing
import PropertyEngine
import Properties

/// Each property fails when its claim is broken: run against a deliberately broken implementation it
/// fails, shrinks the failure to a case no more complex than the original, and prints a replay token
/// that reproduces the failure (and passes on the reference implementation).
@Suite struct BrokenVariantTests {
    struct Pairing: Sendable, CustomStringConvertible {
        let property: String
        let subject: String
        var description: String { "\(property) vs \(subject)" }
    }

    static let pairings: [Pairing] = [
        Pairing(property: "T1", subject: "naive-in-place-of-lookahead"),
        Pairing(property: "P1", subject: "naive-in-place-of-lookahead"),
        Pairing(property: "L3-rate", subject: "code-beta-as-theory"),
        Pairing(property: "L3-beta", subject: "code-beta-as-theory"),
        Pairing(property: "L3-draws", subject: "noise-at-last-step"),
        Pairing(property: "T2-contraction", subject: "double-step"),
        Pairing(property: "T2-sampled", subject: "double-step"),
        Pairing(property: "T2-error", subject: "ambient-noise"),
        Pairing(property: "T3-rate", subject: "constant-lambda"),
        Pairing(property: "T3-bounded", subject: "constant-lambda"),
        Pairing(property: "S0-support", subject: "noise-at-last-step"),
        Pairing(property: "S0-law", subject: "shifted-score"),
    ]

    @Test(arguments: pairings)
    func brokenVariantFails(_ pairing: Pairing) throws {
        let broken = try #require(Subject.named(pairing.subject))
        let property = try Catalog.property(named: pairing.property, broken)
        let runner = Runner(profile: .ci, familySize: Catalog.familySize, store: nil)
        let result = runner.run(property)
        #expect(result.passed == false, "the \(pairing.subject) variant passed \(pairing.property)")
        let failure = try #require(result.failures.first)

        // The shrink: the shrunk choices are no more complex than the original's.
        let original = try ReplayToken(parsing: try #require(result.cases.first { $0.index == failure.caseIndex }).token)
        let shrunk = try ReplayToken(parsing: failure.token)
        #expect(!Shrinker(maximumEvaluations: 0).isSimpler(original.choices, than: shrunk.choices))
        #expect(shrunk.property == pairing.property)

        // The replay token reproduces the failure on the broken variant, and the reference passes it.
        #expect(Runner.replay(shrunk, property: property).fails)
        let reference = try Catalog.property(named: pairing.property, .reference)
        #expect(!Runner.replay(shrunk, property: reference).fails, "the shrunk case \(failure.shrunkSetting) also fails the reference")
    }
}
