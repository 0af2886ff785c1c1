import Foundation
import PropertyEngine
import Reporting

/// Figures drawn from the catalog's own evidence (the numbers each case recorded), so a figure shows
/// exactly what the verdict was made from.
enum CatalogFigures {
    static let maximumCases = 5

    static func all(_ catalog: RunResults) throws -> [Figure] {
        try [t3Rate(catalog), t2Contraction(catalog), lemma3Error(catalog)].compactMap { $0 }
    }

    static func property(_ id: String, in catalog: RunResults) -> PropertyResult? {
        catalog.properties.first { $0.id == id }
    }

    /// The cases with evidence, regression replays (negative indices) last.
    static func judged(_ p: PropertyResult) -> [CaseResult] {
        p.cases.filter { $0.evidence != nil }.sorted { ($0.index < 0 ? 1 : 0, abs($0.index)) < ($1.index < 0 ? 1 : 0, abs($1.index)) }
    }

    /// (x, y) pairs from numbers named "<prefix><x>", sorted by x.
    static func sweep(_ numbers: [String: Double], prefix: String) -> [(Double, Double)] {
        numbers.compactMap { key, value -> (Double, Double)? in
            guard key.hasPrefix(prefix), let x = Double(key.dropFirst(prefix.count)) else { return nil }
            return (x, value)
        }.sorted { $0.0 < $1.0 }
    }

    /// Theorem 3: log gap against log K per case, the fitted line of the least favourable case with its
    /// slope's confidence band (pivoting at the mean log K, where the fit's intercept is pinned), and the
    /// claimed rate through that case's first point.
    static func t3Rate(_ catalog: RunResults) throws -> Figure? {
        guard let p = property("T3-rate", in: catalog) else { return nil }
        let cases = judged(p)
        var series = [Series]()
        for c in cases.prefix(maximumCases) {
            let pts = sweep(c.evidence!.numbers, prefix: "gap_K")
            if !pts.isEmpty { series.append(Series(name: "case \(c.index)", points: pts.map { Point(x: $0.0, y: $0.1) }, style: .lineAndMarkers)) }
        }
        var bands = [Band]()
        if let worst = cases.max(by: { ($0.evidence?.slopeUpper ?? -.infinity) < ($1.evidence?.slopeUpper ?? -.infinity) }),
           let e = worst.evidence, let s = e.slope, let lo = e.slopeLower, let hi = e.slopeUpper, let b = e.numbers["intercept"] {
            let pts = sweep(e.numbers, prefix: "gap_K")
            if pts.count >= 2 {
                let logs = pts.map { log($0.0) }
                let mean = logs.reduce(0, +) / Double(logs.count)
                let grid = (0...24).map { i in logs.first! + (logs.last! - logs.first!) * Double(i) / 24 }
                let fitted = grid.map { Point(x: exp($0), y: exp(b + s * $0)) }
                series.append(Series(name: String(format: "fit, case %d: slope %.2f", worst.index, s), points: fitted, style: .line, dashed: false))
                let at = { (slope: Double, x: Double) in exp(b + s * mean + slope * (x - mean)) }
                bands.append(try Band(name: String(format: "%.0f%% CI of the slope [%.2f, %.2f]", 100 * (e.confidence ?? 0.99), lo, hi),
                                  x: grid.map { exp($0) }, lower: grid.map { min(at(lo, $0), at(hi, $0)) }, upper: grid.map { max(at(lo, $0), at(hi, $0)) }))
                if let claimed = e.claimedRate {
                    let (x0, y0) = pts[0]
                    series.append(Series(name: String(format: "claimed rate: slope %.2f", claimed),
                                         points: [pts.first!, pts.last!].map { Point(x: $0.0, y: y0 * pow($0.0 / x0, claimed)) }, style: .line, dashed: true))
                }
            }
        }
        return try Figure(id: "t3-rate", title: "Theorem 3: Algorithm 2's optimality gap against K",
                      caption: "f*_A − f(μ_K) after K rounds of Algorithm 2's theory preset (exact-law means), per case of T3-rate; the fitted line of the least favourable case with its slope's confidence band, and the claimed rate.",
                      xLabel: "rounds K", yLabel: "gap f*_A − f(μ_K)", xScale: .log10, yScale: .log10, series: series, bands: bands)
    }

    /// Theorem 2: each round's contraction ratio divided by the case's L/λ; the claim is that it stays ≤ 1.
    static func t2Contraction(_ catalog: RunResults) throws -> Figure? {
        guard let p = property("T2-contraction", in: catalog) else { return nil }
        var series = [Series]()
        for c in judged(p).prefix(maximumCases) {
            guard let e = c.evidence, let bound = e.numbers["L_over_lambda"], bound > 0 else { continue }
            let pts = sweep(e.numbers, prefix: "ratio_round")
            if !pts.isEmpty {
                series.append(Series(name: String(format: "case %d (L/λ = %.2f)", c.index, bound),
                                     points: pts.map { Point(x: $0.0, y: $0.1 / bound) }, style: .lineAndMarkers))
            }
        }
        return try Figure(id: "t2-contraction", title: "Theorem 2: contraction per round against L/λ",
                      caption: "‖μₖ₊₁ − x*‖/‖μₖ − x*‖ (Σ̄⁻¹ norm) divided by the case's L/λ, for rounds above the discretisation floor; Theorem 2 says at most 1.",
                      xLabel: "round k", yLabel: "ratio / (L/λ)", series: series,
                      referenceLines: [.horizontal(y: 1, label: "bound L/λ")])
    }

    /// Lemma 3: the exact law's mean and covariance error against the continuous-time law, over T.
    static func lemma3Error(_ catalog: RunResults) throws -> Figure? {
        guard let p = property("L3-rate", in: catalog) else { return nil }
        var series = [Series]()
        for c in judged(p).prefix(3) {
            guard let e = c.evidence else { continue }
            let mean = sweep(e.numbers, prefix: "mean_error_T"), cov = sweep(e.numbers, prefix: "cov_error_T")
            if !mean.isEmpty { series.append(Series(name: "mean error, case \(c.index)", points: mean.map { Point(x: $0.0, y: $0.1) }, style: .lineAndMarkers)) }
            if !cov.isEmpty { series.append(Series(name: "covariance error, case \(c.index)", points: cov.map { Point(x: $0.0, y: $0.1) }, style: .lineAndMarkers, dashed: true)) }
        }
        if let first = series.first?.points.first, let last = series.first?.points.last, first.x > 0, first.y > 0 {
            series.append(Series(name: "claimed: slope −1/2", points: [first, Point(x: last.x, y: first.y * pow(last.x / first.x, -0.5))], style: .line, dashed: true))
        }
        return try Figure(id: "l3-error", title: "Lemma 3: the discrete sampler's law approaches Lemma 3's as T grows",
                      caption: "Relative error of the exact law of DDPM with G_loss and Lemma 1's β against Lemma 3's Gaussian, over the number of steps T (L3-rate cases).",
                      xLabel: "diffusion steps T", yLabel: "relative error", xScale: .log10, yScale: .log10, series: series)
    }
}
