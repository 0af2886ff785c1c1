import PropertyEngine

/// The catalog of the paper's claims (SPEC §8) as executable properties, in the order they are run.
public enum Catalog {
    public static func properties() -> [any CatalogProperty] {
        [
            T1StructurePreservation.property(),
            T1StructurePreservation.vjp(),
            P1NaiveLeavesSupport.property(),
            L3GuidedLaw.convergence(),
            L3GuidedLaw.betaRules(),
            L3GuidedLaw.draws(),
            T2Algorithm1Convergence.contraction(),
            T2Algorithm1Convergence.sampledRounds(),
            T2Algorithm1Convergence.errorTerm(),
            T3Algorithm2Rate.rate(),
            T3Algorithm2Rate.bounded(),
            S0UnguidedSampler.support(),
            S0UnguidedSampler.law(),
        ]
    }

    /// Statistical and rate properties, which share the run's false-fail rate.
    public static var familySize: Int { properties().filter { $0.kind != .exact }.count }

    public static func property(named id: String) throws -> any CatalogProperty {
        guard let p = properties().first(where: { $0.id == id }) else { throw PropertyError.unknownProperty(id) }
        return p
    }

    /// Where found failures are kept (next to these sources).
    public static var regressionsDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Regressions").path
    }
}

import Foundation
