import Foundation
import Testing
@testable import Reporting

@Suite struct SVGChartTests {
    /// Text of the `<text>` elements (tick labels, axis labels, legend, title), one entry per text node.
    private func texts(_ svg: String) -> [String] {
        parseXML(svg).texts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    @Test func chartIsAStandaloneSVGDocument() throws {
        let svg = SVGChart.render(try Fixtures.logFigure())
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 440\""))
        let parsed = parseXML(svg)
        #expect(parsed.ok, "\(parsed.error ?? "")")
        #expect(parsed.elements.first == "svg")
        #expect(parsed.elements.dropFirst().first == "title")
    }

    @Test func chartShowsTitleAxisLabelsAndLegend() throws {
        let figure = try Fixtures.cdfFigure()
        let svg = SVGChart.render(figure)
        let parsed = parseXML(svg)
        #expect(parsed.ok, "\(parsed.error ?? "")")
        let text = texts(svg)
        for expected in [figure.title, figure.xLabel, figure.yLabel, "empirical <n=3>", "theory", "median"] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        #expect(svg.contains("CDF &lt;of&gt; θ &amp; &quot;friends&quot;"))
    }

    @Test func logAxesAreLabelledAtDecades() throws {
        let figure = try Fixtures.logFigure()
        let text = texts(SVGChart.render(figure))
        for label in ["10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹", "10²", "10³"] {
            #expect(text.contains(label), "missing tick \(label)")
        }
    }

    @Test func linearAxesHaveNiceLabels() throws {
        let figure = try Figure(id: "lin", title: "t", xLabel: "x", yLabel: "y",
                                series: [Series(name: "s", points: [Point(x: 0, y: 0.0013), Point(x: 1, y: 0.0047)])])
        let text = texts(SVGChart.render(figure))
        #expect(text.contains("0.0020") && text.contains("0.0040"))
        #expect(text.contains("0.0") && text.contains("1.0"))
        #expect(!text.contains { $0.contains("00000000") })
    }

    @Test func unplottablePointsNeverReachTheMarkup() throws {
        let figure = try Figure(id: "skip", title: "t", xLabel: "x", yLabel: "y", yScale: .log10,
                                series: [Series(name: "s", points: [Point(x: 1, y: 1), Point(x: .nan, y: 2), Point(x: 2, y: -3),
                                                                    Point(x: 3, y: .infinity), Point(x: 4, y: 10), Point(x: 5, y: 100)])])
        #expect(figure.skippedPointCount == 3)
        let svg = SVGChart.render(figure)
        #expect(parseXML(svg).ok)
        for bad in ["nan", "inf", "NaN"] { #expect(!svg.contains(bad)) }
        // The gap breaks the line: one run of one point (drawn as a marker) and one run of two.
        #expect(svg.components(separatedBy: "<circle").count - 1 == 1)
    }

    @Test func singlePointAndConstantSeriesStillDraw() throws {
        let single = try Figure(id: "one", title: "One", xLabel: "x", yLabel: "y",
                                series: [Series(name: "s", points: [Point(x: 3, y: 7)])])
        let svg = SVGChart.render(single)
        #expect(parseXML(svg).ok)
        #expect(svg.contains("<circle"))
        #expect(!svg.contains("no data"))
        #expect(texts(svg).contains("7.0"))

        let flat = try Figure(id: "flat", title: "Flat", xLabel: "x", yLabel: "y", yScale: .log10,
                              series: [Series(name: "s", points: (0..<5).map { Point(x: Double($0), y: 0.5) })])
        let flatSVG = SVGChart.render(flat)
        #expect(parseXML(flatSVG).ok)
        #expect(flatSVG.contains("<path d=\"M"))
    }

    @Test func emptyFigureSaysNoData() throws {
        for series in [[], [Series(name: "gone", points: [Point(x: .nan, y: .nan)])]] {
            let figure = try Figure(id: "empty", title: "Empty", xLabel: "x", yLabel: "y", series: series)
            let svg = SVGChart.render(figure)
            let parsed = parseXML(svg)
            #expect(parsed.ok)
            #expect(texts(svg).contains("no data"))
        }
    }

    @Test func legendAvoidsTheData() throws {
        // A line that rises into the top-right corner: the legend must go to the top-left.
        let figure = try Figure(id: "rise", title: "Rise", xLabel: "x", yLabel: "y",
                                series: [Series(name: "a rising series", points: (0...50).map { Point(x: Double($0), y: pow(Double($0), 3)) })])
        let parsed = parseXML(SVGChart.svgElement(figure))
        guard let legend = parsed.attributes.firstIndex(where: { $0["class"] == "legend" }),
              let box = parsed.attributes[(legend + 1)...].first(where: { $0["rx"] != nil }),
              let x = box["x"].flatMap(Double.init) else {
            Issue.record("no legend box")
            return
        }
        #expect(x < 360)
    }

    @Test func referenceLabelsMoveOffTheData() throws {
        // The data passes through the right end of the line at y = 1, so the label goes to the left end.
        let figure = try Figure(id: "ref", title: "Ref", xLabel: "x", yLabel: "y",
                                series: [Series(name: "", points: (0...40).map { Point(x: Double($0), y: Double($0) / 20) })],
                                referenceLines: [.horizontal(y: 1.9, label: "limit")])
        let parsed = parseXML(SVGChart.svgElement(figure))
        guard let index = parsed.texts.firstIndex(of: "limit") else {
            Issue.record("label missing")
            return
        }
        let labelAttributes = parsed.attributes.filter { $0["paint-order"] == "stroke" }
        #expect(index >= 0 && labelAttributes.count == 1)
        #expect(labelAttributes.first?["text-anchor"] == "start")
    }

    @Test func renderingIsDeterministic() throws {
        let figure = try Fixtures.logFigure()
        #expect(SVGChart.render(figure) == SVGChart.render(figure))
        #expect(SVGChart.render(figure, width: 500, height: 300).contains("viewBox=\"0 0 500 300\""))
        #expect(SVGChart.svgElement(figure).hasPrefix("<svg "))
    }

    @Test func invalidXMLCharactersInLabelsAreReplaced() throws {
        let figure = try Figure(id: "ctl", title: "bell\u{07} and <tag>", xLabel: "x\u{0}", yLabel: "y", series: [])
        #expect(parseXML(SVGChart.render(figure)).ok)
    }
}
