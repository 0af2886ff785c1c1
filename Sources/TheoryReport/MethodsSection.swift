import Foundation
import Reporting

/// The report section "Guidance methods side by side" (and `ggd methods`' own document): the table
/// method × sampler, the reward–deviation frontier figure, and the metrics a comparison holds a
/// baseline to.
public enum MethodsSection {
    /// r_off is plotted on a log axis; exact zeros (the methods that keep span(A)) sit at this floor.
    static let plotFloor = 1e-16

    public static func figure(_ m: MethodsComparison) throws -> Figure {
        let names = m.options.methods.map(\.name)
        let series = try names.map { name in
            let points = m.frontier.filter { $0.method == name }.compactMap { p -> Point? in
                guard let r = p.reward, let off = p.offSupportRatio, r.isFinite, off.isFinite else { return nil }
                return Point(x: max(off, plotFloor), y: r)
            }
            return try Series(name: name, x: points.map(\.x), y: points.map(\.y), style: .lineAndMarkers)
        }
        let scales = m.options.scales.map { String(format: "%g", $0) }.joined(separator: ", ")
        return try Figure(id: "methods-frontier", title: "Reward against deviation from span(A), across strengths",
                          caption: "Algorithm 1 with each guidance method in place of G_loss, on DDPM: the final round's mean reward f₁ against its mean r_off = ‖x⊥‖/‖x∥‖, one point per strength (×\(scales) of the method's default). Methods that keep span(A) sit at r_off = 0, drawn at \(plotFloor). Settings: \(m.setting).",
                          xLabel: "mean r_off (final round)", yLabel: "mean reward f₁ (final round)", xScale: .log10, series: series)
    }

    static func number(_ v: Double?, _ format: String = "%.4g") -> String { v.map { String(format: format, $0) } ?? "—" }

    public static func table(_ m: MethodsComparison) -> Table {
        Table(headers: ["method", "sampler", "keeps span(A)", "off-span mass (law)", "claim holds here", "reward (K)", "top-4 (K)", "r_off (K)", "ms / round"],
              rows: m.rows.map { r in
                  let keeps = r.keepsSpanHere.map { $0 ? "yes" : "no" } ?? "—"
                  let keptCell = Table.Cell(keeps + (r.keepsSpan == nil && r.keepsSpanHere != nil ? " (draws)" : ""),
                                            tone: r.keepsSpanHere.map { $0 ? .pass : .warn })
                  let holds = r.claimHolds.map { Table.Cell($0 ? "yes" : "NO", tone: $0 ? .pass : .fail) } ?? Table.Cell("no claim")
                  return Table.Row([.init(r.settings), .init(r.sampler), keptCell, .init(number(r.offSpanMass, "%.2e")), holds,
                                    .init(r.failure == nil ? number(r.reward) : "diverged"), .init(number(r.top4Reward)),
                                    .init(number(r.offSupportRatio, "%.3g")), .init(number(r.secondsPerRound.map { $0 * 1000 }, "%.1f"))])
              },
              caption: "K = \(m.options.rounds) rounds of Algorithm 1, B = \(m.options.batchSize); the unguided round 0's mean reward is \(number(m.initialReward)) (maximum 10). \"Keeps span(A)\": the exact law's relative off-span mass ≤ \(MethodsComparison.keepThreshold) for the first round's query (g = ∇f at the unguided mean, ‖g⊥‖/‖g‖ = \(String(format: "%.3f", m.gradientOffSpanFraction))); \"(draws)\" where the method is not affine and its draws decide. Wall time per round is this machine's, this run's.")
    }

    public static func blocks(_ m: MethodsComparison?, figure: Figure?) -> [Block] {
        guard let m else { return [] }
        var blocks: [Block] = [.heading(level: 2, text: "Guidance methods side by side", anchor: "methods")]
        blocks.append(.paragraph([.text("The training-free guidance methods (DPS, FreeDoM, Universal Guidance, MPGD, TFG) beside the paper's G and G_loss, each in place of G_loss in Algorithm 1, on \(m.setting). Where a method is affine its exact law decides whether it keeps span(A) (the catalog's M1–M4 check the same on generated settings); the claim column says whether the method's own paper's structure claim holds here. "),
                                  .code("ggd methods"), .text(" reruns this table alone.")]))
        blocks.append(.table(table(m)))
        for r in m.rows where r.failure != nil { blocks.append(.paragraph([.text("\(r.settings) on \(r.sampler): \(r.failure!)")])) }
        if let figure { blocks.append(.figure(figure)) }
        return blocks
    }

    /// One metric per number of the table that does not depend on the machine (wall times are left out).
    public static func metrics(_ m: MethodsComparison?) -> [Metric] {
        guard let m else { return [] }
        var out: [Metric] = []
        if let v = m.initialReward { out.append(Metric(name: "methods.initial_reward", value: v, tolerance: .measurement, meaning: "unguided round 0's mean reward")) }
        for r in m.rows {
            let key = "methods.\(r.method).\(r.sampler.hasPrefix("ddim") ? "ddim" : "ddpm")"
            if let v = r.offSpanMass { out.append(Metric(name: key + ".off_span_mass", value: v, tolerance: .roundOff(1e-6), meaning: "exact law's relative off-span mass, \(r.settings)")) }
            if let v = r.reward { out.append(Metric(name: key + ".reward", value: v, tolerance: .measurement, meaning: "mean reward after K rounds, \(r.settings)")) }
            if let v = r.offSupportRatio { out.append(Metric(name: key + ".r_off", value: v, tolerance: Tolerance(absolute: 1e-6, relative: 0.05), meaning: "mean r_off after K rounds, \(r.settings)")) }
        }
        return out
    }
}
