/// A table of a report: a header row and body rows, with optional verdict tones per row or per cell.
public struct Table: Sendable, Codable, Equatable {
    /// Horizontal alignment of a column; numbers read best right-aligned.
    public enum Alignment: String, Sendable, Codable, Equatable {
        case left, center, right
    }

    /// One cell: inline content and an optional tone that overrides the row's.
    public struct Cell: Sendable, Codable, Equatable, ExpressibleByStringLiteral {
        public var content: [Inline]
        public var tone: Tone?

        public init(_ content: [Inline], tone: Tone? = nil) {
            self.content = content
            self.tone = tone
        }

        public init(_ text: String, tone: Tone? = nil) {
            self.init([.text(text)], tone: tone)
        }

        public init(stringLiteral value: String) {
            self.init(value)
        }

        /// A verdict cell: the tone's word ("pass", "FAIL", …), or `text` when given, coloured by `tone`.
        public static func verdict(_ tone: Tone, _ text: String? = nil) -> Cell {
            Cell(text ?? tone.label, tone: tone)
        }
    }

    /// One body row; its tone colours every cell that has none of its own.
    public struct Row: Sendable, Codable, Equatable, ExpressibleByArrayLiteral {
        public var cells: [Cell]
        public var tone: Tone?

        public init(_ cells: [Cell], tone: Tone? = nil) {
            self.cells = cells
            self.tone = tone
        }

        public init(arrayLiteral elements: Cell...) {
            self.init(elements)
        }
    }

    public var headers: [String]
    public var rows: [Row]
    /// Per-column alignment; columns beyond its end are left-aligned.
    public var alignments: [Alignment]
    /// A short description shown with the table; may be empty.
    public var caption: String

    public init(headers: [String], rows: [Row], alignments: [Alignment] = [], caption: String = "") {
        self.headers = headers
        self.rows = rows
        self.alignments = alignments
        self.caption = caption
    }

    /// Number of columns: the widest of the header and the rows (short rows are padded with empty cells).
    public var columnCount: Int {
        max(headers.count, rows.map(\.cells.count).max() ?? 0)
    }

    func alignment(ofColumn column: Int) -> Alignment {
        column < alignments.count ? alignments[column] : .left
    }
}
