import Foundation
import LinearAlgebra
import Testing
@testable import Compute

/// The branch-free exponentials behind SiLU against libm, and SiLU at the extremes.
@Suite struct KernelTests {
    @Test func floatExponentialIsWithinTwoTenthsOfAMillionthOfLibm() {
        var worst = 0.0
        for i in 0...200_000 {
            let x = Float(-87 + 175 * Double(i) / 200_000)
            let exact = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(Kernels.exp(x)) - exact) / exact)
        }
        #expect(worst < 3e-7, "worst relative error \(worst)")
    }

    @Test func doubleExponentialIsWithinAFewUlpsOfLibm() {
        var worst = 0.0
        for i in 0...200_000 {
            let x = -700 + 1400 * Double(i) / 200_000 + 1e-3 * sin(Double(i))
            let exact = Foundation.exp(x)
            worst = max(worst, abs(Kernels.exp(x) - exact) / exact)
        }
        #expect(worst < 1e-15, "worst relative error \(worst)")
    }

    @Test func vectorExponentialsEqualTheScalarOnesLaneByLane() {
        for i in 0..<1000 {
            let base = -90 + 0.18 * Double(i)
            let xf = SIMD8<Float>((0..<8).map { Float(base + 0.0225 * Double($0)) })
            let yf = Kernels.exp(xf)
            let xd = SIMD4<Double>((0..<4).map { 8 * base + 0.37 * Double($0) })
            let yd = Kernels.exp(xd)
            for l in 0..<8 { #expect(yf[l] == Kernels.exp(xf[l])) }
            for l in 0..<4 { #expect(yd[l] == Kernels.exp(xd[l])) }
        }
    }

    /// Both SiLU kernels (vector body and scalar tail: width 37 = 4·8 + 5) against libm, including
    /// pre-activations far out where e^{−p} overflows.
    @Test func siluKernelsMatchTheFormulaAndStayFiniteAtTheExtremes() {
        let extremes: [Double] = [-1e4, -800, -100, -20, -1, 0, 1, 20, 100, 800, 1e4]
        let values = (0..<74).map { i in i < extremes.count ? extremes[i] : 6 * sin(Double(i)) }   // 2 rows × 37
        let bias = (0..<37).map { 0.1 * cos(Double($0)) }
        let previous = (0..<74).map { 0.5 * sin(Double(3 * $0)) }
        func reference(_ r: Int, _ j: Int) -> (silu: Double, derivative: Double) {
            let p = values[r * 37 + j] + bias[j]
            let s = 1 / (1 + Foundation.exp(-p))
            return (p * s, s * (1 + p * (1 - s)))
        }
        func check<S: BLASScalar>(_: S.Type, tolerance: Double) {
            var h = values.map { S($0) }, d = [S](repeating: 0, count: 74), next = d
            let b = bias.map { S($0) }, prev = previous.map { S($0) }, pre = h
            Kernels.siluFirst(&h, bias: b, derivative: &d, rows: 2, width: 37)
            var dr = [S](repeating: 0, count: 74)
            Kernels.siluResidual(pre: pre, bias: b, previous: prev, next: &next, derivative: &dr, rows: 2, width: 37)
            for r in 0..<2 {
                for j in 0..<37 {
                    let i = r * 37 + j, (f, g) = reference(r, j)
                    let p = abs(values[i] + bias[j])
                    #expect(h[i].isFinite && d[i].isFinite && next[i].isFinite && dr[i].isFinite)
                    #expect(abs(Double(h[i]) - f) <= tolerance * max(1, abs(f)), "\(S.self) SiLU at \(values[i])")
                    #expect(abs(Double(d[i]) - g) <= tolerance * max(1, p), "\(S.self) SiLU′ at \(values[i])")
                    #expect(abs(Double(next[i]) - (Double(prev[i]) + f)) <= tolerance * max(1, abs(f)))
                    #expect(dr[i] == d[i])
                }
            }
        }
        check(Double.self, tolerance: 1e-15)
        check(Float.self, tolerance: 1e-6)
    }
}

