import Foundation
import Randomness
import Testing
import TestSupport

/// Statistical checks of the draws. Each bound is a quantile with a stated false-fail rate p for a
/// correct generator (two-sided normal quantiles: 5σ → 5.7e-7, 6σ → 2.0e-9; χ² and Kolmogorov–Smirnov
/// critical values at p = 1e-6). The seeds are fixed, so the suite is deterministic; p says how unlucky
/// a fixed seed would have to be for a correct implementation to fail, and any seed change keeps the
/// whole file's false-fail rate below 1e-5.
@Suite struct DistributionTests {
    private static let n = 100_000
    private static let normals = RandomStream(StreamKey(seed: 2024, purpose: .data, index: 1)).normals(row: 0, count: n)

    @Test("moments of 100k standard normals")
    func normalMoments() {
        let z = Self.normals, n = Double(Self.n)
        let mean = z.reduce(0, +) / n
        let m2 = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let m3 = z.reduce(0) { $0 + pow($1 - mean, 3) } / n
        let m4 = z.reduce(0) { $0 + pow($1 - mean, 4) } / n
        // sd of the sample mean 1/√n; of the variance √(2/n); of the skewness √(6/n); of the kurtosis √(24/n).
        // 6σ each: p ≈ 2e-9 each.
        #expect(abs(mean) < 6 / n.squareRoot())
        #expect(abs(m2 - 1) < 6 * (2 / n).squareRoot())
        #expect(abs(m3 / pow(m2, 1.5)) < 6 * (6 / n).squareRoot())
        #expect(abs(m4 / (m2 * m2) - 3) < 6 * (24 / n).squareRoot())
    }

    @Test("consecutive normals of a row are uncorrelated (lag 1)")
    func pairCorrelation() {
        let z = Self.normals
        var s = 0.0
        for i in stride(from: 0, to: z.count, by: 2) { s += z[i] * z[i + 1] }
        let pairs = Double(z.count / 2)
        // E[zᵢzᵢ₊₁] = 0, Var = 1: 6σ bound on the mean of 50k disjoint products, p ≈ 2e-9.
        #expect(abs(s / pairs) < 6 / pairs.squareRoot())
    }

    @Test("Kolmogorov–Smirnov distance of the normals to Φ")
    func normalKS() {
        let sorted = Self.normals.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = Stats.normalCDF(x)
            d = max(d, abs(f - Double(i) / n), abs(Double(i + 1) / n - f))
        }
        // Asymptotic KS critical value √(−ln(p/2)/(2n)) at p = 1e-6: 0.00852 for n = 1e5.
        #expect(d < (-log(1e-6 / 2) / (2 * n)).squareRoot())
    }

    @Test("uniforms lie strictly inside (0, 1) and are uniform")
    func uniforms() {
        let u = RandomStream(StreamKey(seed: 2024, purpose: .data, index: 2)).uniforms(row: 0, count: Self.n)
        #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
        let n = Double(u.count)
        let mean = u.reduce(0, +) / n
        #expect(abs(mean - 0.5) < 6 * (1.0 / (12 * n)).squareRoot())       // 6σ, p ≈ 2e-9
        let sorted = u.sorted()
        var d = 0.0
        for (i, x) in sorted.enumerated() { d = max(d, abs(x - Double(i) / n), abs(Double(i + 1) / n - x)) }
        #expect(d < (-log(1e-6 / 2) / (2 * n)).squareRoot())                // KS, p = 1e-6
        var g = SequentialGenerator(StreamKey(seed: 2024, purpose: .data, index: 3))
        #expect((0..<10_000).allSatisfy { _ in let x = g.uniform(); return x > 0 && x < 1 })
    }

    @Test("SequentialGenerator.normal has mean 0 and variance 1")
    func sequentialNormals() {
        var g = SequentialGenerator(StreamKey(seed: 7, purpose: .setting))
        let m = 20_000
        let z = (0..<m).map { _ in g.normal() }
        let mean = z.reduce(0, +) / Double(m)
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(m)
        #expect(abs(mean) < 6 / Double(m).squareRoot())                      // 6σ, p ≈ 2e-9
        #expect(abs(variance - 1) < 6 * (2 / Double(m)).squareRoot())        // 6σ, p ≈ 2e-9
    }

    @Test("integer(below:) is in range and uniform (χ²)", arguments: [7, 10, 64])
    func boundedIntegers(bound: Int) {
        var g = SequentialGenerator(StreamKey(seed: 11, purpose: .shuffle, index: UInt64(bound)))
        let m = 70_000
        var counts = [Int](repeating: 0, count: bound)
        for _ in 0..<m {
            let k = g.integer(below: bound)
            guard (0..<bound).contains(k) else { Issue.record("integer(below: \(bound)) returned \(k)"); return }
            counts[k] += 1
        }
        let expected = Double(m) / Double(bound)
        let chi2 = counts.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        // χ² critical values at p = 1e-6: df 6 → 38.26, df 9 → 44.81, df 63 → 131.37 (scipy.stats.chi2.isf).
        let critical: [Int: Double] = [7: 38.26, 10: 44.81, 64: 131.37]
        #expect(chi2 < critical[bound]!)
    }

    @Test("integer(below:) with a huge non-power-of-two bound, and integer(in:)")
    func largeBoundsAndRanges() {
        var g = SequentialGenerator(StreamKey(seed: 12, purpose: .shuffle))
        let bound = Int.max / 3 * 2 + 1
        let m = 20_000
        var below = 0
        for _ in 0..<m {
            let k = g.integer(below: bound)
            #expect(k >= 0 && k < bound)
            if k < bound / 2 { below += 1 }
        }
        // Binomial(m, ½): 6σ = 3√m, p ≈ 2e-9. (Modulo bias at this bound would give 2/3 below, 47σ away.)
        #expect(abs(Double(below) - Double(m) / 2) < 3 * Double(m).squareRoot())
        var seen = Set<Int>()
        for _ in 0..<1000 {
            let k = g.integer(in: -3...3)
            #expect((-3...3).contains(k))
            seen.insert(k)
        }
        #expect(seen.count == 7)   // P(some value missing in 1000 draws) ≤ 7·(6/7)¹⁰⁰⁰ ≈ 1e-66
        #expect(g.integer(in: 5...5) == 5)
    }

    @Test("permutation is a permutation", arguments: [0, 1, 2, 10, 1000])
    func permutationIsPermutation(n: Int) {
        var g = SequentialGenerator(StreamKey(seed: 13, purpose: .shuffle, index: UInt64(n)))
        let p = g.permutation(n)
        #expect(p.sorted() == Array(0..<n))
    }

    @Test("the 6 permutations of 3 items are equally likely (χ²)")
    func permutationUniform() {
        var g = SequentialGenerator(StreamKey(seed: 14, purpose: .shuffle))
        let m = 30_000
        var counts = [[Int]: Int]()
        for _ in 0..<m { counts[g.permutation(3), default: 0] += 1 }
        #expect(counts.count == 6)
        let expected = Double(m) / 6
        let chi2 = counts.values.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        #expect(chi2 < 35.89)   // χ²₅ critical value at p = 1e-6
        // Different keys give different shuffles of 1000 items (coincidence probability 1/1000!).
        var h = SequentialGenerator(StreamKey(seed: 15, purpose: .shuffle))
        var k = SequentialGenerator(StreamKey(seed: 16, purpose: .shuffle))
        #expect(h.permutation(1000) != k.permutation(1000))
    }
}
