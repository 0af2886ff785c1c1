import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Reporting

/// What an XML parse found: whether it succeeded, the element names, the attributes and all text.
struct ParsedXML {
    let error: String?
    let elements: [String]
    let attributes: [[String: String]]
    /// Character data in document order, one entry per run of text between two tags
    /// (libxml2 reports text in pieces; they are joined here).
    let texts: [String]

    var ok: Bool { error == nil }
    var allText: String { texts.joined() }

    func count(of element: String) -> Int { elements.count { $0 == element } }
}

/// Parses `text` with Foundation's `XMLParser` (libxml2 on Linux), the check that a page or chart is well-formed.
func parseXML(_ text: String) -> ParsedXML {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var attributes: [[String: String]] = []
        var texts: [String] = []
        var pending = ""
        func flush() {
            if !pending.isEmpty { texts.append(pending) }
            pending = ""
        }
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes attributeDict: [String: String] = [:]) {
            flush()
            elements.append(name)
            attributes.append(attributeDict)
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            flush()
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            pending += string
        }
    }
    let collector = Collector()
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = collector
    let ok = parser.parse()
    let error = ok ? nil : (parser.parserError.map { "\($0)" } ?? "unknown XML error")
    return ParsedXML(error: error, elements: collector.elements, attributes: collector.attributes, texts: collector.texts)
}

/// Every `http://` or `https://` URL in `text`, up to the next quote, bracket or space.
func absoluteURLs(in text: String) -> [String] {
    var urls: [String] = []
    var rest = Substring(text)
    while let range = rest.range(of: "http") {
        let tail = rest[range.lowerBound...]
        if tail.hasPrefix("http://") || tail.hasPrefix("https://") {
            let url = tail.prefix { !"\"'<> )\n".contains($0) }
            urls.append(String(url))
        }
        rest = rest[range.upperBound...]
    }
    return urls
}

enum Fixtures {
    static let userLink = "https://example.org/paper?a=1&b=2"

    static func logFigure() throws -> Figure {
        let xs = [1.0, 10, 100, 1000]
        return try Figure(
            id: "error-vs-steps", title: "Error vs steps", caption: "Slope −1/2 as predicted.",
            xLabel: "steps k", yLabel: "error", xScale: .log10, yScale: .log10,
            series: [Series(name: "measured", points: zip(xs, [1e-1, 1e-2, 1e-3, 1e-4]).map { Point(x: $0, y: $1) }, style: .markers),
                     Series(name: "fit", points: [Point(x: 1, y: 0.1), Point(x: 1000, y: 1e-4)], dashed: true)],
            bands: [Band(name: "95% CI", x: xs, lower: [0.05, 0.005, 5e-4, 5e-5], upper: [0.2, 0.02, 2e-3, 2e-4])],
            referenceLines: [.horizontal(y: 1e-3, label: "tolerance")])
    }

    static func cdfFigure() throws -> Figure {
        try Figure(
            id: "cdf", title: "CDF <of> θ & \"friends\"", xLabel: "value <x>", yLabel: "P(X ≤ x) & more",
            series: [Series(name: "empirical <n=3>", points: [Point(x: 0, y: 1.0 / 3), Point(x: 1, y: 2.0 / 3), Point(x: 2, y: 1)], style: .step),
                     Series(name: "theory", points: [Point(x: -1, y: 0), Point(x: 3, y: 1)])],
            referenceLines: [.vertical(x: 1, label: "median")])
    }

    /// A document that uses every block kind, with markup characters in every kind of text.
    static func document() throws -> ReportDocument {
        let table = Table(
            headers: ["Claim <a&b>", "Value | x", "Verdict"],
            rows: [Table.Row(["Theorem 1 \"quoted\"", Table.Cell([.code("a|b")]), .verdict(.pass)]),
                   Table.Row(["Lemma 3 <&>", "line one\nline two", .verdict(.fail)]),
                   Table.Row(["Theorem 3", "0.09", .verdict(.warn)], tone: .warn),
                   Table.Row(["short row"])],
            alignments: [.left, .right, .center], caption: "Claims & verdicts")
        return ReportDocument(
            title: "Report <one> & \"two\"", subtitle: "seed 42 · 'paper' setting",
            blocks: [
                .heading(level: 2, text: "Summary & scope"),
                .paragraph(["Plain ", .strong("bold"), " ", .emphasis("it"), " ", .code("x < y"), " ",
                            .link(text: "paper", url: userLink), " ", .link(text: "bad", url: "javascript:alert(1)")]),
                .table(table),
                .heading(level: 2, text: "Figures"),
                .figure(try logFigure()),
                .heading(level: 3, text: "Distribution"),
                .figure(try cdfFigure()),
                .bulletList([["item <1>"], ["item ", .code("2")]]),
                .codeBlock("ggd report --seed 42 && echo \"<done>\"\n```nested```"),
                .heading(level: 2, text: "Provenance"),
                .keyValues([("seed", "42"), ("command", "ggd report <args> & more")]),
            ])
    }
}
