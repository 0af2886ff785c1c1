import Foundation

/// One file of a rendered report, at a path relative to the report's folder.
public struct ReportFile: Sendable, Equatable {
    /// Relative path with '/' separators: "index.html", "index.md" or "figures/<id>.svg".
    public let path: String
    /// UTF-8 text.
    public let contents: Data

    public init(path: String, contents: Data) {
        self.path = path
        self.contents = contents
    }
}

/// Turns a report into the files of its folder; writing them (atomically) is the caller's job.
public enum ReportWriter {
    /// `index.html` (self-contained), `index.md` and one `figures/<id>.svg` per figure, in that order.
    /// Throws `ReportingError.duplicateFigureID` when two figures share an id.
    public static func files(for document: ReportDocument, chartWidth: Int = 720, chartHeight: Int = 440) throws -> [ReportFile] {
        try document.validate()
        var files = [
            ReportFile(path: "index.html",
                       contents: Data(HTMLRenderer.render(document, chartWidth: chartWidth, chartHeight: chartHeight).utf8)),
            ReportFile(path: "index.md", contents: Data(MarkdownRenderer.render(document, figurePath: figurePath).utf8)),
        ]
        for figure in document.figures {
            files.append(ReportFile(path: figurePath(figure),
                                    contents: Data(SVGChart.render(figure, width: chartWidth, height: chartHeight).utf8)))
        }
        return files
    }

    /// Where a figure's SVG goes, relative to the report folder; the Markdown links to the same path.
    public static func figurePath(_ figure: Figure) -> String {
        "figures/\(figure.id).svg"
    }
}
