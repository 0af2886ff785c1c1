import Foundation
import Testing
@testable import Reporting

@Suite struct ReportWriterTests {
    @Test func writesPageMarkdownAndOneSVGPerFigure() throws {
        let document = try Fixtures.document()
        let files = try ReportWriter.files(for: document)
        #expect(files.map(\.path) == ["index.html", "index.md", "figures/error-vs-steps.svg", "figures/cdf.svg"])
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) })
        #expect(byPath["index.html"] == HTMLRenderer.render(document))
        #expect(byPath["figures/cdf.svg"] == SVGChart.render(try Fixtures.cdfFigure()))
        // Every image the Markdown links is a file of the set.
        let markdown = byPath["index.md"] ?? ""
        for figure in document.figures { #expect(markdown.contains("](\(ReportWriter.figurePath(figure)))")) }
        for file in files where file.path.hasSuffix(".svg") { #expect(parseXML(byPath[file.path] ?? "").ok) }
    }

    @Test func duplicateFigureIDsAreRejected() throws {
        let figure = try Fixtures.cdfFigure()
        let document = ReportDocument(title: "t", blocks: [.figure(figure), .paragraph(["between"]), .figure(figure)])
        #expect(throws: ReportingError.duplicateFigureID("cdf")) { try ReportWriter.files(for: document) }
    }

    @Test func outputIsDeterministic() throws {
        let document = try Fixtures.document()
        #expect(try ReportWriter.files(for: document) == ReportWriter.files(for: document))
    }
}
