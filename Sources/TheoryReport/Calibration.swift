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
        /// The property's revision that ran (nil in files written before revisions were recorded: 1).
        public var revision: Int? = nil
        /// Case p-values this row pooled, and how many were at or below 0.05 (nil in older files).
        public var pValues: Int? = nil
        public var pValuesAtMost005: Int? = nil
        public var rate: Double { runs > 0 ? Double(falseFails) / Double(runs) : .nan }
        /// The interval's upper end within the nominal rate.
        public var withinBudget: Bool { upper <= nominal }
        /// No evidence of more false fails than nominal (the interval reaches down to the nominal rate).
        public var consistent: Bool { lower <= nominal }
    }

    /// A run with at least one false fail: its seed and the properties that failed (so chunks that ran
    /// different properties over the same seeds can be joined into the family's count).
    public struct FailedRun: Codable, Sendable, Equatable {
        public var seed: UInt64
        public var properties: [String]
    }

    public var profile: String
    public var level: Double
    public var runs: Int
    public var firstSeed: UInt64
    /// One row per property that ran, then "family" (runs with any false fail) when the whole catalog ran
    /// or, combined, over the seeds every property covered.
    public var rows: [Row]
    /// The tool version that ran (recorded by `ggd`, so an output file is recognised as its own).
    public var toolVersion: String?
    /// Case p-values pooled over all runs, and the share at or below 0.05 with its interval.
    public var pooledPValues: Int
    public var shareBelow005: Double
    public var shareBelow005Upper: Double
    /// The seed ranges of combined calibrations ("3001…3040"), when this one is several put together.
    public var seedRanges: [String]?
    /// The properties run when not the whole catalog (`--property`); nil: all of them.
    public var selection: [String]? = nil
    /// Every run that had a false fail (nil in older files, which kept only the counts).
    public var failedRuns: [FailedRun]? = nil
    /// Combined: what was not counted, and why (a row of an earlier revision of its property).
    public var notCounted: [String]? = nil

    public var family: Row? { rows.last { $0.property == "family" } }

    /// What a calibration needs to know of a catalog property.
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var kind: String
        public var revision: Int
        public init(id: String, kind: String, revision: Int) { (self.id, self.kind, self.revision) = (id, kind, revision) }
    }

    /// The catalog as calibration sees it.
    public static var catalog: [Entry] { Catalog.properties().map { Entry(id: $0.id, kind: $0.kind.rawValue, revision: $0.revision) } }

    /// Runs the calibration; seeds are `firstSeed`, `firstSeed + 1`, … (fresh by default). `only` runs just
    /// those properties (at the level's share each would have in the whole catalog); the family row then
    /// comes from combining with chunks that ran the rest over the same seeds.
    public static func run(runs: Int, level: Double = 0.2, profileName: String = "ci", firstSeed: UInt64? = nil, only: [String]? = nil,
                           threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                           progress: ((String) -> Void)? = nil) throws -> Calibration {
        guard runs >= 1 else { throw ReportError.invalid("calibration needs at least one run, got \(runs)") }
        guard level > 0 && level < 1 else { throw ReportError.invalid("calibration level must lie in (0, 1), got \(level)") }
        let catalog = Catalog.properties()
        for id in only ?? [] where !catalog.contains(where: { $0.id == id }) {
            throw ReportError.invalid("no property '\(id)' in the catalog (its properties: \(catalog.map(\.id).joined(separator: ", ")))")
        }
        let properties = only.map { ids in catalog.filter { ids.contains($0.id) } } ?? catalog
        let family = Catalog.familySize
        let seed0 = firstSeed ?? UInt64.random(in: 1...UInt64(UInt32.max))
        let start = Date()
        // Runs side by side (each is independent of the others, so the counts equal a sequential run's); one
        // run's properties in order within it.
        let workers = max(1, min(threads, 8, runs))
        let outcomes = UnsafeMutableBufferPointer<(failed: [String], pValues: [String: [Double]])?>.allocate(capacity: runs)
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
                var failed = [String](), values = [String: [Double]]()
                for p in properties {
                    let result = runner.run(p)
                    values[p.id] = result.cases.compactMap { $0.evidence?.pValue }
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
        var fails = [String: Int](), anyFail = 0
        var pValues = [String: [Double]]()
        var failedRuns = [FailedRun]()
        for (r, outcome) in outcomes.enumerated() {
            let (failed, values) = outcome!
            for (id, v) in values { pValues[id, default: []] += v }
            for id in failed { fails[id, default: 0] += 1 }
            if !failed.isEmpty {
                anyFail += 1
                failedRuns.append(FailedRun(seed: seed0 &+ UInt64(r), properties: failed))
            }
        }
        var rows = try properties.map { p in
            let v = pValues[p.id] ?? []
            var row = try Self.row(p.id, p.kind.rawValue, fails[p.id] ?? 0, runs, p.kind == .exact ? 0 : level / Double(family))
            (row.revision, row.pValues, row.pValuesAtMost005) = (p.revision, v.count, v.filter { $0 <= 0.05 }.count)
            return row
        }
        if only == nil { rows.append(try Self.row("family", "all", anyFail, runs, level)) }
        let all = pValues.values.flatMap { $0 }
        let below = all.filter { $0 <= 0.05 }.count
        let upper = all.isEmpty ? Double.nan : try Binomial.clopperPearsonUpperBound(successes: below, trials: all.count, confidence: 0.95)
        return Calibration(profile: profileName, level: level, runs: runs, firstSeed: seed0, rows: rows, pooledPValues: all.count,
                           shareBelow005: all.isEmpty ? .nan : Double(below) / Double(all.count), shareBelow005Upper: upper,
                           selection: only.map { _ in properties.map(\.id) }, failedRuns: failedRuns)
    }

    static func row(_ id: String, _ kind: String, _ k: Int, _ runs: Int, _ nominal: Double) throws -> Row {
        let ci = try Binomial.clopperPearson(successes: k, trials: runs, confidence: 0.95)
        return Row(property: id, kind: kind, runs: runs, falseFails: k, nominal: nominal, lower: ci.lower, upper: ci.upper)
    }

    /// The seeds a calibration ran.
    var seeds: ClosedRange<UInt64> { firstSeed...(firstSeed &+ UInt64(runs - 1)) }

    /// Several calibrations (same profile and level) as one, for the catalog as it is now: each property's
    /// row adds the chunks that ran its current revision (rows of an earlier revision are listed as not
    /// counted, never added), and the family row counts the seeds on which every property ran at its
    /// current revision — from whole-catalog chunks directly, or by joining chunks that ran different
    /// properties over the same seeds through their failed-run records. A seed counted twice for one
    /// property is refused: a run counted twice is not evidence.
    public static func combined(_ parts: [Calibration], catalog: [Entry] = Calibration.catalog) throws -> Calibration {
        guard let first = parts.first else { throw ReportError.invalid("nothing to combine") }
        for p in parts where (p.seedRanges?.count ?? 1) > 1 {
            throw ReportError.invalid("a calibration that is already combined (seeds \(p.seedRanges!.joined(separator: ", "))) cannot be combined again: combine its chunks")
        }
        for p in parts where p.profile != first.profile || p.level != first.level {
            throw ReportError.invalid("calibrations differ in profile or level (\(first.profile) at \(first.level), \(p.profile) at \(p.level)): cannot combine")
        }
        func current(_ row: Row, _ entry: Entry) -> Bool { (row.revision ?? 1) == entry.revision && row.kind == entry.kind }
        func range(_ r: ClosedRange<UInt64>) -> String { "\(r.lowerBound)…\(r.upperBound)" }
        var rows = [Row](), notCounted = [String]()
        var pooled = 0, pooledBelow = 0
        for entry in catalog {
            var counted = [(ClosedRange<UInt64>, Row)]()
            for part in parts {
                guard let row = part.rows.first(where: { $0.property == entry.id }) else { continue }
                guard current(row, entry) else {
                    notCounted.append("\(entry.id) revision \(row.revision ?? 1) (now \(entry.revision)): \(row.runs) runs, seeds \(range(part.seeds))")
                    continue
                }
                counted.append((part.seeds, row))
            }
            let sorted = counted.sorted { $0.0.lowerBound < $1.0.lowerBound }
            for (a, b) in zip(sorted, sorted.dropFirst()) where b.0.overlaps(a.0) {
                throw ReportError.invalid("calibrations overlap for \(entry.id) (seeds \(range(a.0)) and \(range(b.0))): a run would count twice")
            }
            guard let nominal = counted.first?.1.nominal else {
                notCounted.append("\(entry.id): no chunk ran revision \(entry.revision)")
                continue
            }
            let runs = counted.reduce(0) { $0 + $1.1.runs }, k = counted.reduce(0) { $0 + $1.1.falseFails }
            var row = try Self.row(entry.id, entry.kind, k, runs, nominal)
            row.revision = entry.revision
            // Chunks written before rows recorded their p-values add none: the pooled count is over those that did.
            let withCounts = counted.compactMap { c in c.1.pValues.flatMap { n in c.1.pValuesAtMost005.map { (n, $0) } } }
            if !withCounts.isEmpty {
                (row.pValues, row.pValuesAtMost005) = (withCounts.reduce(0) { $0 + $1.0 }, withCounts.reduce(0) { $0 + $1.1 })
                pooled += row.pValues!
                pooledBelow += row.pValuesAtMost005!
            }
            rows.append(row)
        }
        // The family: seeds on which every property of the catalog ran at its current revision.
        let ids = Set(catalog.map(\.id))
        var familyRuns = 0, familyFails = 0
        var coverage = [UInt64: Set<String>](), failing = Set<UInt64>()
        for part in parts {
            let currentIDs = Set(catalog.filter { e in part.rows.contains { $0.property == e.id && current($0, e) } }.map(\.id))
            if let records = part.failedRuns {
                for seed in part.seeds { coverage[seed, default: []].formUnion(currentIDs) }
                for run in records where !currentIDs.isDisjoint(with: run.properties) { failing.insert(run.seed) }
            } else if currentIDs == ids, let f = part.family {
                familyRuns += f.runs
                familyFails += f.falseFails
            }
        }
        let covered = coverage.filter { $0.value == ids }.keys
        familyRuns += covered.count
        familyFails += covered.filter { failing.contains($0) }.count
        if familyRuns > 0 { rows.append(try Self.row("family", "all", familyFails, familyRuns, first.level)) }
        let upper = pooled == 0 ? Double.nan : try Binomial.clopperPearsonUpperBound(successes: pooledBelow, trials: pooled, confidence: 0.95)
        let ranges = Array(Set(parts.map(\.seeds))).sorted { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
        return Calibration(profile: first.profile, level: first.level, runs: rows.map(\.runs).max() ?? 0, firstSeed: ranges[0].lowerBound, rows: rows,
                           toolVersion: first.toolVersion, pooledPValues: pooled, shareBelow005: pooled == 0 ? .nan : Double(pooledBelow) / Double(pooled),
                           shareBelow005Upper: upper, seedRanges: ranges.map(range), notCounted: notCounted.isEmpty ? nil : notCounted)
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
        lines.append(String(format: "pooled case p-values: %d, share ≤ 0.05 = %.4f (95%% upper %.4f)", pooledPValues, shareBelow005, shareBelow005Upper)
                     + (seedRanges.map { $0.count > 1 } == true ? " (from the chunks that recorded them per property)" : ""))
        for line in notCounted ?? [] { lines.append("not counted: " + line) }
        lines.append("level \(level) family-wise (the catalog runs at 0.001), profile \(profile), seeds "
                     + (seedRanges?.joined(separator: ", ") ?? "\(firstSeed)…\(firstSeed &+ UInt64(runs - 1))"))
        return lines.joined(separator: "\n")
    }
}
