import Dispatch
import Foundation
import PropertyEngine
import Properties
import Statistics

/// False-fail calibration: every property of the catalog runs `runs` times with fresh seeds on the
/// correct implementation; the statistical and rate ones at a family-wise level `level` split over them
/// as in every run (Holm within each property at level/familySize). A false fail is any failure here,
/// since nothing is broken; an exact claim's nominal rate is 0, so any false fail of one is a defect of
/// its premise or its round-off bound.
///
/// The catalog's own level, 10⁻³, makes false fails too rare to count in minutes (3000 clean runs
/// are needed before a 95% upper bound drops below it), so calibration runs at an inflated level
/// (0.2 by default), where they are frequent enough to count: a test whose p-values are valid keeps
/// the observed rate at or below the level, and the Clopper–Pearson interval says how surely. It
/// checks the p-values' validity in their upper range; the far tail at 10⁻⁴ is taken on the tests'
/// construction (exact or asymptotic distributions from GSL), not measured.
public struct Calibration: Codable, Sendable {
    public struct Row: Codable, Sendable, Equatable {
        public var property: String
        public var kind: String
        public var runs: Int
        public var falseFails: Int
        /// The nominal false-fail rate of this row (the property's share of the level, or the level).
        public var nominal: Double
        /// Two-sided 95% Clopper–Pearson interval of the false-fail rate.
        public var lower: Double
        public var upper: Double
        public var rate: Double { runs > 0 ? Double(falseFails) / Double(runs) : .nan }
        /// The interval's upper end within the nominal rate.
        public var withinBudget: Bool { upper <= nominal }
        /// No evidence of more false fails than nominal (the interval reaches down to the nominal rate).
        public var consistent: Bool { lower <= nominal }
    }

    public var profile: String
    public var level: Double
    public var runs: Int
    public var firstSeed: UInt64
    /// One row per statistical or rate property, then "family" (runs with any false fail).
    public var rows: [Row]
    /// The tool version that ran (recorded by `ggd`, so an output file is recognised as its own).
    public var toolVersion: String?
    /// Case p-values pooled over all runs, and the share at or below 0.05 with its interval.
    public var pooledPValues: Int
    public var shareBelow005: Double
    public var shareBelow005Upper: Double
    /// The seed ranges of combined calibrations ("3001…3040"), when this one is several put together.
    public var seedRanges: [String]?

    public var family: Row? { rows.last { $0.property == "family" } }

    /// Runs the calibration; seeds are `firstSeed`, `firstSeed + 1`, … (fresh by default).
    public static func run(runs: Int, level: Double = 0.2, profileName: String = "ci", firstSeed: UInt64? = nil,
                           threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                           progress: ((String) -> Void)? = nil) throws -> Calibration {
        guard runs >= 1 else { throw ReportError.invalid("calibration needs at least one run, got \(runs)") }
        guard level > 0 && level < 1 else { throw ReportError.invalid("calibration level must lie in (0, 1), got \(level)") }
        let properties = Catalog.properties()
        let family = Catalog.familySize
        let seed0 = firstSeed ?? UInt64.random(in: 1...UInt64(UInt32.max))
        var fails = [String: Int](), anyFail = 0
        var pValues = [Double]()
        let start = Date()
        // Runs side by side (each is independent of the others, so the counts equal a sequential run's); one
        // run's properties in order within it.
        let workers = max(1, min(threads, 8, runs))
        let outcomes = UnsafeMutableBufferPointer<(failed: [String], pValues: [Double])?>.allocate(capacity: runs)
        outcomes.initialize(repeating: nil)
        defer { _ = outcomes.deinitialize(); outcomes.deallocate() }
        nonisolated(unsafe) let slots = outcomes
        let lock = NSLock()
        nonisolated(unsafe) var nextRun = 0, finished = 0
        nonisolated(unsafe) let report = progress
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                lock.lock()
                let r = nextRun
                nextRun += 1
                lock.unlock()
                guard r < runs else { return }
                let profile = Profile(name: profileName, seed: seed0 &+ UInt64(r), falseFailRate: level, shrinkEvaluations: 0)
                let runner = Runner(profile: profile, familySize: family, shard: .all, store: nil, progress: nil)
                var failed = [String](), values = [Double]()
                for p in properties {
                    let result = runner.run(p)
                    values += result.cases.compactMap { $0.evidence?.pValue }
                    if result.passed == false { failed.append(p.id) }
                }
                slots[r] = (failed, values)
                lock.lock()
                finished += 1
                if let report, finished % max(1, runs / 10) == 0 {
                    let eta = Date().timeIntervalSince(start) / Double(finished) * Double(runs - finished)
                    report(String(format: "calibration run %d/%d, ETA %.0f s", finished, runs, eta))
                }
                lock.unlock()
            }
        }
        for outcome in outcomes {
            let (failed, values) = outcome!
            pValues += values
            for id in failed { fails[id, default: 0] += 1 }
            if !failed.isEmpty { anyFail += 1 }
        }
        func row(_ id: String, _ kind: String, _ k: Int, _ nominal: Double) throws -> Row {
            let ci = try Binomial.clopperPearson(successes: k, trials: runs, confidence: 0.95)
            return Row(property: id, kind: kind, runs: runs, falseFails: k, nominal: nominal, lower: ci.lower, upper: ci.upper)
        }
        var rows = try properties.map { try row($0.id, $0.kind.rawValue, fails[$0.id] ?? 0, $0.kind == .exact ? 0 : level / Double(family)) }
        rows.append(try row("family", "all", anyFail, level))
        let below = pValues.filter { $0 <= 0.05 }.count
        let upper = pValues.isEmpty ? Double.nan : try Binomial.clopperPearsonUpperBound(successes: below, trials: pValues.count, confidence: 0.95)
        return Calibration(profile: profileName, level: level, runs: runs, firstSeed: seed0, rows: rows, pooledPValues: pValues.count,
                           shareBelow005: pValues.isEmpty ? .nan : Double(below) / Double(pValues.count), shareBelow005Upper: upper)
    }

    /// Several calibrations of the same catalog (profile, level, properties) as one: counts add and the
    /// intervals are recomputed over all runs, so a long calibration can run in chunks (each usable alone)
    /// and be stated whole. Overlapping seed ranges are refused: a run counted twice is not evidence.
    public static func combined(_ parts: [Calibration]) throws -> Calibration {
        guard let first = parts.first else { throw ReportError.invalid("nothing to combine") }
        let ids = first.rows.map(\.property)
        var ranges = [(UInt64, UInt64)]()
        for p in parts {
            guard p.profile == first.profile, p.level == first.level, p.rows.map(\.property) == ids,
                  p.rows.map(\.kind) == first.rows.map(\.kind) else {
                throw ReportError.invalid("calibrations differ in profile, level or properties: cannot combine")
            }
            ranges.append((p.firstSeed, p.firstSeed &+ UInt64(p.runs - 1)))
        }
        let sorted = ranges.sorted { $0.0 < $1.0 }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.0 <= a.1 {
            throw ReportError.invalid("calibrations overlap (seeds \(a.0)…\(a.1) and \(b.0)…\(b.1)): a run would count twice")
        }
        let runs = parts.reduce(0) { $0 + $1.runs }
        var rows = [Row]()
        for (i, id) in ids.enumerated() {
            let k = parts.reduce(0) { $0 + $1.rows[i].falseFails }
            let ci = try Binomial.clopperPearson(successes: k, trials: runs, confidence: 0.95)
            rows.append(Row(property: id, kind: first.rows[i].kind, runs: runs, falseFails: k, nominal: first.rows[i].nominal,
                            lower: ci.lower, upper: ci.upper))
        }
        let pooled = parts.reduce(0) { $0 + $1.pooledPValues }
        let below = parts.reduce(0) { $0 + Int(($1.shareBelow005 * Double($1.pooledPValues)).rounded()) }
        let upper = pooled == 0 ? Double.nan : try Binomial.clopperPearsonUpperBound(successes: below, trials: pooled, confidence: 0.95)
        return Calibration(profile: first.profile, level: first.level, runs: runs, firstSeed: sorted[0].0, rows: rows, toolVersion: first.toolVersion,
                           pooledPValues: pooled, shareBelow005: pooled == 0 ? .nan : Double(below) / Double(pooled), shareBelow005Upper: upper,
                           seedRanges: sorted.map { "\($0.0)…\($0.1)" })
    }

    /// Exact claims that failed on the correct implementation (each is a defect: their nominal rate is 0).
    public var exactFalseFailures: [String] { rows.filter { $0.kind == PropertyKind.exact.rawValue && $0.falseFails > 0 }.map(\.property) }

    func verdict(_ r: Row) -> String {
        if r.kind == PropertyKind.exact.rawValue {
            return r.falseFails == 0 ? "none in \(r.runs) runs (exact: must never fail)" : "NO: an exact claim failed on the correct code"
        }
        return r.withinBudget ? "yes" : (r.consistent ? "not shown (CI reaches above)" : "NO: too many false fails")
    }

    /// The table as text.
    public func table() -> String {
        var lines = ["property        kind         false fails  rate     95% CI (Clopper–Pearson)  nominal   within budget"]
        for r in rows {
            lines.append(r.property.padding(toLength: 16, withPad: " ", startingAt: 0) + r.kind.padding(toLength: 13, withPad: " ", startingAt: 0)
                         + "\(r.falseFails)/\(r.runs)".padding(toLength: 13, withPad: " ", startingAt: 0)
                         + String(format: "%-9.4f[%.4f, %.4f]", r.rate, r.lower, r.upper).padding(toLength: 35, withPad: " ", startingAt: 0)
                         + String(format: "%-10.4g", r.nominal) + verdict(r))
        }
        lines.append(String(format: "pooled case p-values: %d, share ≤ 0.05 = %.4f (95%% upper %.4f)", pooledPValues, shareBelow005, shareBelow005Upper))
        lines.append("level \(level) family-wise (the catalog runs at 0.001), profile \(profile), seeds "
                     + (seedRanges?.joined(separator: ", ") ?? "\(firstSeed)…\(firstSeed &+ UInt64(runs - 1))"))
        return lines.joined(separator: "\n")
    }
}
