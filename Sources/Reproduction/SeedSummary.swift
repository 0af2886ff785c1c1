import Foundation

/// A study run with several seeds, summarised: each number's mean and 95% t-interval over the seeds, and
/// each figure's series averaged point by point with that interval as its band. The paper's code runs
/// seeds 1234, 2345, 3456, 4567 and 5678; each experiment of each seed draws noise of its own
/// (`SimulationStudy.experimentSeed`), so the seeds are independent replications.
public enum SeedSummary {
    /// The paper's seeds.
    public static let paperSeeds: [UInt64] = [1234, 2345, 3456, 4567, 5678]

    /// Two-sided 95% quantiles of Student's t with n − 1 degrees of freedom, n = 2 … 10.
    static let t975: [Int: Double] = [2: 12.706204736, 3: 4.302652730, 4: 3.182446305, 5: 2.776445105, 6: 2.570581836,
                                      7: 2.446911851, 8: 2.364624252, 9: 2.306004135, 10: 2.262157163]

    /// Mean and 95% t-interval of `values` (the interval is the point when there is one value; the normal
    /// quantile 1.96 beyond ten).
    public static func interval(_ values: [Double]) -> (mean: Double, lower: Double, upper: Double) {
        let n = values.count
        guard n > 0 else { return (.nan, .nan, .nan) }
        let mean = values.reduce(0, +) / Double(n)
        guard n > 1 else { return (mean, mean, mean) }
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)).squareRoot()
        let half = (t975[n] ?? 1.959963985) * sd / Double(n).squareRoot()
        return (mean, mean - half, mean + half)
    }

    /// The seeds' results as one: numbers as their means (with `_lower`, `_upper` beside each when there
    /// are several seeds), figures averaged with bands. Figures and series are matched by id and name;
    /// a series whose length differs between seeds is averaged over the common prefix.
    public static func combine(_ runs: [SimulationStudy.Results]) -> SimulationStudy.Results {
        guard let first = runs.first else { return SimulationStudy.Results() }
        guard runs.count > 1 else { return first }
        var out = SimulationStudy.Results()
        for key in first.numbers.keys {
            let values = runs.compactMap { $0.numbers[key] }
            guard values.count == runs.count else { continue }
            let i = interval(values)
            out.numbers[key] = i.mean
            out.numbers[key + "_lower"] = i.lower
            out.numbers[key + "_upper"] = i.upper
        }
        for figure in first.figures {
            let copies = runs.compactMap { r in r.figures.first { $0.id == figure.id } }
            guard copies.count == runs.count else { continue }
            let series = figure.series.map { s -> Series in
                let matches = copies.compactMap { f in f.series.first { $0.name == s.name } }
                let n = matches.map(\.y.count).min() ?? 0
                var x = [Double](), y = [Double](), lower = [Double](), upper = [Double]()
                for k in 0..<n {
                    x.append(matches.map { $0.x[k] }.reduce(0, +) / Double(matches.count))
                    let i = interval(matches.map { $0.y[k] })
                    y.append(i.mean)
                    lower.append(i.lower)
                    upper.append(i.upper)
                }
                return Series(name: s.name, x: x, y: y, lower: lower, upper: upper)
            }
            var settings = figure.settings
            settings["seeds"] = "\(runs.count) (mean; band: 95% t-interval over seeds)"
            out.figures.append(FigureData(id: figure.id, title: figure.title, xLabel: figure.xLabel, yLabel: figure.yLabel, series: series,
                                          settings: settings))
        }
        return out
    }
}
