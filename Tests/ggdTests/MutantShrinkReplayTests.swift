import Foundation
import Testing
import PropertyEngine

/// Each property of the catalog fails when its claim is broken in the shipped code: run with a
/// deliberate fault (`ggd check --mutant`, one mutation system for the catalog, the probes and the
/// backends) it fails, shrinks the failure to a case no more complex than the original, and prints a
/// replay token that reproduces the failure with the fault and passes without it. In their own
/// processes, so the fault switch never touches the in-process tests.
@Suite struct MutantShrinkReplayTests {
    struct Pairing: Sendable, CustomStringConvertible {
        let property: String
        let mutant: String
        var description: String { "\(property) vs \(mutant)" }
    }

    /// One mutant per property (each kills it in `ggd mutants` at ci).
    static let pairings: [Pairing] = [
        Pairing(property: "T1", mutant: "naive-in-place-of-lookahead"),
        Pairing(property: "T1-vjp", mutant: "jacobian-eigenvalues-squared"),
        Pairing(property: "P1", mutant: "naive-in-place-of-lookahead"),
        Pairing(property: "L3-rate", mutant: "theory-beta-missing-inverse-alpha"),
        Pairing(property: "L3-beta", mutant: "theory-beta-missing-inverse-alpha"),
        Pairing(property: "L3-draws", mutant: "noise-at-last-step"),
        Pairing(property: "T2-contraction", mutant: "algorithm1-step-doubled"),
        Pairing(property: "T2-sampled", mutant: "algorithm1-step-doubled"),
        Pairing(property: "T2-error", mutant: "noise-at-last-step"),
        Pairing(property: "T3-rate", mutant: "algorithm2-lambda-constant"),
        Pairing(property: "T3-bounded", mutant: "algorithm2-lambda-constant"),
        Pairing(property: "S0-support", mutant: "noise-at-last-step"),
        Pairing(property: "S0-law", mutant: "philox-counter-reused"),
        Pairing(property: "S0-ddim", mutant: "ddim-c2-missing-square-root"),
        Pairing(property: "M1-span", mutant: "mpgd-projection-skipped"),
        Pairing(property: "M2-law", mutant: "recurrence-without-renoise"),
        Pairing(property: "M3-tfg", mutant: "mean-guidance-weight-consistent"),
        Pairing(property: "M4-descent", mutant: "backward-guidance-ascends"),
        Pairing(property: "M5-rounds", mutant: "dps-gradient-at-denoised"),
        Pairing(property: "M6-posterior", mutant: "theory-beta-missing-inverse-alpha"),
    ]

    @Test("every property of the catalog is paired with a mutant")
    func everyPropertyIsPaired() throws {
        let r = try CommandRunner.run(["check", "--list"])
        let ids = r.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(Set(ids) == Set(Self.pairings.map(\.property)), "\(ids)")
    }

    @Test(arguments: pairings)
    func mutantFailsShrinksAndReplays(_ pairing: Pairing) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ggd-mutant-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("results.json").path
        let run = try CommandRunner.run(["check", "--mutant", pairing.mutant, "--property", pairing.property, "--quiet", "--out", out])
        #expect(run.status == 1, "the \(pairing.mutant) mutant passed \(pairing.property): \(run.stdout) \(run.stderr)")
        let results = try RunResults.decoded(try Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(results.subject == "mutant:" + pairing.mutant)
        let property = try #require(results.properties.first)
        let failure = try #require(property.failures.first)

        // The shrink: the shrunk choices are no more complex than the original's.
        let original = try ReplayToken(parsing: try #require(property.cases.first { $0.index == failure.caseIndex }).token)
        let shrunk = try ReplayToken(parsing: failure.token)
        #expect(!Shrinker(maximumEvaluations: 0).isSimpler(original.choices, than: shrunk.choices))
        #expect(shrunk.property == pairing.property)

        // The replay token reproduces the failure with the fault on, and the real implementation passes it.
        let again = try CommandRunner.run(["check", "--mutant", pairing.mutant, "--replay", failure.token])
        #expect(again.status == 1 && again.stdout.contains("FAILS"), "\(again.stdout)")
        let reference = try CommandRunner.run(["check", "--replay", failure.token])
        #expect(reference.status == 0 && reference.stdout.contains("passes"), "the shrunk case \(failure.shrunkSetting) also fails the real implementation")
    }
}
