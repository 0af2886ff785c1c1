import Foundation
import PropertyEngine
import Reporting

/// Turns a measured `ReportRun` into the report: one document (rendered as index.html and index.md),
/// its figures, and `results.json`.
public struct ReportAssembly: Sendable {
    public let document: ReportDocument
    public let results: ReportResults
    public let figures: [Figure]

    /// Which catalog figure illustrates which claim.
    static let claimFigures: [String: [String]] = ["T3-rate": ["t3-rate"], "T2-contraction": ["t2-contraction"], "L3-rate": ["l3-error"],
                                                   "L3-draws": ["projected-cdf-1", "projected-cdf-2"]]

    public init(_ run: ReportRun, provenance: Provenance) throws {
        let summaries = run.catalog.properties.map(ClaimSummary.init)
        let catalogFigures = try CatalogFigures.all(run.catalog)
        let lawFigures = try StudyFigures.projectedLaw(run.law)
        let studyFigures = try StudyFigures.figures(run.study, captions: StudyFigures.captions)
            + StudyFigures.figures(run.sphere, captions: StudyFigures.captions)
        let networkStudyFigures = try NetworkStudySection.figures(run.networks)
        let methodsFigure = try run.methods.map(MethodsSection.figure)
        let figures = catalogFigures + lawFigures + studyFigures + networkStudyFigures + (methodsFigure.map { [$0] } ?? [])
        let byID = Dictionary(figures.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let facts = PaperFact.all(studies: run.studies, spheres: run.spheres, roundScale: run.configuration.roundScale)

        var metrics = summaries.flatMap(\.metrics)
        for (key, value) in run.study.numbers.sorted(by: { $0.key < $1.key }) {
            metrics.append(Metric(name: "reproduction.\(key)", value: value, tolerance: .measurement, meaning: key.replacingOccurrences(of: "_", with: " ")))
        }
        for (key, value) in run.sphere.numbers.sorted(by: { $0.key < $1.key }) {
            metrics.append(Metric(name: "sphere.\(key)", value: value, tolerance: .measurement, meaning: key.replacingOccurrences(of: "_", with: " ")))
        }
        for (i, p) in run.law.projections.enumerated() {
            metrics.append(Metric(name: "law.projection\(i + 1).ks_statistic", value: p.ks.statistic, tolerance: .measurement,
                                  meaning: "KS distance of projected draws from the exact law (\(p.name))"))
        }
        metrics += NetworkQualitySection.metrics(run.networks)
        metrics += NetworkStudySection.metrics(run.networks)
        metrics += MethodsSection.metrics(run.methods)
        metrics += TrustSection.metrics(mutation: run.mutation, sensitivity: run.sensitivity, calibration: run.calibration)
        results = ReportResults(provenance: provenance, claims: summaries.map(\.result), metrics: metrics,
                                figures: figures.map { FigureSummary(id: $0.id, title: $0.title, series: $0.series.map(\.name), points: $0.plottablePointCount) })
        self.figures = figures

        var doc = ReportDocument(title: "Theory vs empirics: Gradient Guidance for Diffusion Models",
                                 subtitle: "Each claim of the paper (NeurIPS 2024, “An Optimization Perspective”) beside its measurement in this run · profile \(provenance.profile) · \(provenance.startedAt)")
        let passed = summaries.filter { $0.result.verdict == .pass }.count
        doc.blocks.append(.heading(level: 2, text: "Summary", anchor: "summary"))
        doc.blocks.append(.paragraph([.strong("\(passed) of \(summaries.count) claims hold"),
                                      .text(" in this run (catalog seed \(provenance.catalogSeed), family-wise false-fail rate \(ClaimSummary.number(provenance.falseFailRate)) over the statistical and rate claims). Every number below was computed in this run; the provenance section says how to rerun it.")]))
        doc.blocks.append(.table(Table(headers: ["claim", "what it says", "kind", "cases", "verdict", "detects (power 0.95)"],
                                       rows: summaries.map { s in
                                           Table.Row([.init(s.result.id), .init(s.result.title), .init(s.result.kind), .init("\(s.result.cases)"),
                                                            .init(s.result.verdict == .pass ? "pass" : "FAIL", tone: s.result.verdict == .pass ? .pass : .fail),
                                                            .init(s.result.detectableSummary ?? "—")])
                                       })))

        doc.blocks.append(.heading(level: 2, text: "Claims", anchor: "claims"))
        for s in summaries {
            let r = s.result
            doc.blocks.append(.heading(level: 3, text: "\(r.id): \(r.title)", anchor: "claim-\(r.id.lowercased())"))
            doc.blocks.append(.paragraph([.emphasis(r.claim)]))
            var rows: [(String, String)] = [
                ("verdict", r.verdict == .pass ? "pass" : "FAIL (\(r.failedCases) of \(r.cases) cases)"),
                ("kind", r.kind + (r.alpha.map { ", judged at α = \(ClaimSummary.number($0)) (Holm)" } ?? ", a tolerance per case")),
                ("statistic", r.statistic),
                ("predicted", r.predicted),
                ("measured", r.measured),
                ("detects", r.detectable ?? "—"),
                ("cases run", "\(r.cases) in \(String(format: "%.1f", r.seconds)) s"),
                ("settings sampled", s.settings.prefix(3).joined(separator: " · ") + (s.settings.count > 3 ? " · … (\(s.settings.count) in all)" : "")),
                ("seed", "catalog seed \(provenance.catalogSeed), profile \(provenance.profile)"),
            ]
            if !r.failureTokens.isEmpty { rows.append(("replay", r.failureTokens.map { "ggd check --replay '\($0)'" }.joined(separator: "\n"))) }
            for note in s.notes { rows.append(("note", note)) }
            doc.blocks.append(.keyValues(rows.map { (key: $0.0, value: $0.1) }))
            for id in Self.claimFigures[r.id] ?? [] { if let f = byID[id] { doc.blocks.append(.figure(f)) } }
        }

        doc.blocks.append(.heading(level: 2, text: "Reproduction beside the paper", anchor: "reproduction"))
        doc.blocks.append(.paragraph([.text("The paper's simulation study (SPEC §9) rerun on its linear-latent setting (D = 64, d = 16) and its sphere, with the linear score class fitted to 65536 pre-training points, \(run.configuration.studySeeds.count > 1 ? "seeds " + run.configuration.studySeeds.map(String.init).joined(separator: ", ") + " (figures: the mean with a 95% band over the seeds)" : "seed \(provenance.studySeed)"), at \(ClaimSummary.number(provenance.roundScale))× the paper's round counts. The paper used a trained network; "),
                                      .code("ggd reproduce simulation"), .text(" reruns the study with the trained ε-network (results in "), .code("Reports/simulation/"),
                                      .text("). Where this run and the paper differ, the table says so.")]))
        doc.blocks.append(.table(PaperFact.table(facts)))
        for f in studyFigures { doc.blocks.append(.figure(f)) }

        doc.blocks += NetworkQualitySection.blocks(run.networks, profile: provenance.profile)
        doc.blocks += NetworkStudySection.blocks(run.networks, figures: networkStudyFigures, seeds: run.configuration.studySeeds,
                                                 roundScale: run.configuration.roundScale)
        doc.blocks += MethodsSection.blocks(run.methods, figure: methodsFigure)
        doc.blocks += TrustSection.blocks(mutation: run.mutation, sensitivity: run.sensitivity, calibration: run.calibration)
        doc.blocks += NetworkQualitySection.trustBlocks(run.networks)

        doc.blocks.append(.heading(level: 2, text: "Provenance", anchor: "provenance"))
        doc.blocks.append(.keyValues(([
            ("command", provenance.command), ("tool version", provenance.toolVersion), ("git commit", provenance.gitCommit),
            ("profile", provenance.profile), ("catalog seed", "\(provenance.catalogSeed)"), ("reproduction seed", "\(provenance.studySeed)"),
            ("round scale", ClaimSummary.number(provenance.roundScale)), ("CPU", provenance.cpu), ("BLAS", provenance.blasLibrary),
            ("OpenBLAS core", provenance.blasCore), ("BLAS threads", "\(provenance.blasThreads)"),
            ("false-fail rate", ClaimSummary.number(provenance.falseFailRate)), ("started", provenance.startedAt),
            ("wall time", String(format: "%.1f s", provenance.wallSeconds)),
        ] as [(String, String)]).map { (key: $0.0, value: $0.1) }))
        doc.blocks.append(.paragraph([.text("Rerun: "), .code(provenance.command), .text(". Compare with a baseline: "),
                                      .code("ggd compare BASE/results.json NEW/results.json"), .text(".")]))
        document = doc
    }
}
