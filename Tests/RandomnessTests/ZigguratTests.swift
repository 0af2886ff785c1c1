import Foundation
import Randomness
import Testing
import TestSupport

/// The ziggurat normal sampler: its tables against the defining equal-area conditions, and its draws
/// against the normal law, with extra weight on the parts a ziggurat can get wrong (wedges and tail).
///
/// False-fail rates: χ² critical value at p = 1e-6; counts and means at 6σ (p ≈ 2e-9 each).
///
/// Power: 2·10⁶ draws (≈ 2.7 s in a debug build). Wedge and tail errors move little mass (the ziggurat
/// rejects only 0.66 % of proposals), so smaller samples cannot see them: accepting every wedge point (a
/// staircase density, up to +50 % in the outermost layers) gives the 82-cell χ² a noncentrality of 223
/// at this n (≈ 45 at 4·10⁵, undetectable), and a wrong tail proposal rate halves the mean excess over r,
/// 12 standard errors at this n.
@Suite struct ZigguratTests {
    static let n = 2_000_000
    static let draws = RandomStream(StreamKey(seed: 77, purpose: .data, index: 5)).normals(row: 0, count: n)

    @Test("tables: x[1] = r, x[256] = 0, decreasing; base and top layers have area v")
    func tables() {
        let x = Ziggurat.x, fx = Ziggurat.fx
        let (r, v) = (Ziggurat.tailStart, Ziggurat.layerArea)
        #expect(x.count == Ziggurat.layers + 1 && fx.count == x.count)
        #expect(x[1] == r && x[Ziggurat.layers] == 0)
        for i in 1..<Ziggurat.layers { #expect(x[i + 1] < x[i]) }
        // Base layer: rectangle r·f(r) plus the tail ∫_r^∞ e^{−t²/2} dt = √(π/2)·erfc(r/√2) has area v.
        // v is given to 12 digits: measured relative difference 3.1e-12; bound 1e-10.
        let base = r * exp(-r * r / 2) + (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
        #expect(abs(base - v) / v < 1e-10)
        // x[0] is the base layer's virtual width v/f(r).
        #expect(abs(x[0] * exp(-r * r / 2) - v) / v < 1e-14)
        // Top layer closes at the peak: x[255]·(1 − f(x[255])) = v. The 254-step recursion amplifies the
        // 12-digit rounding of v: measured relative difference 1.0e-9; bound 1e-7.
        let top = x[Ziggurat.layers - 1]
        #expect(abs(top * (1 - exp(-top * top / 2)) - v) / v < 1e-7)
        for i in 0...Ziggurat.layers { #expect(abs(fx[i] - exp(-x[i] * x[i] / 2)) <= 1e-16) }
    }

    @Test("binned χ² over (−4, 4) in steps of 0.1 plus both tails (82 cells)")
    func binnedChiSquare() {
        var counts = [Int](repeating: 0, count: 82)
        for z in Self.draws {
            let cell = z < -4 ? 0 : (z >= 4 ? 81 : 1 + min(79, Int(((z + 4) * 10).rounded(.down))))
            counts[cell] += 1
        }
        var chi2 = 0.0
        for cell in 0..<82 {
            let lo = cell == 0 ? -Double.infinity : -4 + Double(cell - 1) / 10
            let hi = cell == 81 ? Double.infinity : -4 + Double(cell) / 10
            let expected = Double(Self.n) * (Stats.normalCDF(hi) - Stats.normalCDF(lo))
            chi2 += (Double(counts[cell]) - expected) * (Double(counts[cell]) - expected) / expected
        }
        #expect(chi2 < 156.45)   // χ²₈₁ critical value at p = 1e-6 (smallest expected cell count ≈ 32); measured 80.3
    }

    @Test("tail beyond r: frequency erfc(r/√2) and mean excess φ(r)/Q(r) − r")
    func tail() {
        let r = Ziggurat.tailStart
        let tail = Self.draws.filter { abs($0) > r }
        let p = erfc(r / 2.0.squareRoot())                          // 2.58e-4
        let expected = p * Double(Self.n)                             // ≈ 516 (measured count 551, 1.5σ; mean excess 0.2444 against 0.2429)
        #expect(abs(Double(tail.count) - expected) < 6 * (expected * (1 - p)).squareRoot())
        let q = 0.5 * p, phi = exp(-r * r / 2) / (2 * Double.pi).squareRoot()
        let excess = tail.reduce(0) { $0 + abs($1) - r } / Double(tail.count)
        // sd of one excess 0.231 (numerical integral), of the mean 0.231/√count.
        #expect(abs(excess - (phi / q - r)) < 6 * 0.231 / Double(tail.count).squareRoot())
        #expect(tail.contains { $0 > 0 } && tail.contains { $0 < 0 })
    }

    @Test("signs are balanced and independent of magnitude")
    func signs() {
        let negative = Self.draws.filter { $0 < 0 }.count
        let n = Double(Self.n)
        #expect(abs(Double(negative) - n / 2) < 6 * (n / 4).squareRoot())        // 6σ, p ≈ 2e-9
        // Sign vs the layer: E[z·1{|z| < 0.5}] = 0 by symmetry; sd √(E[z²; |z|<0.5]/n) < √(0.04/n).
        let inner = Self.draws.reduce(0) { $0 + (abs($1) < 0.5 ? $1 : 0) } / n
        #expect(abs(inner) < 6 * (0.04 / n).squareRoot())
    }
}
