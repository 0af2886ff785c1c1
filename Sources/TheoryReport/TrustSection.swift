import Foundation
import Reporting

/// "How much to trust this report": the catalog's kill matrix against deliberate faults (does it catch
/// bugs?) and its false-fail calibration (does it cry wolf?), with the metrics a comparison watches.
enum TrustSection {
    static func blocks(mutation: MutationTesting?, sensitivity: Sensitivity?, calibration: Calibration?) -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "How much to trust this report", anchor: "trust")]
        blocks.append(.paragraph([.text("A verification tool is as good as the bugs it catches and the false alarms it avoids. Both are measured here, in this run: the catalog against deliberate faults switched into the reference implementation ("),
                                  .code("ggd mutants"), .text("), and the correct implementation's false-fail rate over fresh seeds ("), .code("ggd calibrate"), .text(").")]))
        if let m = mutation {
            let killed = m.mutants.filter(\.killed).count
            let target = MutationTesting.target(profile: m.profile)
            blocks.append(.heading(level: 3, text: "Mutants: which property catches which fault", anchor: "mutants"))
            blocks.append(.paragraph([.strong(String(format: "%d of %d mutants killed; kill rate %.1f%%", killed, m.mutants.count, 100 * m.killRate)),
                                      .text(String(format: " over the %d that are not equivalent (target %.0f%% at the %@ profile, catalog seed %llu). × marks a property that failed with the fault on.",
                                                   m.mutants.filter { $0.equivalence == nil || $0.killed }.count, 100 * target, m.profile, m.seed))]))
            let rows = m.mutants.map { r -> Table.Row in
                var cells: [Table.Cell] = [Table.Cell([.code(r.fault)])]
                cells += m.properties.map { id in r.killedBy.contains(id) ? Table.Cell("×", tone: .pass) : Table.Cell("") }
                cells.append(r.killed ? Table.Cell("killed", tone: .pass)
                                      : Table.Cell(r.equivalence == nil ? "SURVIVED" : "equivalent", tone: r.equivalence == nil ? .fail : .warn))
                return Table.Row(cells)
            }
            blocks.append(.table(Table(headers: ["mutant"] + m.properties + ["outcome"], rows: rows)))
            blocks.append(.table(Table(headers: ["mutant", "the fault", "where"],
                                       rows: m.mutants.map { Table.Row([Table.Cell([.code($0.fault)]), Table.Cell($0.summary), Table.Cell($0.site)]) })))
            let survivors = m.survivors
            if !survivors.isEmpty {
                blocks.append(.bulletList(survivors.map { s in
                    [.code(s.fault), .text(": " + (s.equivalence ?? "no property catches it — a gap in the catalog"))]
                }))
            }
        } else {
            blocks.append(.paragraph([.text("Mutation testing was not run in this report ("), .code("ggd mutants"), .text(" runs it).")]))
        }
        blocks += sensitivityBlocks(sensitivity)
        if let c = calibration {
            blocks.append(.heading(level: 3, text: "False-fail calibration", anchor: "calibration"))
            blocks.append(.paragraph([.text(String(format: "The statistical and rate properties run %d times on the correct implementation with fresh seeds (%llu onwards) at family-wise level %.3g, split and Holm-controlled as in every run; every failure is a false one. The catalog itself runs at 0.001, where false fails are too rare to count in a report's time; this level makes them countable and checks that the p-values are valid. The interval is Clopper–Pearson at 95%%.",
                                                   c.runs, c.firstSeed, c.level))]))
            blocks.append(.table(Table(headers: ["property", "kind", "false fails", "rate", "95% CI", "nominal", "within budget"],
                                       rows: c.rows.map { r in
                                           Table.Row([Table.Cell(r.property), Table.Cell(r.kind), Table.Cell("\(r.falseFails)/\(r.runs)"),
                                                      Table.Cell(String(format: "%.3f", r.rate)), Table.Cell(String(format: "[%.3f, %.3f]", r.lower, r.upper)),
                                                      Table.Cell(String(format: "%.3g", r.nominal)),
                                                      r.withinBudget ? Table.Cell("yes", tone: .pass)
                                                          : (r.consistent ? Table.Cell("not shown with \(r.runs) runs", tone: .warn) : Table.Cell("NO", tone: .fail))])
                                       })))
            blocks.append(.paragraph([.text(String(format: "Pooled case p-values: %d; share at or below 0.05: %.3f (95%% upper bound %.3f; valid p-values give at most 0.05).",
                                                   c.pooledPValues, c.shareBelow005, c.shareBelow005Upper))]))
        } else {
            blocks.append(.paragraph([.text("False-fail calibration was not run in this report ("), .code("ggd calibrate --runs N"), .text(" runs it).")]))
        }
        return blocks
    }

    /// The sensitivity curve: how small an error of each graded kind the catalog catches at this profile.
    static func sensitivityBlocks(_ sensitivity: Sensitivity?) -> [Block] {
        guard let s = sensitivity else {
            return [.paragraph([.text("The sensitivity scan was not run in this report ("), .code("ggd sensitivity"), .text(" runs it).")])]
        }
        var blocks: [Block] = [.heading(level: 3, text: "Sensitivity: the smallest error each profile catches", anchor: "sensitivity")]
        blocks.append(.paragraph([.text(String(format: "Each graded fault puts one formula off by ε; the whole catalog runs against it at growing ε (%@ profile, catalog seed %llu) until some property fails. The smallest ε detected is the catalog's resolution for that kind of error here; a larger profile resolves finer (", s.profile, s.seed)),
                                  .code("ggd sensitivity --profile full"), .text("). Each claim's computed minimum detectable effect is beside its verdict above.")]))
        blocks.append(.table(Table(headers: ["graded fault", "the fault at size ε", "smallest ε detected", "detected by", "largest ε missed", "sizes run"],
                                   rows: s.rows.map { r in
                                       Table.Row([Table.Cell([.code(r.fault)]), Table.Cell(r.summary),
                                                  r.smallestDetected.map { Table.Cell(String(format: "%g", $0), tone: .pass) } ?? Table.Cell("none run", tone: .warn),
                                                  Table.Cell(r.trials.first(where: \.detected)?.killedBy.joined(separator: ", ") ?? "—"),
                                                  Table.Cell(r.largestMissed.map { String(format: "%g", $0) } ?? "—"),
                                                  Table.Cell(r.trials.map { String(format: "%g", $0.size) }.joined(separator: ", "))])
                                   })))
        return blocks
    }

    static func metrics(mutation: MutationTesting?, sensitivity: Sensitivity? = nil, calibration: Calibration?) -> [Metric] {
        var out = [Metric]()
        if let m = mutation {
            out.append(Metric(name: "trust.kill_rate", value: m.killRate, tolerance: Tolerance(absolute: 0, relative: 0),
                              meaning: "share of non-equivalent mutants some property kills"))
            for r in m.mutants {
                out.append(Metric(name: "trust.mutant.\(r.fault).killers", value: Double(r.killedBy.count), tolerance: Tolerance(absolute: 0.5, relative: 0.5),
                                  meaning: "properties that kill \(r.fault)"))
            }
        }
        for r in sensitivity?.rows ?? [] {
            // The smallest ε detected, as a power of about 3: a move by one grid step is a change of resolution.
            out.append(Metric(name: "trust.sensitivity.\(r.fault).smallest_detected", value: r.smallestDetected ?? .infinity,
                              tolerance: Tolerance(absolute: 0, relative: 0.5),
                              meaning: "the smallest size of graded fault \(r.fault) some property detects"))
        }
        if let c = calibration, let f = c.family {
            out.append(Metric(name: "trust.calibration.family_false_fails", value: Double(f.falseFails), tolerance: Tolerance(absolute: 2, relative: 0.5),
                              meaning: "runs of \(c.runs) with a false fail at level \(c.level)"))
        }
        return out
    }
}
