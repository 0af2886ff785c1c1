import Crosscheck
import Foundation
import FaultInjection
import PropertyEngine
import Properties

/// Mutation testing of the catalog: each `Fault` switched on in turn, the catalog run against the
/// faulty implementation, and which properties fail ("kill" the mutant) recorded. A property that
/// fails on a mutant is doing its job; a mutant no property kills is either equivalent (it cannot
/// change any claim the catalog checks, explained in `equivalence`) or a gap in the catalog.
public struct MutationTesting: Codable, Sendable {
    public struct MutantResult: Codable, Sendable, Equatable {
        public var fault: String
        public var summary: String
        public var site: String
        /// Properties that failed with the fault on.
        public var killedBy: [String]
        /// Why no property can kill it, for mutants known to be equivalent on what the catalog checks.
        public var equivalence: String?
        public var seconds: Double
        public var killed: Bool { !killedBy.isEmpty }
    }

    public var profile: String
    public var seed: UInt64
    public var properties: [String]
    public var mutants: [MutantResult]
    /// The tool version that ran (recorded by `ggd`, so an output file is recognised as its own).
    public var toolVersion: String?

    /// Mutants that cannot change anything the catalog checks, and why. Counted apart in the kill rate.
    public static let equivalence: [Fault: String] = [
        .naiveGradientAtDenoised:
            "equivalent on the catalog: Proposition 1's naive guidance is only ever used with linear objectives f = gᵀx, whose gradient is the same at x and at x̂₀",
        .mixtureVJPTransposed:
            "equivalent: the cross term Σ wₖ(gᵀx̂₀,ₖ)(x̂₀,ₖ − x̂₀) is g applied to the responsibilities' covariance of the x̂₀,ₖ, a symmetric matrix, so transposing it changes nothing",
        .varianceUndamped:
            "equivalent for the paper's claims: βₜ and β̃ₜ are Ho et al.'s two valid reverse-step variances; they differ only at the first few steps and every claim checked is a limit in T or holds for both (SPEC §5 names β̃ₜ, which the reference uses)",
    ]

    /// Killed mutants over the non-equivalent ones.
    public var killRate: Double {
        let judged = mutants.filter { $0.equivalence == nil || $0.killed }
        return judged.isEmpty ? 1 : Double(judged.filter(\.killed).count) / Double(judged.count)
    }

    public var survivors: [MutantResult] { mutants.filter { !$0.killed } }
    /// Survivors with no equivalence argument: gaps in the catalog.
    public var unexplainedSurvivors: [MutantResult] { survivors.filter { $0.equivalence == nil } }

    /// The target kill rate of a profile (issue 7): 95% at `full`, 80% at `ci`.
    public static func target(profile: String) -> Double { profile == "full" ? 0.95 : 0.8 }

    /// Runs the catalog (or `propertyIDs`) and the seam probes (`SeamProbe.all`, which hold the compute
    /// seams the catalog has no claim about to an oracle on every backend) once per fault. Shrinking is
    /// off (only kills matter) and no failure is stored: a mutant's failures are not regressions of the
    /// real implementation.
    /// The properties of one mutant run on `threads` threads at once (each is independent of the others,
    /// so the kills equal a sequential run's; the fault is switched on before the threads start).
    public static func run(profile base: Profile, faults: [Fault] = Fault.allCases, propertyIDs: [String]? = nil,
                           threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                           progress: ((String) -> Void)? = nil) throws -> MutationTesting {
        var profile = base
        profile.shrinkEvaluations = 0
        let catalog = Catalog.properties().filter { p in propertyIDs.map { $0.contains(p.id) } ?? true }
        let probes = SeamProbe.all.filter { p in propertyIDs.map { $0.contains(p.id) } ?? true }
        // A probe must hold on the real implementation, or its kills would mean nothing.
        for probe in probes {
            if let failure = try probe.failure() { throw MutationTestingError.probeFailsWithoutFault(probe.id, failure) }
        }
        let runner = Runner(profile: profile, familySize: Catalog.familySize, shard: .all, store: nil, progress: nil)
        var results = [MutantResult]()
        // Longest first (by the last mutant's times), so the two threads finish together.
        var order = catalog
        for (i, fault) in faults.enumerated() {
            let start = Date()
            let killers = try FaultHook.inject(fault, acknowledging: FaultHook.acknowledgement) {
                let ran = runner.runAll(order, threads: max(1, min(threads, 8)))
                let seconds = Dictionary(uniqueKeysWithValues: ran.map { ($0.id, $0.seconds) })
                order.sort { seconds[$0.id, default: 0] > seconds[$1.id, default: 0] }
                let failed = Set(ran.filter { $0.passed == false }.map(\.id))
                return catalog.map(\.id).filter(failed.contains)
                    + (try probes.compactMap { p -> String? in try p.failure() == nil ? nil : p.id })
            }
            results.append(MutantResult(fault: fault.rawValue, summary: fault.summary, site: fault.site, killedBy: killers,
                                        equivalence: equivalence[fault], seconds: Date().timeIntervalSince(start)))
            progress?("mutant \(i + 1)/\(faults.count) \(fault.rawValue): " + (killers.isEmpty ? "survived" : "killed by " + killers.joined(separator: ", ")))
        }
        return MutationTesting(profile: profile.name, seed: profile.seed, properties: catalog.map(\.id) + probes.map(\.id), mutants: results)
    }

    /// The kill matrix as text: one row per mutant, one column per property ("×" = killed).
    public func matrix() -> String {
        let ids = properties
        let nameWidth = max(6, mutants.map(\.fault.count).max() ?? 6)
        var lines = [String]()
        lines.append("mutant".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  " + ids.map { $0 }.joined(separator: " "))
        for m in mutants {
            let cells = ids.map { id in (m.killedBy.contains(id) ? "×" : "·").padding(toLength: id.count, withPad: " ", startingAt: 0) }
            lines.append(m.fault.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  " + cells.joined(separator: " ")
                         + (m.killed ? "" : (m.equivalence != nil ? "  survived (equivalent)" : "  SURVIVED")))
        }
        let killed = mutants.filter(\.killed).count
        lines.append("")
        lines.append(String(format: "killed %d of %d mutants; kill rate %.1f%% over the %d non-equivalent (target %.0f%% at %@)",
                            killed, mutants.count, 100 * killRate, mutants.filter { $0.equivalence == nil || $0.killed }.count,
                            100 * Self.target(profile: profile), profile))
        for s in survivors { lines.append("survivor \(s.fault): " + (s.equivalence ?? "no property catches it — a gap in the catalog")) }
        return lines.joined(separator: "\n")
    }
}

public enum MutationTestingError: Error, CustomStringConvertible {
    case probeFailsWithoutFault(String, String)

    public var description: String {
        switch self {
        case let .probeFailsWithoutFault(id, what): return "seam probe \(id) fails on the real implementation: \(what)"
        }
    }
}
