import PropertyEngine

/// The catalog of the paper's claims (SPEC §8) as executable properties, in the order they are run.
public enum Catalog {
    public static func properties(_ subject: Subject = .reference) -> [any CatalogProperty] {
        [
            T1StructurePreservation.property(subject),
            T1StructurePreservation.vjp(subject),
            P1NaiveLeavesSupport.property(subject),
            L3GuidedLaw.convergence(subject),
            L3GuidedLaw.betaRules(subject),
            L3GuidedLaw.draws(subject),
            T2Algorithm1Convergence.contraction(subject),
            T2Algorithm1Convergence.sampledRounds(subject),
            T2Algorithm1Convergence.errorTerm(subject),
            T3Algorithm2Rate.rate(subject),
            T3Algorithm2Rate.bounded(subject),
            S0UnguidedSampler.support(subject),
            S0UnguidedSampler.law(subject),
        ]
    }

    /// Statistical and rate properties, which share the run's false-fail rate.
    public static var familySize: Int { properties().filter { $0.kind != .exact }.count }

    public static func property(named id: String, _ subject: Subject = .reference) throws -> any CatalogProperty {
        guard let p = properties(subject).first(where: { $0.id == id }) else { throw PropertyError.unknownProperty(id) }
        return p
    }

    /// Where found failures are kept (next to these sources).
    public static var regressionsDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Regressions").path
    }
}

import Foundation
