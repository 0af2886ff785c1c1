import Testing
@testable import Reporting

@Suite struct MarkdownRendererTests {
    @Test func tablesEscapePipesAndBreakLines() throws {
        let md = MarkdownRenderer.render(try Fixtures.document())
        #expect(md.contains("| Claim \\<a&amp;b\\> | Value \\| x | Verdict |"))
        #expect(md.contains("| --- | ---: | :---: |"))
        #expect(md.contains("`a\\|b`"))
        #expect(md.contains("line one<br>line two"))
        #expect(md.contains("| short row |  |  |"))
        // Every table line has the same number of unescaped pipes.
        let tableLines = md.split(separator: "\n").filter { $0.hasPrefix("| ") }
        let pipeCounts = Set(tableLines.map { line in
            zip(line, [" "] + line).filter { $0.0 == "|" && $0.1 != "\\" }.count
        })
        #expect(pipeCounts == [4])
    }

    @Test func figuresAreImageLinksWithItalicCaptions() throws {
        let md = MarkdownRenderer.render(try Fixtures.document())
        #expect(md.contains("![Error vs steps](figures/error-vs-steps.svg)\n\n*Figure 1. Slope −1/2 as predicted.*"))
        #expect(md.contains("![CDF \\<of\\> θ &amp; \"friends\"](figures/cdf.svg)"))
        let custom = MarkdownRenderer.render(try Fixtures.document()) { "img/\($0.id) v1.svg" }
        #expect(custom.contains("](img/cdf%20v1.svg)"))
    }

    @Test func tonesAreWrittenAsText() throws {
        let md = MarkdownRenderer.render(try Fixtures.document())
        #expect(md.contains("| ✅ pass |"))
        #expect(md.contains("| ❌ FAIL |"))
        #expect(md.contains("| ⚠️ Theorem 3 | 0.09 | ⚠️ warn |"))
    }

    @Test func inlineMarkupAndUnsafeLinks() throws {
        let md = MarkdownRenderer.render(try Fixtures.document())
        #expect(md.contains("Plain **bold** *it* `x < y` [paper](https://example.org/paper?a=1&b=2) bad"))
        #expect(!md.contains("javascript"))
        #expect(md.contains("````text\nggd report --seed 42 && echo \"<done>\"\n```nested```\n````"))
        #expect(md.contains("- **command:** ggd report \\<args\\> &amp; more"))
        #expect(md.hasPrefix("# Report \\<one\\> &amp; \"two\"\n\n*seed 42 · 'paper' setting*\n\n## Summary &amp; scope"))
    }

    @Test func textThatLooksLikeMarkupStaysText() {
        let doc = ReportDocument(title: "t", blocks: [.paragraph(["- not a list *nor* _emphasis_ [x](y)"]), .paragraph(["1. not numbered"])])
        let md = MarkdownRenderer.render(doc)
        #expect(md.contains("\\- not a list \\*nor\\* \\_emphasis\\_ \\[x\\](y)"))
        #expect(md.contains("1\\. not numbered"))
    }

    @Test func skippedPointsAreReported() throws {
        let figure = try Figure(id: "s", title: "S", xLabel: "x", yLabel: "y", yScale: .log10,
                                series: [Series(name: "a", points: [Point(x: 1, y: 1), Point(x: 2, y: 0)])])
        let md = MarkdownRenderer.render(ReportDocument(title: "t", blocks: [.figure(figure)]))
        #expect(md.contains("1 point not plotted (non-finite, or not positive on a log axis)."))
    }

    @Test func renderingIsDeterministic() throws {
        let document = try Fixtures.document()
        #expect(MarkdownRenderer.render(document) == MarkdownRenderer.render(document))
    }
}
