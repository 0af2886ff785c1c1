import Foundation

/// Renders a report as GitHub-flavoured Markdown. Figures are image links (by default
/// `figures/<id>.svg`, the paths `ReportWriter` writes), verdict tones are spelled out with an emoji
/// and the cell's text, and all user text is escaped so it shows as written.
public enum MarkdownRenderer {
    /// The Markdown for `document`; `figurePath` gives the relative path that each figure's image link uses.
    public static func render(_ document: ReportDocument,
                              figurePath: (Figure) -> String = { "figures/\($0.id).svg" }) -> String {
        var parts: [String] = ["# " + MarkdownEscaping.text(document.title)]
        if !document.subtitle.isEmpty { parts.append("*\(MarkdownEscaping.text(document.subtitle))*") }
        var figureNumber = 0
        for block in document.blocks {
            switch block {
            case .heading(let level, let text, _):
                parts.append(String(repeating: "#", count: min(max(level, 1), 6)) + " " + MarkdownEscaping.text(text))
            case .paragraph(let inlines):
                parts.append(MarkdownEscaping.protectLineStart(inline(inlines)))
            case .table(let table):
                parts.append(self.table(table))
            case .figure(let figure):
                figureNumber += 1
                parts.append(self.figure(figure, number: figureNumber, path: figurePath(figure)))
            case .bulletList(let items):
                parts.append(items.map { "- " + MarkdownEscaping.protectLineStart(inline($0)) }.joined(separator: "\n"))
            case .codeBlock(let code):
                parts.append(MarkdownEscaping.codeBlock(code))
            case .keyValues(let pairs):
                parts.append(pairs.map { "- **\(MarkdownEscaping.text($0.key)):** \(MarkdownEscaping.text($0.value))" }
                    .joined(separator: "\n"))
            }
        }
        return parts.filter { !$0.isEmpty }.joined(separator: "\n\n") + "\n"
    }

    private static func figure(_ figure: Figure, number: Int, path: String) -> String {
        var text = "![\(MarkdownEscaping.text(figure.title))](\(MarkdownEscaping.url(path)))"
        var caption = "Figure \(number). " + (figure.caption.isEmpty ? figure.title : figure.caption)
        if let note = FigureNotes.skippedPoints(figure) { caption += " " + note }
        text += "\n\n*\(MarkdownEscaping.text(caption))*"
        return text
    }

    private static func table(_ table: Table) -> String {
        let columns = table.columnCount
        guard columns > 0 else { return "" }
        var lines: [String] = []
        if !table.caption.isEmpty { lines.append("*\(MarkdownEscaping.text(table.caption))*\n") }
        let headers = (0..<columns).map { $0 < table.headers.count ? MarkdownEscaping.text(table.headers[$0], inTable: true) : "" }
        lines.append(row(headers))
        lines.append(row((0..<columns).map { column in
            switch table.alignment(ofColumn: column) {
            case .left: return "---"
            case .center: return ":---:"
            case .right: return "---:"
            }
        }))
        for tableRow in table.rows {
            lines.append(row((0..<columns).map { column in
                let cell = column < tableRow.cells.count ? tableRow.cells[column] : Table.Cell("")
                // A cell's own tone is marked in that cell; a row's tone is marked once, in its first cell.
                let mark = cell.tone?.markdownMark ?? (column == 0 ? tableRow.tone?.markdownMark : nil)
                let content = inline(cell.content, inTable: true)
                return mark.map { content.isEmpty ? $0 : "\($0) \(content)" } ?? content
            }))
        }
        return lines.joined(separator: "\n")
    }

    private static func row(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |"
    }

    private static func inline(_ inlines: [Inline], inTable: Bool = false) -> String {
        inlines.map { item -> String in
            switch item {
            case .text(let s): return MarkdownEscaping.text(s, inTable: inTable)
            case .code(let s): return MarkdownEscaping.code(s, inTable: inTable)
            case .strong(let s): return wrap(s, in: "**", inTable: inTable)
            case .emphasis(let s): return wrap(s, in: "*", inTable: inTable)
            case .link(let label, let url):
                let text = MarkdownEscaping.text(label, inTable: inTable)
                guard Inline.isSafeURL(url) else { return text }
                return "[\(text)](\(MarkdownEscaping.url(url)))"
            }
        }.joined()
    }

    /// Emphasis markers hug the text: surrounding spaces stay outside, where GFM needs them.
    private static func wrap(_ text: String, in marker: String, inTable: Bool) -> String {
        let core = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !core.isEmpty else { return MarkdownEscaping.text(text, inTable: inTable) }
        let leading = text.prefix(while: \.isWhitespace).isEmpty ? "" : " "
        let trailing = text.reversed().prefix(while: \.isWhitespace).isEmpty ? "" : " "
        return leading + marker + MarkdownEscaping.text(core, inTable: inTable) + marker + trailing
    }
}
