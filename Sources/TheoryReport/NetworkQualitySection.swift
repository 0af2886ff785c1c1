import Foundation
import PropertyEngine
import Reporting

/// The report's section on the learned network: the model-quality family's verdicts on the chosen
/// architecture and on the paper's plain MLP trained the same way, and the metrics a comparison watches.
enum NetworkQualitySection {
    /// The number that says most about a property's outcome: its worst case's (the first failure's, else
    /// the largest measured value or smallest p-value over the cases).
    static func headline(_ r: PropertyResult) -> String {
        let evidence = r.failures.first?.evidence ?? r.cases.compactMap(\.evidence).max { a, b in
            if let p = a.pValue, let q = b.pValue { return p > q }
            return (a.measured ?? -.infinity) < (b.measured ?? -.infinity)
        }
        guard let e = evidence else { return r.cases.first?.error ?? "—" }
        let n = e.numbers
        func f(_ x: Double?) -> String { x.map { ClaimSummary.number($0) } ?? "—" }
        switch r.id {
        case "M-outliers": return "\(Int(n["draws_beyond"] ?? .nan)) of \(Int(n["draws"] ?? 0)) draws beyond 2·max‖data‖; ‖x‖ 99.9% \(f(n["norm_q99.9"])) (data \(f(n["data_norm_q99.9"])))"
        case "M-offspan": return "mean r_off \(f(n["mean_r_off"])) (paper 0.039)"
        case "M-law": return "p = \(f(e.pValue)); on-span eigenvalues \(f(n["smallest_eigenvalue_ratio"]))–\(f(n["largest_eigenvalue_ratio"])) × the exact law's"
        case "M-leak": return "α-weighted on-span leak \(f(e.measured)) (tolerance 0.039); at t = 1: on-span \(f(n["on_span_leak_t1"])), full matrix \(f(n["leak_t1"]))"
        case "M-order": return "r_off G \(f(n["mean_r_off_naive"])), G_loss \(f(n["mean_r_off_gloss"])); bound \(f(n["upper_bound_999"]))"
        default: return e.measured.map { f($0) } ?? f(e.pValue)
        }
    }

    static func verdict(_ r: PropertyResult) -> Table.Cell {
        r.passed == false ? Table.Cell("FAIL", tone: .fail) : Table.Cell("pass", tone: .pass)
    }

    static func blocks(_ m: NetworkQualityMeasurement?, profile: String) -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Model quality: the learned network", anchor: "model-quality")]
        guard let m else {
            return blocks + [.paragraph([.text("No network was trained in this report ("), .code("ggd check --network FILE"), .text(" judges one).")])]
        }
        let (c, p) = (m.chosen, m.paper)
        blocks.append(.paragraph([.text("Two ε-networks trained in this run on the paper's linear-latent data (\(c.points) points, \(c.epochs) epochs, batch 32, Adam 1e−4, seed \(m.seed)): "),
                                  .code(c.architecture), .text(String(format: " (%d parameters, %.0f s, final loss %.4f), the architecture the sweep chose (", c.parameters, c.trainingSeconds, c.finalLoss)),
                                  .code("Reports/networks/"), .text("), and the paper's plain MLP "), .code(p.architecture),
                                  .text(String(format: " (%.0f s, final loss %.4f). Each is judged by the model-quality family at the %@ profile: a model must pass it before a report may rest on it. M-order is a short reproduction of the paper's Fig. 4 on the network (Algorithm 1, f₁ with θ₂, G at δ = 0.9 against G_loss at δ = 0.2).", p.trainingSeconds, p.finalLoss, profile))]))
        if !c.failed.isEmpty && c.parameters < 900_000 {
            blocks.append(.paragraph([.text("At this profile the networks are \(c.architecture.components(separatedBy: " ").first ?? ""), a quarter of mlp-512x4's work; the sweep's mlp-512x4-v with the same average passes every property at the same budgets ("),
                                      .code("Reports/networks/"), .text("), and "), .code("--profile full"), .text(" trains width 512.")]))
        }
        let rows = zip(c.properties, p.properties).map { a, b in
            Table.Row([Table.Cell(a.id), Table.Cell(a.title), verdict(a), Table.Cell(headline(a)), verdict(b), Table.Cell(headline(b))])
        }
        blocks.append(.table(Table(headers: ["property", "what it checks", c.architecture, "measured", p.architecture, "measured"], rows: rows)))
        return blocks
    }

    /// What the family catches in the paper's plain MLP: the kill, for the trust section.
    static func trustBlocks(_ m: NetworkQualityMeasurement?) -> [Block] {
        guard let m else { return [] }
        var blocks: [Block] = [.heading(level: 3, text: "Model quality: a weak network is caught", anchor: "model-kill")]
        let failed = m.paper.failed
        blocks.append(.paragraph([.text("The model-quality family judges models, so its check is that it rejects a weak one: the paper's plain MLP "),
                                  .code(m.paper.architecture), .text(" trained with the same budget as "), .code(m.chosen.architecture), .text(" is "),
                                  failed.isEmpty ? .strong("NOT caught: no property fails it") : .strong("caught by \(failed.joined(separator: ", "))"),
                                  .text(m.chosen.failed.isEmpty ? ", while the chosen network passes every property." : "; the chosen network fails \(m.chosen.failed.joined(separator: ", ")) too.")]))
        return blocks
    }

    static func metrics(_ m: NetworkQualityMeasurement?) -> [Metric] {
        guard let m else { return [] }
        var out = [Metric]()
        for s in [m.chosen, m.paper] {
            for r in s.properties {
                out.append(Metric(name: "model.\(s.role).\(r.id).passed", value: r.passed == false ? 0 : 1, tolerance: Tolerance(absolute: 0, relative: 0),
                                  meaning: "\(r.id) on the \(s.role == "chosen" ? "chosen network" : "paper's plain MLP") \(s.architecture) (1: pass)"))
            }
            out.append(Metric(name: "model.\(s.role).final_loss", value: s.finalLoss, tolerance: .measurement, meaning: "final epoch's training loss of \(s.architecture)"))
        }
        return out
    }
}
