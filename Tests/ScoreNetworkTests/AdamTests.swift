import Foundation
import LinearAlgebra
import NumPyIO
import Testing
@testable import ScoreNetwork
import Compute

@Suite struct AdamTests {
    /// f(p) = ½ Σ aᵢ pᵢ², ∇f = a ⊙ p, from p₀ = (1, −2, 0.5) with a = (1, 3, 0.2), lr 0.1, β = (0.9, 0.99),
    /// ε = 1e-8. Step 1 by hand: m = 0.1g, v = 0.01g², m̂ = g, v̂ = g², so p₁ = p₀ − 0.1·g/(|g| + 1e-8):
    ///   g = (1, −6, 0.1) → p₁ = (0.90000000099999999, −1.9000000001666667, 0.40000000999999900).
    /// The three coordinates repeated to 19 parameters, so that the SIMD body (4 or 8 lanes) and the
    /// scalar tail are both exercised.
    @Test(arguments: [3, 19])
    func oneStepOnAQuadraticMatchesTheHandComputation(count: Int) throws {
        let a = (0..<count).map { [1.0, 3.0, 0.2][$0 % 3] }
        var p = (0..<count).map { [1.0, -2.0, 0.5][$0 % 3] }
        var adam = try Adam<Double>(parameterCount: count, learningRate: 0.1)
        var pf = p.map { Float($0) }
        var adamFloat = try Adam<Float>(parameterCount: count, learningRate: 0.1)
        adam.update(&p, gradient: zip(a, p).map { $0 * $1 })
        adamFloat.update(&pf, gradient: zip(a, pf).map { Float($0) * $1 })
        #expect(adam.step == 1)
        let expected = (0..<count).map { [0.90000000099999999, -1.9000000001666667, 0.40000000999999900][$0 % 3] }
        for i in 0..<count {
            #expect(abs(p[i] - expected[i]) < 1e-15)
            #expect(abs(Double(pf[i]) - expected[i]) < 1e-7)
        }
        #expect(relativeError(adam.firstMoment, (0..<count).map { [0.1, -0.6, 0.01][$0 % 3] }) < 1e-15)
        #expect(relativeError(adam.secondMoment, (0..<count).map { [0.01, 0.36, 0.0001][$0 % 3] }) < 1e-14)

        // Step 2 from the closed form (bias corrections 1 − 0.9² = 0.19 and 1 − 0.99² = 0.0199).
        let g1 = (0..<count).map { [1.0, -6.0, 0.1][$0 % 3] }
        let g2 = zip(a, p).map { $0 * $1 }
        let p1 = p
        adam.update(&p, gradient: g2)
        for i in 0..<count {
            let m = 0.9 * (0.1 * g1[i]) + 0.1 * g2[i]
            let v = 0.99 * (0.01 * g1[i] * g1[i]) + 0.01 * g2[i] * g2[i]
            let hand = p1[i] - (0.1 / 0.19) * m / (v.squareRoot() / 0.0199.squareRoot() + 1e-8)
            #expect(abs(p[i] - hand) < 1e-14, "coordinate \(i): \(p[i]) vs \(hand)")
        }
    }

    @Test func floatAdamTracksDoubleAdam() throws {
        var pd = (0..<50).map { sin(Double($0)) }
        var pf = pd.map { Float($0) }
        var ad = try Adam<Double>(parameterCount: 50, learningRate: 1e-2)
        var af = try Adam<Float>(parameterCount: 50, learningRate: 1e-2)
        for _ in 0..<20 {
            ad.update(&pd, gradient: pd.map { 2 * $0 - 0.3 })
            af.update(&pf, gradient: pf.map { 2 * $0 - 0.3 })
        }
        #expect(relativeError(pf, pd.map { Float($0) }) < 1e-5)
    }

    /// The vectorised C kernel, split over two halves for large buffers, gives bit for bit what the plain
    /// scalar formula gives (no fused multiply-add, the same order of operations), at an odd size so the
    /// split and the vector tails are exercised.
    @Test func largeFloatUpdateEqualsTheScalarFormulaBitForBit() throws {
        let n = (1 << 17) + 13
        var p = (0..<n).map { Float(sin(Double($0) * 0.37)) }
        var adam = try Adam<Float>(parameterCount: n, learningRate: 1e-3)
        var (rp, rm, rv) = (p, [Float](repeating: 0, count: n), [Float](repeating: 0, count: n))
        for step in 1...3 {
            let g = (0..<n).map { Float(cos(Double($0 + step) * 0.11)) * (p[$0] + 0.5) }
            adam.update(&p, gradient: g)
            let t = Double(step)
            let stepSize = Float(1e-3 / (1 - pow(0.9, t))), sc = Float((1 - pow(0.99, t)).squareRoot())
            let (c1, b2, c2, eps) = (Float(1 - 0.9), Float(0.99), Float(1 - 0.99), Float(1e-8))
            for i in 0..<n {
                let gi = g[i]
                let mi = rm[i] + c1 * (gi - rm[i])
                let vi = b2 * rv[i] + c2 * gi * gi
                rm[i] = mi
                rv[i] = vi
                rp[i] -= stepSize * mi / (vi.squareRoot() / sc + eps)
            }
        }
        #expect(p == rp)
        #expect(adam.firstMoment == rm && adam.secondMoment == rv)
    }

    /// The reference backend's plain-Swift loop and the vectorised kernel are the same formula, operation
    /// for operation: equal bit for bit in both precisions.
    @Test func referenceBackendEqualsTheKernelBitForBit() throws {
        func run<S: BLASScalar>(_: S.Type, _ backend: ComputeBackend) throws -> [S] {
            var p = (0..<1000).map { S(sin(Double($0))) }
            var adam = try Adam<S>(parameterCount: 1000, learningRate: 1e-2)
            for k in 1...4 { adam.update(&p, gradient: (0..<1000).map { S(cos(Double($0 * k))) }, backend: backend) }
            return p
        }
        #expect(try run(Double.self, .reference) == run(Double.self, .openBLAS))
        #expect(try run(Float.self, .reference) == run(Float.self, .openBLAS))
    }

    @Test func stateRoundTripsThroughNPZAndCodable() throws {
        var p: [Float] = [0.3, -1, 2, 0]
        var adam = try Adam<Float>(parameterCount: 4, learningRate: 1e-3, beta1: 0.8, beta2: 0.95, epsilon: 1e-6)
        for k in 0..<3 { adam.update(&p, gradient: p.map { $0 * Float(k + 1) - 0.5 }) }
        let bytes = NPZArchive.bytes(adam.stateArrays())
        let arrays = try NPZArchive.read(bytes)
        #expect(arrays["adam.exp_avg"]?.dtype == .float32)
        let restored = try Adam<Float>(stateArrays: arrays)
        #expect(restored == adam)
        let json = try JSONEncoder().encode(adam)
        #expect(try JSONDecoder().decode(Adam<Float>.self, from: json) == adam)
        // The restored optimiser continues identically.
        var (p1, p2) = (p, p)
        var (a1, a2) = (adam, restored)
        a1.update(&p1, gradient: [1, 2, 3, 4])
        a2.update(&p2, gradient: [1, 2, 3, 4])
        #expect(p1 == p2)
        #expect(throws: (any Error).self) { try Adam<Float>(parameterCount: 3, learningRate: 0) }
        // A state whose moments disagree in length (or are negative) is refused, not used.
        #expect(throws: (any Error).self) {
            try Adam<Float>(restoring: 1, firstMoment: [0, 0], secondMoment: [0], learningRate: 1e-3, beta1: 0.9, beta2: 0.99, epsilon: 1e-8)
        }
        var broken = arrays
        broken["adam.exp_avg_sq"] = NumPyArray([Float](repeating: -1, count: 4))
        #expect(throws: (any Error).self) { try Adam<Float>(stateArrays: broken) }
        let badJSON = String(decoding: json, as: UTF8.self).replacingOccurrences(of: "\"secondMoment\":[", with: "\"secondMoment\":[1,")
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Adam<Float>.self, from: Data(badJSON.utf8)) }
    }
}
