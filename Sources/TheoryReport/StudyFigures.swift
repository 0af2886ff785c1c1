import Foundation
import Reproduction
import Reporting

/// Figures of the reproduction section (from `SimulationStudy`) and of the projected laws.
enum StudyFigures {
    /// The study's figure data as report figures; ids become file stems ("roff_rounds" → "roff-rounds").
    static func figures(_ results: SimulationStudy.Results, captions: [String: String]) throws -> [Figure] {
        try results.figures.map { f in
            let frontier = f.id.hasPrefix("sphere_frontier")
            let settings = f.settings.sorted { $0.key < $1.key }.map { "\($0.key.replacingOccurrences(of: "_", with: " ")) \($0.value)" }.joined(separator: "; ")
            return try Figure(id: f.id.replacingOccurrences(of: "_", with: "-"), title: f.title,
                          caption: (captions[f.id].map { $0 + " " } ?? "") + (settings.isEmpty ? "" : "Settings: \(settings)."),
                          xLabel: f.xLabel, yLabel: f.yLabel, yScale: f.id.hasPrefix("roff") ? .log10 : .linear,
                          series: f.series.map { s in
                              Reporting.Series(name: s.name, points: zip(s.x, s.y).map { Point(x: $0.0, y: $0.1) },
                                               style: frontier ? .lineAndMarkers : .line)
                          },
                          bands: try f.series.compactMap { s in
                              guard let lower = s.lower, let upper = s.upper else { return nil }
                              // On a log axis a band is drawn down to a tenth of its curve at most.
                              let floor = f.id.hasPrefix("roff") ? zip(lower, s.y).map { max($0.0, $0.1 / 10) } : lower
                              return try Band(name: "", x: s.x, lower: floor, upper: upper)
                          })
        }
    }

    static let captions: [String: String] = [
        "roff_rounds": "Mean off-support ratio r_off = ‖x⊥‖/‖x∥‖ of each round's samples (paper Fig. 4): naive G leaves span(A), G_loss stays on it.",
        "reward_rounds": "Mean reward f₁ of each round's samples; the maximum is 10 (paper Fig. 5).",
        "roff_alg2": "r_off under Algorithm 2's fine-tuning.",
        "variants": "The θ₁ and f₂ variants of the objective.",
        "jacobian_leak": "How far the score model's x̂₀ Jacobian leaks off span(A) over t; for the linear score class fitted to on-span data it is at round-off.",
        "sphere_frontier": "Final mean reward against mean deviation |‖x‖ − 1| from the sphere, one point per δ (256 draws, 25 rounds at full scale).",
        "sphere_frontier_signed": "The same runs against the signed deviation mean(‖x‖ − 1), as the paper's code measures it: positive means the draws leave the sphere outward.",
    ]

    /// Empirical CDFs of projected guided draws beside the exact law's normal CDF and Lemma 3's.
    static func projectedLaw(_ law: ProjectedLawMeasurement) throws -> [Figure] {
        try law.projections.enumerated().map { i, p in
            let n = Double(p.sorted.count)
            let empirical = p.sorted.enumerated().map { Point(x: $0.element, y: Double($0.offset + 1) / n) }
            let lo = min(p.sorted.first ?? 0, p.exactMean - 4 * p.exactSD), hi = max(p.sorted.last ?? 0, p.exactMean + 4 * p.exactSD)
            let grid = (0...120).map { lo + (hi - lo) * Double($0) / 120 }
            func cdf(_ m: Double, _ s: Double) -> [Point] {
                grid.map { Point(x: $0, y: s > 0 ? 0.5 * erfc(-($0 - m) / (s * 2.0.squareRoot())) : ($0 >= m ? 1 : 0)) }
            }
            return try Figure(id: "projected-cdf-\(i + 1)", title: "Guided draws against their law: \(p.name)",
                          caption: String(format: "Empirical CDF of %d guided draws projected on one direction, beside the normal CDF of the sampler's exact law (SPEC §5) and of Lemma 3's continuous-time law. KS statistic against the exact law %.4f (p = %.3g). %@.",
                                          p.sorted.count, p.ks.statistic, p.ks.pValue, law.setting),
                          xLabel: "projection", yLabel: "cumulative probability",
                          series: [Series(name: "empirical CDF (\(p.sorted.count) draws)", points: empirical, style: .step),
                                   Series(name: "exact law of the sampler", points: cdf(p.exactMean, p.exactSD), style: .line),
                                   Series(name: "Lemma 3 (T → ∞)", points: cdf(p.lemmaMean, p.lemmaSD), style: .line, dashed: true)])
        }
    }
}
