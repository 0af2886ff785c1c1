import PropertyEngine
import Statistics

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
            S0UnguidedSampler.ddim(),
            M1GuidanceMethods.span(),
            M1GuidanceMethods.law(),
            M1GuidanceMethods.presets(),
            M1GuidanceMethods.descent(),
            M1GuidanceMethods.rounds(),
            M1GuidanceMethods.posterior(),
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

/// The statistical design the catalog's budgets are sized with: the family-wise false-fail rate at `full`
/// and the number of statistical and rate properties that share it (`Catalog.familySize`, which a test
/// holds this to: budgets are fixed before the catalog exists, so the count is written here).
public enum CatalogDesign {
    public static let familySize = 6

    /// The false-fail rate of one case of a property with `cases` cases at `full`: the run's rate split
    /// equally over the family, then over the cases (Holm's first threshold).
    public static func caseLevel(cases: Int) -> Double {
        Verdicts.propertyAlpha(falseFailRate: Profile.full(seed: 1).falseFailRate, familySize: familySize) / Double(max(1, cases))
    }

    /// What a statistical claim must detect at `full`, with probability 0.95 per case: a standard deviation
    /// off by 1% (either way) and a mean off by 0.02σ (Mahalanobis).
    public static let targetStandardDeviation = 0.01
    public static let targetMean = 0.02

    /// The fewest draws with which a law test of `design` detects the targets; `property` names the
    /// caller in the (impossible, for the designs in the catalog) case that the design cannot be sized.
    static func targetDraws(_ design: LawTestDesign, property: String) -> Int {
        do { return try design.draws(standardDeviation: targetStandardDeviation, mean: targetMean) }
        catch { fatalError("\(property): the full budget's design failed: \(error)") }
    }
}
