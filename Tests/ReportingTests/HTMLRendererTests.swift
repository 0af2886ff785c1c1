import Testing
@testable import Reporting

@Suite struct HTMLRendererTests {
    @Test func pageWithEveryBlockKindIsWellFormedXML() throws {
        let html = HTMLRenderer.render(try Fixtures.document())
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.contains("<meta charset=\"utf-8\"/>"))
        let parsed = parseXML(html)
        #expect(parsed.ok, "\(parsed.error ?? "")")
        for element in ["h1", "h2", "h3", "p", "table", "thead", "tbody", "figure", "figcaption", "svg", "ul", "li", "pre", "code", "dl", "dt", "dd", "nav", "style"] {
            #expect(parsed.count(of: element) > 0, "no <\(element)>")
        }
    }

    @Test func onlyTheSVGNamespaceAndUserLinksAreAbsoluteURLs() throws {
        let html = HTMLRenderer.render(try Fixtures.document())
        let urls = Set(absoluteURLs(in: html))
        #expect(urls == ["http://www.w3.org/2000/svg", "https://example.org/paper?a=1&amp;b=2"])
        #expect(!html.contains("<script"))
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("<link"))
    }

    @Test func everyFigureIsInlineSVG() throws {
        let document = try Fixtures.document()
        let html = HTMLRenderer.render(document)
        #expect(html.components(separatedBy: "<svg xmlns=").count - 1 == document.figures.count)
        #expect(!html.contains("<?xml"))
        for figure in document.figures {
            #expect(html.contains(SVGChart.svgElement(figure)))
            #expect(html.contains("<figure id=\"fig-\(figure.id)\">"))
        }
        #expect(html.contains("<strong>Figure 2.</strong>"))
    }

    @Test func userTextIsEscapedEverywhere() throws {
        let html = HTMLRenderer.render(try Fixtures.document())
        let text = parseXML(html).allText
        for original in ["Report <one> & \"two\"", "Theorem 1 \"quoted\"", "Lemma 3 <&>", "Claim <a&b>", "value <x>",
                         "ggd report <args> & more", "x < y", "item <1>", "empirical <n=3>"] {
            #expect(text.contains(original), "\(original) not found as text")
        }
        #expect(html.contains("Report &lt;one&gt; &amp; &quot;two&quot;"))
        #expect(!html.contains("<one>"))
    }

    @Test func verdictsAreColouredAndSpelledOut() throws {
        let html = HTMLRenderer.render(try Fixtures.document())
        #expect(html.contains("<td class=\"tone-pass al-center\"><span class=\"mark\" aria-hidden=\"true\">✓</span>pass</td>"))
        #expect(html.contains("<td class=\"tone-fail al-center\"><span class=\"mark\" aria-hidden=\"true\">✗</span>FAIL</td>"))
        // A row tone colours every cell and is marked once, in the first cell.
        #expect(html.contains("<tr><td class=\"tone-warn\"><span class=\"mark\" aria-hidden=\"true\">!</span>Theorem 3</td>"))
        #expect(html.contains("line one<br/>line two"))
        // The short row is padded to the table's width.
        #expect(html.contains("<tr><td>short row</td><td class=\"al-right\"></td><td class=\"al-center\"></td></tr>"))
    }

    @Test func tableOfContentsLinksLevelTwoHeadings() throws {
        let html = HTMLRenderer.render(try Fixtures.document())
        #expect(html.contains("<li><a href=\"#summary--scope\">Summary &amp; scope</a></li>"))
        #expect(html.contains("<h2 id=\"summary--scope\">"))
        #expect(html.contains("<a href=\"#provenance\">"))
        #expect(!html.contains("<a href=\"#distribution\">"))
    }

    @Test func duplicateHeadingsGetDistinctAnchors() {
        let doc = ReportDocument(title: "t", blocks: [.heading(level: 2, text: "Results"), .heading(level: 2, text: "Results"),
                                                      .heading(level: 2, text: "x", anchor: "results")])
        let html = HTMLRenderer.render(doc)
        #expect(html.contains("id=\"results\"") && html.contains("id=\"results-2\"") && html.contains("id=\"results-3\""))
    }

    @Test func renderingIsDeterministic() throws {
        let document = try Fixtures.document()
        #expect(HTMLRenderer.render(document) == HTMLRenderer.render(document))
    }
}
