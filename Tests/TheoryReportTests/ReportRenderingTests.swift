import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import PropertyEngine
import Properties
import Reporting
@testable import TheoryReport

/// A report rendered from a real (small) run: the catalog at the ci profile and the reproduction at a
/// hundredth of the paper's rounds. The HTML must be well-formed and every figure must have data.
@Suite struct ReportRenderingTests {
    static let report: ReportAssembly = {
        let configuration = ReportConfiguration(profile: .ci, studySeed: 1234, roundScale: 0.01, regressionsDirectory: nil, lawDraws: 300,
                                                mutants: false, calibrationRuns: 0,
                                                networks: .plan(NetworkQualityMeasurement.Plan(width: 16, blocks: 1, epochs: 1, points: 2048)),
                                                networkStudy: true)
        let run = try! ReportRun.measure(configuration)
        let provenance = Provenance(toolVersion: "test", gitCommit: "none", command: "test", profile: "ci", catalogSeed: Profile.ci.seed,
                                    studySeed: 1234, roundScale: 0.01, cpu: "cpu", blasLibrary: "blas", blasCore: "core", blasThreads: 1,
                                    falseFailRate: 1e-3, startedAt: "2026-01-01T00:00:00Z", wallSeconds: run.wallSeconds)
        return try! ReportAssembly(run, provenance: provenance)
    }()

    final class ParseErrors: NSObject, XMLParserDelegate {
        var error: Error?
        var svgCount = 0
        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "svg" { svgCount += 1 }
        }
    }

    @Test func htmlIsWellFormedAndInlinesEveryFigure() throws {
        let html = HTMLRenderer.render(Self.report.document)
        // The doctype is HTML's, not XML's: parse what follows it.
        let body = html.components(separatedBy: "<!DOCTYPE html>").last!
        let parser = XMLParser(data: Data(body.utf8))
        let delegate = ParseErrors()
        parser.delegate = delegate
        #expect(parser.parse(), "HTML is not well-formed: \(String(describing: delegate.error ?? parser.parserError))")
        #expect(delegate.svgCount >= Self.report.figures.count)
        #expect(!html.contains("<script"))
    }

    @Test func everyFigureHasData() {
        #expect(Self.report.figures.count >= 10)
        for f in Self.report.figures {
            #expect(f.plottablePointCount > 0, "figure \(f.id) has no data")
            #expect(!f.xLabel.isEmpty && !f.yLabel.isEmpty, "figure \(f.id) lacks axis labels")
        }
        let summaries = Dictionary(uniqueKeysWithValues: Self.report.results.figures.map { ($0.id, $0.points) })
        for f in Self.report.figures { #expect(summaries[f.id] == f.plottablePointCount) }
    }

    @Test func everyClaimIsReportedWithItsVerdictAndStatistic() throws {
        let claims = Self.report.results.claims
        #expect(claims.count == Catalog.properties().count)
        for c in claims {
            #expect(c.verdict == .pass, "claim \(c.id) failed: \(c.measured)")
            #expect(c.predicted != "—" && c.measured != "—", "claim \(c.id) lacks predicted or measured")
        }
        let md = MarkdownRenderer.render(Self.report.document)
        for c in claims { #expect(md.contains(c.id)) }
        for f in Self.report.figures { #expect(md.contains("figures/\(f.id).svg")) }
        #expect(md.contains("Provenance"))
    }

    /// With `networkStudy` (the full profile's default) the study reruns with the chosen network: its own
    /// facts table naming the network, its figures (ids `network-…`, distinct from the linear class's), and
    /// its numbers as `reproduction.network.*` metrics; the ci profile's default leaves it out.
    @Test func theNetworkStudyHasItsTableFiguresAndMetrics() throws {
        let md = MarkdownRenderer.render(Self.report.document)
        let section = try #require(md.components(separatedBy: "## Reproduction with the learned network").dropFirst().first)
        #expect(section.contains("mlp-16x2-v (EMA 0.999)") && section.contains("| Algorithm 2 reaches the maximum"), "\(section.prefix(600))")
        let ids = Self.report.figures.map(\.id)
        #expect(Set(ids).count == ids.count, "figure ids repeat: \(ids)")
        for id in ["network-roff-rounds", "network-reward-rounds", "network-sphere-frontier", "network-sphere-frontier-signed"] { #expect(ids.contains(id), "\(id)") }
        let names = Set(Self.report.results.metrics.map(\.name))
        #expect(names.contains("reproduction.network.alg1_G_final_r_off") && names.contains("reproduction.network.sphere_lookahead_delta0.52_reward"))
        #expect(ReportConfiguration(profile: .ci).networkStudy == false)
        #expect(ReportConfiguration(profile: try Profile.named("full", seed: 1)).networkStudy == true)
    }

    /// The learned networks: every model-quality property in the section for both networks, their
    /// verdicts as metrics, and the weak network's kill (a one-epoch width-16 MLP fails the family) in the
    /// trust section.
    @Test func theModelQualitySectionJudgesBothNetworksAndShowsTheKill() throws {
        let md = MarkdownRenderer.render(Self.report.document)
        #expect(md.contains("Model quality: the learned network") && md.contains("mlp-16x2-v") && md.contains("mlp-16x2 "))
        for id in ModelQuality.ids { #expect(md.contains("| \(id) |"), "\(id) missing from the model-quality table") }
        let names = Set(Self.report.results.metrics.map(\.name))
        for role in ["chosen", "paper"] {
            for id in ModelQuality.ids { #expect(names.contains("model.\(role).\(id).passed")) }
        }
        #expect(md.contains("Model quality: a weak network is caught") && md.contains("caught by M-"), "\(md.components(separatedBy: "weak network is caught").last?.prefix(400) ?? "")")
    }

    @Test func aReportComparedWithItselfHasNoRegression() throws {
        let results = try ReportResults.decoded(try Self.report.results.encoded())
        #expect(!ResultsComparison(base: Self.report.results, new: results).hasRegression)
    }
}

/// The trust section renders the kill matrix and the calibration table (values made up here: this
/// tests the rendering; the numbers come from `ggd mutants` and `ggd calibrate` runs).
@Suite struct TrustSectionRenderingTests {
    @Test func killMatrixAndCalibrationRenderAsWellFormedHTML() throws {
        let mutation = MutationTesting(profile: "ci", seed: 1, properties: ["T1", "L3-rate"], mutants: [
            .init(fault: "gloss-sign-flipped", summary: "sign <flipped> & more", site: "s", killedBy: ["L3-rate"], equivalence: nil, seconds: 1),
            .init(fault: "mixture-vjp-transposed", summary: "t", site: "s", killedBy: [], equivalence: "symmetric", seconds: 1),
        ])
        let calibration = Calibration(profile: "ci", level: 0.2, runs: 10, firstSeed: 5,
                                      rows: [.init(property: "family", kind: "all", runs: 10, falseFails: 1, nominal: 0.2, lower: 0.0025, upper: 0.445)],
                                      pooledPValues: 40, shareBelow005: 0.05, shareBelow005Upper: 0.15)
        var doc = ReportDocument(title: "t")
        let sensitivity = Sensitivity(profile: "ci", seed: 5, rows: [
            .init(fault: "noise-scale", summary: "sd × (1 + ε)", site: "s", trials: [.init(size: 0.01, killedBy: [], seconds: 1), .init(size: 0.03, killedBy: ["L3-draws"], seconds: 1)]),
            .init(fault: "beta-scale", summary: "β × (1 + ε) <b>", site: "s", trials: [.init(size: 0.3, killedBy: [], seconds: 1)]),
        ])
        doc.blocks = TrustSection.blocks(mutation: mutation, sensitivity: sensitivity, calibration: calibration)
        let html = HTMLRenderer.render(doc)
        let body = html.components(separatedBy: "<!DOCTYPE html>").last!
        let parser = XMLParser(data: Data(body.utf8))
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        #expect(html.contains("gloss-sign-flipped") && html.contains("sign &lt;flipped&gt; &amp; more"))
        #expect(html.contains("equivalent") && html.contains("symmetric"))
        #expect(html.contains("How much to trust this report") && html.contains("[0.003, 0.445]"))
        #expect(mutation.killRate == 1)
        // The sensitivity table: the smallest size detected and its killer, the largest missed, an escaped summary.
        #expect(html.contains("Sensitivity") && html.contains("β × (1 + ε) &lt;b&gt;") && html.contains("none run"))
        #expect(sensitivity.rows[0].smallestDetected == 0.03 && sensitivity.rows[0].largestMissed == 0.01)
        #expect(sensitivity.rows[1].smallestDetected == nil && sensitivity.rows[1].largestMissed == 0.3)
        let metrics = TrustSection.metrics(mutation: mutation, sensitivity: sensitivity, calibration: calibration).map(\.name)
        #expect(metrics.contains("trust.kill_rate") && metrics.contains("trust.calibration.family_false_fails"))
        #expect(metrics.contains("trust.sensitivity.noise-scale.smallest_detected"))
    }
}
