import Foundation

/// `ggd compare BASE NEW`: what changed between two reports, and whether any change is a regression.
///
/// A regression is: a claim that passed in BASE and fails in NEW; a failing claim in NEW with a failure
/// (replay token) BASE did not have; a claim or metric of BASE missing from NEW; a metric that moved by
/// more than BASE's tolerance for it; a figure that lost all its data. Improvements and additions are
/// listed but never fail the comparison. Comparing runs of different profiles or seeds is allowed, but
/// flagged, since their metrics are not expected to agree.
public struct ResultsComparison: Sendable {
    public enum Kind: String, Sendable {
        case verdictChanged = "verdict changed"
        case newFailure = "new failure"
        case stillFailing = "still failing"
        case fixed = "fixed"
        case missing = "missing"
        case added = "added"
        case drift = "drift"
        case lostData = "figure lost its data"
        case incomparable = "not comparable"
    }

    public struct Row: Sendable, Equatable {
        public let kind: Kind
        public let subject: String
        public let base: String
        public let new: String
        public let regression: Bool
    }

    public let rows: [Row]
    /// Metrics compared and found within tolerance (not listed as rows).
    public let metricsWithinTolerance: Int

    public var regressions: [Row] { rows.filter(\.regression) }
    public var hasRegression: Bool { rows.contains(where: \.regression) }

    public init(base: ReportResults, new: ReportResults) {
        var rows = [Row]()
        let b = base.provenance, n = new.provenance
        if b.profile != n.profile || b.catalogSeed != n.catalogSeed || b.studySeed != n.studySeed || b.roundScale != n.roundScale {
            rows.append(Row(kind: .incomparable, subject: "run settings",
                            base: "profile \(b.profile), seeds \(b.catalogSeed)/\(b.studySeed), rounds ×\(b.roundScale)",
                            new: "profile \(n.profile), seeds \(n.catalogSeed)/\(n.studySeed), rounds ×\(n.roundScale)", regression: false))
        }
        // Claims.
        let newClaims = Dictionary(new.claims.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let baseIDs = Set(base.claims.map(\.id))
        for c in base.claims {
            guard let m = newClaims[c.id] else {
                rows.append(Row(kind: .missing, subject: "claim \(c.id)", base: c.verdict.rawValue, new: "—", regression: true))
                continue
            }
            switch (c.verdict, m.verdict) {
            case (.pass, .fail):
                rows.append(Row(kind: .verdictChanged, subject: "claim \(c.id)", base: "pass",
                                new: "FAIL (\(m.failedCases)/\(m.cases) cases)" + Self.tokens(m.failureTokens), regression: true))
            case (.fail, .pass):
                rows.append(Row(kind: .fixed, subject: "claim \(c.id)", base: "FAIL", new: "pass", regression: false))
            case (.fail, .fail):
                let fresh = m.failureTokens.filter { !c.failureTokens.contains($0) }
                rows.append(Row(kind: fresh.isEmpty ? .stillFailing : .newFailure, subject: "claim \(c.id)",
                                base: "FAIL" + Self.tokens(c.failureTokens), new: "FAIL" + Self.tokens(m.failureTokens),
                                regression: !fresh.isEmpty))
            case (.pass, .pass):
                break
            }
        }
        for c in new.claims where !baseIDs.contains(c.id) {
            rows.append(Row(kind: c.verdict == .fail ? .newFailure : .added, subject: "claim \(c.id)", base: "—",
                            new: c.verdict == .fail ? "FAIL" + Self.tokens(c.failureTokens) : "pass", regression: c.verdict == .fail))
        }
        // Metrics, judged by the baseline's tolerances.
        let newMetrics = Dictionary(new.metrics.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var within = 0
        for metric in base.metrics {
            guard let m = newMetrics[metric.name] else {
                rows.append(Row(kind: .missing, subject: metric.name, base: Self.format(metric.value), new: "—", regression: true))
                continue
            }
            if metric.tolerance.allows(base: metric.value, new: m.value) {
                within += 1
            } else {
                rows.append(Row(kind: .drift, subject: metric.name, base: Self.format(metric.value),
                                new: Self.format(m.value) + " (allowed ±" + Self.format(metric.tolerance.absolute + metric.tolerance.relative * abs(metric.value)) + ")",
                                regression: true))
            }
        }
        let baseMetricNames = Set(base.metrics.map(\.name))
        for m in new.metrics where !baseMetricNames.contains(m.name) {
            rows.append(Row(kind: .added, subject: m.name, base: "—", new: Self.format(m.value), regression: false))
        }
        // Figures.
        let newFigures = Dictionary(new.figures.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for f in base.figures {
            guard let m = newFigures[f.id] else {
                rows.append(Row(kind: .missing, subject: "figure \(f.id)", base: "\(f.points) points", new: "—", regression: true))
                continue
            }
            if f.points > 0 && m.points == 0 {
                rows.append(Row(kind: .lostData, subject: "figure \(f.id)", base: "\(f.points) points", new: "0 points", regression: true))
            }
        }
        self.rows = rows
        metricsWithinTolerance = within
    }

    static func tokens(_ tokens: [String]) -> String {
        tokens.isEmpty ? "" : " " + tokens.prefix(2).joined(separator: " ") + (tokens.count > 2 ? " …" : "")
    }

    static func format(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x == 0 { return "0" }
        let a = abs(x)
        if a >= 1e-3 && a < 1e5 {
            var s = String(format: "%.6g", x)
            if s.contains("e") { s = String(format: "%.4e", x) }
            return s
        }
        return String(format: "%.4e", x)
    }

    /// The comparison as a plain-text table, with a closing line that states the outcome.
    public func table() -> String {
        var lines = [String]()
        if rows.isEmpty {
            lines.append("no differences")
        } else {
            let headers = ["", "what", "change", "base", "new"]
            let cells = rows.map { [$0.regression ? "✗" : "·", $0.subject, $0.kind.rawValue, $0.base, $0.new] }
            var widths = headers.map(\.count)
            for r in cells { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
            func line(_ r: [String]) -> String {
                r.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            }
            lines.append(line(headers))
            lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
            lines.append(contentsOf: cells.map(line))
        }
        lines.append("")
        let r = regressions.count
        lines.append(r == 0
            ? "no regression (\(metricsWithinTolerance) metrics within tolerance)"
            : "\(r) regression\(r == 1 ? "" : "s") (\(metricsWithinTolerance) metrics within tolerance)")
        return lines.joined(separator: "\n")
    }
}
