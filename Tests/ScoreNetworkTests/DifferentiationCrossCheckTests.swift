import _Differentiation
import Foundation
import LinearAlgebra
import Testing
@testable import ScoreNetwork

// An independent re-implementation of the ε-network, one sample at a time on plain arrays, written for
// Swift's automatic differentiation. It shares nothing with the module but the parameter order
// (PyTorch's: each layer's outputs × inputs weight, then its bias; input, blocks, output) and the
// formula of the time embedding, which it computes itself.

@differentiable(reverse)
private func siluReference(_ p: Double) -> Double { p / (1 + exp(-p)) }

/// y = W z + b with W (outputs × inputs) at `offset` and b right after it.
@differentiable(reverse, wrt: (parameters, z))
private func affineReference(_ parameters: [Double], _ z: [Double], offset: Int, inputs: Int, outputs: Int) -> [Double] {
    var y: [Double] = []
    for o in 0..<outputs {
        var s = parameters[offset + inputs * outputs + o]
        for j in 0..<inputs { s = s + parameters[offset + o * inputs + j] * z[j] }
        y.append(s)
    }
    return y
}

@differentiable(reverse, wrt: (parameters, x))
private func epsilonReference(_ parameters: [Double], _ x: [Double], embedding: [Double], width: Int, blocks: Int) -> [Double] {
    let d = withoutDerivative(at: x.count)
    let z = x + embedding
    let pre0 = affineReference(parameters, z, offset: 0, inputs: d + 128, outputs: width)
    var h: [Double] = []
    for j in 0..<width { h.append(siluReference(pre0[j])) }
    var offset = (d + 128 + 1) * width
    for _ in 0..<blocks {
        let pre = affineReference(parameters, h, offset: offset, inputs: width, outputs: width)
        var next: [Double] = []
        for j in 0..<width { next.append(h[j] + siluReference(pre[j])) }
        h = next
        offset += (width + 1) * width
    }
    return affineReference(parameters, h, offset: offset, inputs: width, outputs: d)
}

@differentiable(reverse, wrt: y)
private func weightedSum(_ y: [Double], _ c: [Double]) -> Double {
    var s = 0.0
    for i in 0..<withoutDerivative(at: y.count) { s = s + y[i] * c[i] }
    return s
}

private func embeddingReference(_ t: Int) -> [Double] {
    let f = (0..<64).map { exp(-log(10000.0) * Double($0) / 64) }
    return f.map { sin(Double(t) * $0) } + f.map { cos(Double(t) * $0) }
}

/// The hand-written backward pass against `_Differentiation` (reverse mode on the reference above):
/// both are exact reverse-mode derivatives in Double, differing only in summation order, so they agree
/// to round-off (tolerance 1e-10, max-norm relative).
@Suite struct DifferentiationCrossCheckTests {
    @Test(arguments: [1, 2])
    func handWrittenBackwardMatchesAutomaticDifferentiation(blocks: Int) throws {
        let (rows, D, W) = (3, 3, 8)
        let net: EpsilonNetwork<Double> = try smallNetwork(dimension: D, width: W, blocks: blocks, seed: UInt64(50 + blocks))
        let x = normalMatrix(rows: rows, columns: D, seed: 12)
        let c = normalMatrix(rows: rows, columns: D, seed: 13)
        let steps = [0, 42, 199]
        let eps = net(x, steps: steps)
        let handGradient = net.parameterGradient(x, steps: steps, cotangent: c)
        let handVJP = net.inputVJP(x, steps: steps, cotangent: c)

        var adGradient = [Double](repeating: 0, count: net.parameterCount)
        for r in 0..<rows {
            let e = embeddingReference(steps[r])
            let (xr, cr) = (x.row(r), c.row(r))
            // Forward values.
            let value = epsilonReference(net.parameters, xr, embedding: e, width: W, blocks: blocks)
            #expect(relativeError(value, eps.row(r)) < 1e-12)
            // Parameter gradient of Σⱼ cⱼ ε̂ⱼ with gradient(at:of:).
            let gp = gradient(at: net.parameters) { p in
                weightedSum(epsilonReference(p, xr, embedding: e, width: W, blocks: blocks), cr)
            }.base
            #expect(gp.count == net.parameterCount)
            for i in 0..<gp.count { adGradient[i] += gp[i] }
            // Input VJP with the pullback of the vector-valued function.
            let pb = pullback(at: xr) { xv in epsilonReference(net.parameters, xv, embedding: e, width: W, blocks: blocks) }
            let adVJP = pb(Array<Double>.DifferentiableView(cr)).base
            let err = relativeError(handVJP.row(r), adVJP)
            #expect(err < 1e-10, "row \(r): input VJP vs _Differentiation: relative error \(err)")
        }
        let err = relativeError(handGradient, adGradient)
        #expect(err < 1e-10, "parameter gradient vs _Differentiation: relative error \(err)")
    }
}
