import Foundation
import FaultInjection
import PropertyEngine
import Properties

/// The catalog's sensitivity curve: each graded fault (a formula off by ε) switched on at growing sizes
/// and the catalog run against it, until some property fails. The smallest ε that fails is the
/// catalog's resolution for that kind of error at this profile; the verdicts at the sizes below it say
/// what slips through. Where mutation testing asks "is this bug caught?", this asks "how small an error
/// is caught?" — the question a user who trusts a passing report needs answered.
public struct Sensitivity: Codable, Sendable {
    public struct Trial: Codable, Sendable, Equatable {
        public var size: Double
        /// Properties that failed with the fault on at this size.
        public var killedBy: [String]
        public var seconds: Double
        public var detected: Bool { !killedBy.isEmpty }
    }

    public struct Row: Codable, Sendable, Equatable {
        public var fault: String
        public var summary: String
        public var site: String
        /// Sizes run, smallest first; the scan stops at the first one detected.
        public var trials: [Trial]
        /// The smallest size some property detected (nil: none of those run).
        public var smallestDetected: Double? { trials.first(where: \.detected)?.size }
        /// The largest size run that no property detected (nil: the smallest was detected already).
        public var largestMissed: Double? { trials.last(where: { !$0.detected })?.size }
    }

    public var profile: String
    public var seed: UInt64
    public var rows: [Row]
    /// The tool version that ran (recorded by `ggd`, so an output file is recognised as its own).
    public var toolVersion: String?

    /// Runs the scan: for each fault, its sizes (`sizes`, or the fault's defaults) smallest first, the
    /// catalog (or `propertyIDs`) at `base` with the fault on, stopping at the first size detected.
    /// Shrinking is off and nothing is stored: a graded fault's failures are not regressions.
    public static func run(profile base: Profile, faults: [GradedFault] = GradedFault.allCases, sizes: [Double]? = nil,
                           propertyIDs: [String]? = nil, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                           progress: ((String) -> Void)? = nil) throws -> Sensitivity {
        var profile = base
        profile.shrinkEvaluations = 0
        let catalog = Catalog.properties().filter { p in propertyIDs.map { $0.contains(p.id) } ?? true }
        let runner = Runner(profile: profile, familySize: Catalog.familySize, shard: .all, store: nil, progress: nil)
        var order = catalog
        var rows = [Row]()
        for fault in faults {
            var trials = [Trial]()
            for size in (sizes ?? fault.defaultSizes).sorted() {
                let start = Date()
                let killers = try FaultHook.inject(fault, size: size, acknowledging: FaultHook.acknowledgement) {
                    let ran = runner.runAll(order, threads: max(1, min(threads, 8)))
                    let seconds = Dictionary(uniqueKeysWithValues: ran.map { ($0.id, $0.seconds) })
                    order.sort { seconds[$0.id, default: 0] > seconds[$1.id, default: 0] }
                    let failed = Set(ran.filter { $0.passed == false }.map(\.id))
                    return catalog.map(\.id).filter(failed.contains)
                }
                trials.append(Trial(size: size, killedBy: killers, seconds: Date().timeIntervalSince(start)))
                progress?("sensitivity \(fault.rawValue) ε = \(size): " + (killers.isEmpty ? "passes" : "detected by " + killers.joined(separator: ", ")))
                if !killers.isEmpty { break }
            }
            rows.append(Row(fault: fault.rawValue, summary: fault.summary, site: fault.site, trials: trials))
        }
        return Sensitivity(profile: profile.name, seed: profile.seed, rows: rows)
    }

    /// The table as text: per fault, the smallest ε detected, by whom, and the largest that passed.
    public func table() -> String {
        var lines = ["graded fault              smallest ε detected  by                          largest ε missed  sizes run"]
        for r in rows {
            let detected = r.smallestDetected.map { String(format: "%g", $0) } ?? "none"
            let by = r.trials.first(where: \.detected)?.killedBy.joined(separator: ", ") ?? "—"
            lines.append(r.fault.padding(toLength: 26, withPad: " ", startingAt: 0)
                         + detected.padding(toLength: 21, withPad: " ", startingAt: 0)
                         + by.padding(toLength: 28, withPad: " ", startingAt: 0)
                         + (r.largestMissed.map { String(format: "%g", $0) } ?? "—").padding(toLength: 18, withPad: " ", startingAt: 0)
                         + r.trials.map { String(format: "%g", $0.size) }.joined(separator: ", "))
        }
        lines.append("profile \(profile), catalog seed \(seed); each size runs the whole catalog with the fault on; the scan stops at the first size detected")
        return lines.joined(separator: "\n")
    }
}
