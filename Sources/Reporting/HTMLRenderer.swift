import Foundation

/// Renders a report as one self-contained HTML page: embedded stylesheet, inline SVG charts, no
/// scripts and no external resources (the only URLs are the user's own links).
///
/// The page is HTML5 written as well-formed XML (every element closed, attributes quoted, only the
/// five XML entities), so tests and tools can check it with an XML parser.
public enum HTMLRenderer {
    /// The HTML page for `document`; charts are drawn at `chartWidth` × `chartHeight` and scale with the page.
    public static func render(_ document: ReportDocument, chartWidth: Int = 720, chartHeight: Int = 440) -> String {
        var page = HTMLPage(chartWidth: chartWidth, chartHeight: chartHeight)
        return page.render(document)
    }
}

/// The state of one HTML rendering: anchors claimed so far and the running figure number.
private struct HTMLPage {
    let chartWidth: Int
    let chartHeight: Int
    private var out = ""

    init(chartWidth: Int, chartHeight: Int) {
        self.chartWidth = chartWidth
        self.chartHeight = chartHeight
    }

    mutating func render(_ document: ReportDocument) -> String {
        // Anchors are claimed before writing so that the table of contents can precede the body.
        var anchors = Anchors()
        let ids: [String?] = document.blocks.map { block in
            switch block {
            case .heading(_, let text, let anchor): return anchors.claim(anchor, text: text)
            case .figure(let figure): return anchors.claim("fig-\(figure.id)", text: figure.title)
            default: return nil
            }
        }

        out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        out += "<title>\(esc(document.title))</title>\n<style>\n\(HTMLStyle.css)\n</style>\n</head>\n<body>\n<main>\n"
        out += "<header>\n<h1>\(esc(document.title))</h1>\n"
        if !document.subtitle.isEmpty { out += "<p class=\"subtitle\">\(esc(document.subtitle))</p>\n" }
        out += "</header>\n"
        writeContents(document, ids: ids)

        var figureNumber = 0
        for (block, id) in zip(document.blocks, ids) {
            switch block {
            case .heading(let level, let text, _):
                let l = min(max(level, 1), 6)
                out += "<h\(l) id=\"\(esc(id ?? ""))\">\(esc(oneLine(text)))</h\(l)>\n"
            case .paragraph(let inlines):
                out += "<p>\(inline(inlines))</p>\n"
            case .table(let table):
                writeTable(table)
            case .figure(let figure):
                figureNumber += 1
                writeFigure(figure, number: figureNumber, id: id ?? "")
            case .bulletList(let items):
                out += "<ul>\n" + items.map { "<li>\(inline($0))</li>\n" }.joined() + "</ul>\n"
            case .codeBlock(let code):
                out += "<pre><code>\(esc(code))</code></pre>\n"
            case .keyValues(let pairs):
                out += "<dl class=\"provenance\">\n"
                for pair in pairs { out += "<dt>\(esc(pair.key))</dt><dd>\(esc(pair.value))</dd>\n" }
                out += "</dl>\n"
            }
        }
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    /// A table of contents of the level-2 headings, when there are at least two.
    private mutating func writeContents(_ document: ReportDocument, ids: [String?]) {
        var entries: [(id: String, text: String)] = []
        for (block, id) in zip(document.blocks, ids) {
            if case .heading(2, let text, _) = block, let id { entries.append((id, text)) }
        }
        guard entries.count >= 2 else { return }
        out += "<nav class=\"toc\" aria-label=\"Contents\">\n<p class=\"toc-title\">Contents</p>\n<ol>\n"
        for entry in entries { out += "<li><a href=\"#\(esc(entry.id))\">\(esc(oneLine(entry.text)))</a></li>\n" }
        out += "</ol>\n</nav>\n"
    }

    private mutating func writeTable(_ table: Table) {
        let columns = table.columnCount
        out += "<div class=\"table-wrap\">\n<table>\n"
        if !table.caption.isEmpty { out += "<caption>\(esc(table.caption))</caption>\n" }
        out += "<thead>\n<tr>"
        for column in 0..<columns {
            let header = column < table.headers.count ? table.headers[column] : ""
            out += "<th\(classAttribute([alignmentClass(table.alignment(ofColumn: column))]))>\(multiline(header))</th>"
        }
        out += "</tr>\n</thead>\n<tbody>\n"
        for row in table.rows {
            out += "<tr>"
            for column in 0..<columns {
                let cell = column < row.cells.count ? row.cells[column] : Table.Cell("")
                // A cell's own tone is marked in that cell; a row's tone is marked once, in its first cell.
                let tone = cell.tone ?? row.tone
                let mark = cell.tone?.htmlMark ?? (column == 0 ? row.tone?.htmlMark : nil)
                let classes = [tone.map { "tone-\($0.rawValue)" }, alignmentClass(table.alignment(ofColumn: column))]
                out += "<td\(classAttribute(classes))>"
                if let mark { out += "<span class=\"mark\" aria-hidden=\"true\">\(esc(mark))</span>" }
                out += "\(inline(cell.content, multiline: true))</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n</div>\n"
    }

    private mutating func writeFigure(_ figure: Figure, number: Int, id: String) {
        out += "<figure id=\"\(esc(id))\">\n"
        out += SVGChart.svgElement(figure, width: chartWidth, height: chartHeight)
        let text = figure.caption.isEmpty ? figure.title : figure.caption
        out += "<figcaption><strong>Figure \(number).</strong> \(esc(oneLine(text)))"
        if let note = FigureNotes.skippedPoints(figure) { out += " <span class=\"note\">\(esc(note))</span>" }
        out += "</figcaption>\n</figure>\n"
    }

    private func inline(_ inlines: [Inline], multiline: Bool = false) -> String {
        let text = { (s: String) in multiline ? self.multiline(s) : esc(s) }
        return inlines.map { item -> String in
            switch item {
            case .text(let s): return text(s)
            case .code(let s): return "<code>\(text(s))</code>"
            case .strong(let s): return "<strong>\(text(s))</strong>"
            case .emphasis(let s): return "<em>\(text(s))</em>"
            case .link(let label, let url):
                guard Inline.isSafeURL(url) else { return text(label) }
                return "<a href=\"\(esc(url))\">\(text(label))</a>"
            }
        }.joined()
    }

    private func alignmentClass(_ alignment: Table.Alignment) -> String? {
        alignment == .left ? nil : "al-\(alignment.rawValue)"
    }

    private func classAttribute(_ classes: [String?]) -> String {
        let present = classes.compactMap { $0 }
        return present.isEmpty ? "" : " class=\"\(present.joined(separator: " "))\""
    }

    /// Escaped text whose line breaks are kept as `<br/>` (table cells).
    private func multiline(_ text: String) -> String {
        esc(text).replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .joined(separator: "<br/>")
    }

    private func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private func esc(_ text: String) -> String { XMLEscaping.escape(text) }
}
