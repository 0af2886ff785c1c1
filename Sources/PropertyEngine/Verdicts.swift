import Statistics

/// Turns a property's case evidence into a verdict. Kept apart from running so that sharded runs and a
/// single machine apply exactly the same rule to the same evidence.
public enum Verdicts {
    /// Indices (into `cases`) of failing cases, and the p-value threshold each rejected case was judged
    /// against. Exact: measured > tolerance (or an error). Statistical and rate: Holm–Bonferroni over the
    /// property's p-values at level `alpha`; a case that threw counts as a failure.
    public static func failures(kind: PropertyKind, cases: [CaseResult], alpha: Double) -> [(index: Int, threshold: Double)] {
        var out = [(Int, Double)]()
        for (i, c) in cases.enumerated() where c.error != nil || c.evidence == nil { out.append((i, 0)) }
        switch kind {
        case .exact:
            for (i, c) in cases.enumerated() where c.error == nil {
                if let e = c.evidence, !e.exactPasses { out.append((i, 0)) }
            }
        case .statistical, .rate:
            let judged = cases.enumerated().filter { $0.element.error == nil && $0.element.evidence?.pValue != nil }
            let pValues = judged.map { p in p.element.evidence!.pValue!.isNaN ? 0 : p.element.evidence!.pValue! }
            if !pValues.isEmpty, let holm = try? Holm.adjust(pValues: pValues, alpha: alpha) {
                // Holm compares the r-th smallest p-value (r = 0, 1, …) with α/(n − r).
                let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
                for (rank, k) in order.enumerated() where holm.rejected[k] {
                    out.append((judged[k].offset, alpha / Double(pValues.count - rank)))
                }
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// The share of the run's false-fail rate for one statistical or rate property.
    public static func propertyAlpha(falseFailRate: Double, familySize: Int) -> Double {
        falseFailRate / Double(max(familySize, 1))
    }
}
