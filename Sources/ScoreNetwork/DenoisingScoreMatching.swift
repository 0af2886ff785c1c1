import Diffusion
import LinearAlgebra
import Randomness

/// The denoising-score-matching loss of an ε-network (DDPM's "simple" loss):
///
///     L = mean over rows i and coordinates j of (ε̂(α_{tᵢ} x₀ᵢ + √h_{tᵢ} εᵢ, tᵢ) − εᵢ)²_j,
///
/// tᵢ uniform in 1…T, εᵢ ~ N(0, I): PyTorch's `MSELoss()` (mean reduction over batch and coordinates).
/// A network with another output parameterisation is trained on the same loss through its ε̂ = s·x + c·F.
/// The loss and its parameter gradient come from one forward and one backward pass.
public struct DenoisingScoreMatching: Sendable {
    public let schedule: NoiseSchedule

    public init(schedule: NoiseSchedule) {
        self.schedule = schedule
    }

    /// (skip, output scale) of step t rounded to S: the per-step tables the resident trainer uploads.
    @inlinable
    public func coefficients<S: BLASScalar>(_ t: Int, _ parameterization: OutputParameterization, as _: S.Type = S.self) -> (S, S) {
        let c = parameterization.noiseCoefficients(alpha: schedule.alpha(t), h: schedule.h(t))
        return (S(c.skip), S(c.scale))
    }

    /// The random part of a batch: tᵢ uniform in 1…T from `SequentialGenerator(timeKey, row: i)` and
    /// εᵢ = row i of `RandomStream(noiseKey)`, so row i's draws do not depend on the batch size.
    public func draws<S: BLASScalar>(rows: Int, dimension: Int, timeKey: StreamKey, noiseKey: StreamKey,
                                     as _: S.Type = S.self) -> (steps: [Int], noise: Matrix<S>) {
        let T = schedule.steps
        let steps = (0..<rows).map { i -> Int in
            var g = SequentialGenerator(timeKey, row: i)
            return g.integer(in: 1...T)
        }
        let noise = RandomStream(noiseKey).normalMatrix(rows: rows, columns: dimension)
        return (steps, Matrix<S>(rows: rows, columns: dimension, elements: noise.map { S($0) }))
    }

    /// The loss alone (a forward pass per chunk of `workspace.maximumBatch` rows).
    @inlinable
    public func loss<S: BLASScalar>(_ network: EpsilonNetwork<S>, data x0: Matrix<S>, steps: [Int], noise: Matrix<S>,
                                    workspace: NetworkWorkspace<S>) -> Double {
        var unused: [S] = []
        return run(network, data: x0, steps: steps, noise: noise, workspace: workspace, gradient: &unused, wantGradient: false)
    }

    /// The loss, with its parameter gradient written to `gradient` (parameterCount entries).
    @inlinable
    public func lossAndGradient<S: BLASScalar>(_ network: EpsilonNetwork<S>, data x0: Matrix<S>, steps: [Int], noise: Matrix<S>,
                                               workspace: NetworkWorkspace<S>, gradient: inout [S]) -> Double {
        precondition(gradient.count == network.parameterCount,
                     "gradient has \(gradient.count) entries, the network \(network.parameterCount)")
        return run(network, data: x0, steps: steps, noise: noise, workspace: workspace, gradient: &gradient, wantGradient: true)
    }

    @usableFromInline
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func run<S: BLASScalar>(_ network: EpsilonNetwork<S>, data x0: Matrix<S>, steps: [Int], noise: Matrix<S>,
                            workspace ws: NetworkWorkspace<S>, gradient: inout [S], wantGradient: Bool) -> Double {
        let (n, D) = (x0.rows, network.dimension)
        precondition(x0.columns == D, "data have \(x0.columns) columns, the network's dimension is \(D)")
        precondition(noise.rows == n && noise.columns == D, "noise is \(noise.shape), data \(x0.shape)")
        precondition(steps.count == n, "\(steps.count) steps for \(n) rows")
        precondition(n > 0, "the score-matching loss needs at least one row")
        precondition(ws.architecture == network.architecture, "workspace is for \(ws.architecture), network is \(network.architecture)")
        let T = schedule.steps
        let Din = network.architecture.inputWidth
        let scale = S(2 / Double(n * D))                    // ∂(mean of squares)/∂ε̂ = 2(ε̂ − ε)/(n·D)
        var sumOfSquares = 0.0
        x0.elements.withUnsafeBufferPointer { xb in
            noise.elements.withUnsafeBufferPointer { nb in
                steps.withUnsafeBufferPointer { tb in
                    gradient.withUnsafeMutableBufferPointer { gb in
                        var start = 0
                        while start < n {
                            let rows = min(ws.maximumBatch, n - start)
                            for r in 0..<rows {
                                let t = tb[start + r]
                                precondition(t >= 1 && t <= T, "score-matching step \(t) outside 1…\(T)")
                                let a = S(schedule.alpha(t)), s = S(schedule.h(t).squareRoot())
                                let src = (start + r) * D, dst = ws.input + r * Din
                                for j in 0..<D { dst[j] = a * xb[src + j] + s * nb[src + j] }
                            }
                            ws.loadSteps(StepSource(perRow: tb.baseAddress! + start), rows: rows)
                            network.forwardLoaded(rows: rows, workspace: ws, output: ws.outputStage)
                            let out = ws.outputStage, g = ws.cotangentStage
                            let o = start * D
                            var chunk = 0.0
                            for r in 0..<rows {
                                // ε̂ = s·x_t + c·F (the parameterisation's; s = 0, c = 1 for the paper's ε-output).
                                let (skip, outScale) = coefficients(tb[start + r], network.architecture.parameterization, as: S.self)
                                let xt = ws.input + r * Din, cotangentScale = scale * outScale
                                for j in 0..<D {
                                    let i = r * D + j
                                    let residual = (outScale * out[i] + skip * xt[j]) - nb[o + i]
                                    chunk += Double(residual * residual)
                                    g[i] = cotangentScale * residual
                                }
                            }
                            sumOfSquares += chunk
                            if wantGradient {
                                network.backwardLoaded(rows: rows, workspace: ws, cotangent: g, parameterGradient: gb.baseAddress!,
                                                       accumulate: start > 0, inputGradient: nil)
                            }
                            start += rows
                        }
                    }
                }
            }
        }
        return sumOfSquares / Double(n * D)
    }
}
