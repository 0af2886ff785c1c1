import Diffusion
import LinearAlgebra
import Randomness
import Testing
@testable import ScoreNetwork

/// The hand-written backward pass against central finite differences, in Double.
///
/// Tolerance 1e-6 (max-norm relative). A central difference with step δ has truncation error
/// ~δ²·|f‴|/6 ≈ 1e-10 for δ = 1e-5 (SiLU and the network are smooth, derivatives of order one), and
/// round-off ~ε_mach·|f|/δ ≈ 1e-11; so a correct gradient agrees to ~1e-9, three orders inside the
/// tolerance, while any wrong index, transpose or missing term gives errors of order one.
@Suite struct GradientTests {
    static let steps = [1, 17, 100, 200]

    @Test(arguments: [1, 2], TimeConditioning.allCases)
    func parameterGradientMatchesFiniteDifferences(blocks: Int, conditioning: TimeConditioning) throws {
        var net: EpsilonNetwork<Double> = try smallNetwork(blocks: blocks, seed: UInt64(20 + blocks), timeConditioning: conditioning)
        let x = normalMatrix(rows: 4, columns: 3, seed: 2)
        let c = normalMatrix(rows: 4, columns: 3, seed: 3)
        let g = net.parameterGradient(x, steps: Self.steps, cotangent: c)
        let theta = net.parameters
        let fd = centralDifferences(theta) { p in
            net.parameters = p
            return dot(net(x, steps: Self.steps).elements, c.elements)
        }
        let err = relativeError(g, fd)
        #expect(err < 1e-6, "parameter gradient vs finite differences: relative error \(err)")
        #expect(g.contains { $0 != 0 } && g.count == net.parameterCount)
    }

    @Test(arguments: [1, 2], TimeConditioning.allCases)
    func inputVJPMatchesFiniteDifferences(blocks: Int, conditioning: TimeConditioning) throws {
        let net: EpsilonNetwork<Double> = try smallNetwork(blocks: blocks, seed: UInt64(30 + blocks), timeConditioning: conditioning)
        let x = normalMatrix(rows: 4, columns: 3, seed: 4)
        let v = normalMatrix(rows: 4, columns: 3, seed: 5)
        let vjp = net.inputVJP(x, steps: Self.steps, cotangent: v)
        // Row i of the VJP is ∇ₓᵢ (vᵢ · ε̂(xᵢ)); rows do not interact, so one sum over the batch suffices.
        let fd = centralDifferences(x.elements) { e in
            dot(net(Matrix(rows: 4, columns: 3, elements: e), steps: Self.steps).elements, v.elements)
        }
        let err = relativeError(vjp.elements, fd)
        #expect(err < 1e-6, "input VJP vs finite differences: relative error \(err)")
    }

    @Test func combinedBackwardAndAccumulationAgreeWithSeparatePasses() throws {
        let net: EpsilonNetwork<Double> = try smallNetwork(dimension: 5, width: 16, blocks: 3)
        let x = normalMatrix(rows: 6, columns: 5, seed: 6)
        let c = normalMatrix(rows: 6, columns: 5, seed: 7)
        let steps = [3, 3, 50, 120, 120, 7]
        let ws = net.makeWorkspace(maximumBatch: 8)
        var out = Matrix<Double>(rows: 6, columns: 5)
        net.forward(x, steps: steps, workspace: ws, into: &out)
        var g = [Double](repeating: .nan, count: net.parameterCount)
        var vjp = Matrix<Double>(rows: 6, columns: 5, repeating: .nan)
        net.backward(cotangent: c, workspace: ws, parameterGradient: &g, inputVJP: &vjp)
        #expect(g == net.parameterGradient(x, steps: steps, cotangent: c))
        #expect(vjp == net.inputVJP(x, steps: steps, cotangent: c))
        net.parameterGradient(cotangent: c, workspace: ws, into: &g, accumulate: true)
        #expect(relativeError(g, net.parameterGradient(x, steps: steps, cotangent: c).map { 2 * $0 }) < 1e-15)
    }

    @Test func batchedPassesEqualRowByRowPasses() throws {
        let net: EpsilonNetwork<Double> = try smallNetwork(dimension: 4, width: 24, blocks: 3)
        let x = normalMatrix(rows: 5, columns: 4, seed: 8)
        let v = normalMatrix(rows: 5, columns: 4, seed: 9)
        let steps = [200, 1, 64, 64, 9]
        let batched = net(x, steps: steps)
        let batchedVJP = net.inputVJP(x, steps: steps, cotangent: v)
        var gradientSum = [Double](repeating: 0, count: net.parameterCount)
        for r in 0..<5 {
            let xr = Matrix(rows: 1, columns: 4, elements: x.row(r))
            let vr = Matrix(rows: 1, columns: 4, elements: v.row(r))
            #expect(relativeError(net(xr, step: steps[r]).elements, batched.row(r)) < 1e-14)
            #expect(relativeError(net.inputVJP(xr, steps: [steps[r]], cotangent: vr).elements, batchedVJP.row(r)) < 1e-14)
            let g = net.parameterGradient(xr, steps: [steps[r]], cotangent: vr)
            for i in 0..<g.count { gradientSum[i] += g[i] }
        }
        #expect(relativeError(gradientSum, net.parameterGradient(x, steps: steps, cotangent: v)) < 1e-13)
    }

    /// A shared step folds the embedding's share of the first layer into its bias (one gemv instead of
    /// a wider gemm): the same function up to rounding, and the VJP and parameter gradient after it agree.
    @Test(arguments: TimeConditioning.allCases)
    func sharedStepFoldAgreesWithPerRowSteps(conditioning: TimeConditioning) throws {
        let net: EpsilonNetwork<Double> = try smallNetwork(dimension: 6, width: 32, blocks: 3, timeConditioning: conditioning)
        let x = normalMatrix(rows: 9, columns: 6, seed: 31)
        let v = normalMatrix(rows: 9, columns: 6, seed: 32)
        for step in [1, 77, 200] {
            let folded = net(x, step: step)
            let perRow = net(x, steps: [Int](repeating: step, count: 9))
            #expect(relativeError(folded.elements, perRow.elements) < 1e-13, "step \(step)")
            let ws = net.makeWorkspace(maximumBatch: 9)
            var out = Matrix<Double>(rows: 9, columns: 6)
            net.forward(x, step: step, workspace: ws, into: &out)
            var g = [Double](repeating: 0, count: net.parameterCount)
            var vjp = Matrix<Double>(rows: 9, columns: 6)
            net.backward(cotangent: v, workspace: ws, parameterGradient: &g, inputVJP: &vjp)
            let steps = [Int](repeating: step, count: 9)
            #expect(relativeError(vjp.elements, net.inputVJP(x, steps: steps, cotangent: v).elements) < 1e-13)
            #expect(relativeError(g, net.parameterGradient(x, steps: steps, cotangent: v)) < 1e-13)
        }
        let f: EpsilonNetwork<Float> = net.converted()
        let xf = Matrix<Float>(rows: 9, columns: 6, elements: x.elements.map { Float($0) })
        let a = f(xf, step: 50).elements.map(Double.init), b = f(xf, steps: [Int](repeating: 50, count: 9)).elements.map(Double.init)
        #expect(relativeError(a, b) < 1e-5)
    }

    /// The loss is ε-MSE of ε̂ = s·x_t + c·F whatever the parameterisation (`OutputParameterization`).
    @Test(arguments: OutputParameterization.allCases)
    func scoreMatchingGradientMatchesFiniteDifferencesOfItsLoss(parameterization: OutputParameterization) throws {
        var net: EpsilonNetwork<Double> = try smallNetwork(dimension: 3, width: 8, blocks: 2, seed: 40, parameterization: parameterization,
                                                           timeConditioning: parameterization == .velocity ? .everyBlock : .input)
        let dsm = DenoisingScoreMatching(schedule: try NoiseSchedule())
        let x0 = normalMatrix(rows: 7, columns: 3, seed: 10)
        let (steps, noise) = dsm.draws(rows: 7, dimension: 3, timeKey: StreamKey(seed: 1, purpose: .timesteps),
                                       noiseKey: StreamKey(seed: 1, purpose: .fineTuning), as: Double.self)
        // Workspace of 3 rows: the 7 rows run in chunks 3 + 3 + 1, the gradient accumulates over chunks.
        let ws = net.makeWorkspace(maximumBatch: 3)
        var g = [Double](repeating: 0, count: net.parameterCount)
        let loss = dsm.lossAndGradient(net, data: x0, steps: steps, noise: noise, workspace: ws, gradient: &g)
        // Reference loss: PyTorch's MSELoss by hand.
        var xt = x0
        for r in 0..<7 {
            for j in 0..<3 {
                xt[r, j] = dsm.schedule.alpha(steps[r]) * x0[r, j] + dsm.schedule.h(steps[r]).squareRoot() * noise[r, j]
            }
        }
        // The network's ε̂ through its own score model (x̂₀ from F, then ε̂ = (x − α x̂₀)/√h), row by row.
        var eps = net(xt, steps: steps)
        for r in 0..<7 {
            let time = dsm.schedule.time(steps[r])
            let row = NetworkScore(network: net).predictedNoise(Matrix(rows: 1, columns: 3, elements: xt.row(r)), at: time)
            let x0 = NetworkScore(network: net).denoise(Matrix(rows: 1, columns: 3, elements: xt.row(r)), at: time)
            for j in 0..<3 {
                eps[r, j] = row[0, j]
                // The two readings of the model agree: ε̂ = (x − α x̂₀)/√h.
                let fromDenoised = (xt[r, j] - time.alpha * x0[0, j]) / time.h.squareRoot()
                #expect(abs(fromDenoised - row[0, j]) <= 1e-9 * max(1, abs(row[0, j])), "\(parameterization) row \(r)")
            }
        }
        let reference = zip(eps.elements, noise.elements).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 21
        #expect(abs(loss - reference) < 1e-12 * reference, "\(parameterization): \(loss) vs \(reference)")
        #expect(abs(dsm.loss(net, data: x0, steps: steps, noise: noise, workspace: ws) - loss) < 1e-15 * loss)
        let fd = centralDifferences(net.parameters) { p in
            net.parameters = p
            return dsm.loss(net, data: x0, steps: steps, noise: noise, workspace: ws)
        }
        let err = relativeError(g, fd)
        #expect(err < 1e-6, "score-matching gradient vs finite differences: relative error \(err)")
        #expect(Set(steps).count > 3 && steps.allSatisfy { (1...200).contains($0) })
    }
}
