import Foundation
import Experiments

/// Writes a study's results as JSON (every number and figure, with settings) and one CSV per figure.
public enum StudyOutput {
    public static func files(_ results: SimulationStudy.Results, provenance: [String: Any]) -> [(String, String)] {
        var figures = [[String: Any]]()
        var out = [(String, String)]()
        for f in results.figures {
            figures.append([
                "id": f.id, "title": f.title, "x_label": f.xLabel, "y_label": f.yLabel, "settings": f.settings,
                "series": f.series.map { ["name": $0.name, "x": ResultEncoding.numbers($0.x), "y": ResultEncoding.numbers($0.y)] as [String: Any] },
            ])
            var csv = "series,x,y\n"
            for s in f.series {
                let name = s.name.contains(",") ? "\"\(s.name)\"" : s.name
                for (x, y) in zip(s.x, s.y) { csv += "\(name),\(x),\(y)\n" }
            }
            out.append(("\(f.id).csv", csv))
        }
        let json: [String: Any] = ["numbers": results.numbers.mapValues { ResultEncoding.number($0) }, "figures": figures, "provenance": provenance]
        out.insert(("results.json", JSONWriter.string(json)), at: 0)
        return out
    }
}
