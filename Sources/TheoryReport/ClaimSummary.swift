import Foundation
import PropertyEngine

/// A catalog property's cases condensed into what the report states for the claim: the statistic, the
/// prediction, the measurement (with its confidence interval where there is one), the verdict, and the
/// metrics a comparison watches.
struct ClaimSummary {
    let result: ClaimResult
    let metrics: [Metric]
    /// The judged cases' settings, for "the settings sampled".
    let settings: [String]
    let notes: [String]

    init(_ p: PropertyResult) {
        let judged = p.cases.filter { $0.error == nil && $0.evidence != nil }
        let evidence = judged.compactMap(\.evidence)
        let failed = p.failures.count
        var metrics = [Metric]()
        var statistic = evidence.first?.note ?? "—"
        var predicted = "—", measured = "—"
        switch p.kind {
        case .exact:
            let worst = judged.max { ($0.evidence?.measured ?? -.infinity) < ($1.evidence?.measured ?? -.infinity) }
            let tolerance = evidence.compactMap(\.tolerance).min() ?? .nan
            let maxMeasured = worst?.evidence?.measured ?? .nan
            statistic = "per case: " + statistic + "; judged against its tolerance"
            predicted = "≤ \(Self.number(tolerance)) in every case"
            measured = "max \(Self.number(maxMeasured)) over \(judged.count) cases" + (worst.map { " (at \($0.setting))" } ?? "")
            metrics.append(Metric(name: "\(p.id).max_measured", value: maxMeasured,
                                  tolerance: Self.exactTolerance(measured: maxMeasured, tolerance: tolerance),
                                  meaning: "largest measured error over the cases (tolerance \(Self.number(tolerance)))"))
        case .statistical:
            let ps = evidence.compactMap(\.pValue)
            let minP = ps.min() ?? .nan
            statistic = "per case: " + statistic + "; p-values judged with Holm at the claim's α"
            predicted = "no case rejected: Holm at α = \(Self.number(p.alpha)) over \(ps.count) p-values (smallest p must exceed \(Self.number(p.alpha / Double(max(ps.count, 1)))))"
            measured = "smallest p = \(Self.number(minP)) over \(ps.count) cases" + (failed > 0 ? ", \(failed) rejected" : "")
        case .rate:
            let withSlope = judged.filter { $0.evidence?.slope != nil }
            // The case furthest towards violating the claim: the largest upper confidence bound for "≤" claims.
            let worst = withSlope.max { ($0.evidence?.slopeUpper ?? -.infinity) < ($1.evidence?.slopeUpper ?? -.infinity) }
            let claimed = worst?.evidence?.claimedRate ?? .nan
            statistic = "per case: " + statistic + "; least-squares slope with its confidence interval, one-sided test against the claimed rate"
            predicted = "log-log slope ≤ \(Self.number(claimed))"
            if let e = worst?.evidence, let s = e.slope, let lo = e.slopeLower, let hi = e.slopeUpper {
                let level = Int(((e.confidence ?? 0.99) * 100).rounded())
                measured = "slopes \(Self.number(withSlope.compactMap { $0.evidence?.slope }.min() ?? .nan)) … \(Self.number(withSlope.compactMap { $0.evidence?.slope }.max() ?? .nan)) over \(withSlope.count) cases; least favourable \(Self.number(s)), \(level)% CI [\(Self.number(lo)), \(Self.number(hi))]"
                metrics.append(Metric(name: "\(p.id).least_favourable_slope", value: s, tolerance: .slope,
                                      meaning: "fitted log-log slope of the case with the largest upper confidence bound"))
            }
        }
        let errors = p.cases.compactMap(\.error)
        var result = ClaimResult(id: p.id, title: p.title, claim: p.claim, kind: p.kind.rawValue,
                             verdict: p.passed == false || (p.passed == nil && failed > 0) ? .fail : .pass,
                             cases: p.cases.count, failedCases: failed, statistic: statistic, predicted: predicted, measured: measured,
                             alpha: p.kind == .exact ? nil : p.alpha, failureTokens: p.failures.map(\.token), seconds: p.seconds)
        if let d = p.detectable {
            result.detectable = d.summary + " (" + d.note + "; case level \(Self.number(d.caseLevel)))"
            result.detectableSummary = d.summary
            // Computed from the budget and the level, so they move only when either does.
            for (name, value) in [("standard_deviation", d.standardDeviation), ("mean", d.mean), ("cdf_distance", d.cdfDistance)] {
                if let value {
                    metrics.append(Metric(name: "\(p.id).detectable_\(name)", value: value, tolerance: Tolerance(absolute: 0, relative: 1e-6),
                                          meaning: "the \(name.replacingOccurrences(of: "_", with: " ")) error the claim's cases detect with probability 0.95"))
                }
            }
        }
        self.result = result
        self.metrics = metrics
        settings = p.cases.map(\.setting)
        notes = errors.isEmpty ? [] : ["\(errors.count) case(s) threw: " + (errors.first ?? "")]
    }

    /// Drift allowed for an exact claim's largest error: half the tolerance (round-off noise is far
    /// below it) or 5% of the value, whichever is larger.
    static func exactTolerance(measured: Double, tolerance: Double) -> Tolerance {
        Tolerance(absolute: tolerance.isFinite ? abs(tolerance) / 2 : 1e-9, relative: 0.05)
    }

    static func number(_ x: Double?) -> String {
        guard let x else { return "—" }
        if x.isNaN { return "nan" }
        if x == 0 { return "0" }
        let a = abs(x)
        if a >= 1e-3 && a < 1e4 { return String(format: "%.4g", x) }
        return String(format: "%.2e", x)
    }
}
