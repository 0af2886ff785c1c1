/// One piece of a report's body, in reading order.
public enum Block: Sendable {
    /// A section heading; level 1–6 (level 2 headings make the HTML table of contents). `anchor` is
    /// the fragment that links to it; when nil one is derived from the text.
    case heading(level: Int, text: String, anchor: String? = nil)
    case paragraph([Inline])
    case table(Table)
    /// A chart, numbered in order of appearance ("Figure 1.").
    case figure(Figure)
    /// A bulleted list; each item is a run of inlines.
    case bulletList([[Inline]])
    /// Preformatted text shown verbatim, e.g. the command that reproduces the report.
    case codeBlock(String)
    /// A provenance list: labelled values such as seed, setting, commit, toolchain.
    case keyValues([(key: String, value: String)])
}

/// A report: a title, an optional subtitle and an ordered list of blocks, rendered to HTML by
/// `HTMLRenderer`, to Markdown by `MarkdownRenderer`, and to the file set by `ReportWriter`.
public struct ReportDocument: Sendable {
    public var title: String
    /// A line under the title, e.g. the setting and date; may be empty.
    public var subtitle: String
    public var blocks: [Block]

    public init(title: String, subtitle: String = "", blocks: [Block] = []) {
        self.title = title
        self.subtitle = subtitle
        self.blocks = blocks
    }

    public mutating func append(_ block: Block) {
        blocks.append(block)
    }

    /// The figures in order of appearance.
    public var figures: [Figure] {
        blocks.compactMap { if case .figure(let f) = $0 { return f } else { return nil } }
    }

    /// Throws `ReportingError.duplicateFigureID` when two figures share an id (their files would collide).
    public func validate() throws {
        var seen = Set<String>()
        for figure in figures where !seen.insert(figure.id).inserted {
            throw ReportingError.duplicateFigureID(figure.id)
        }
    }
}
