import Compute
import Diffusion
import Foundation
import LinearAlgebra

/// A learned ε-network as a `ScoreModel` (SPEC §3, "Learned network"):
///
///     ε̂ = net(x, t),   s = −ε̂/√h,   x̂₀ = (x − √h ε̂)/α,   (∂x̂₀/∂x)ᵀv = (v − √h (∂ε̂/∂x)ᵀv)/α,
///
/// or, for another output parameterisation, x̂₀ = (b x − c F)/α with its (b, c) (`OutputParameterization`).
///
/// The interface is Double (as the protocol requires); the network computes in its own precision
/// `Scalar`, and x enters x̂₀ unrounded. The network reads the integer step, so `time.step` must be set
/// (the discrete sampler sets it; the continuous one does not). Batches larger than `maximumBatch` run in
/// chunks. Workspaces come from a pool, so the model is safe to share between threads and allocates
/// nothing per call beyond its results once warm.
public struct NetworkScore<Scalar: BLASScalar>: ScoreModel {
    public let network: EpsilonNetwork<Scalar>
    /// Rows per forward pass (the workspace size).
    public let maximumBatch: Int
    let pool: WorkspacePool<Scalar>

    /// Where the network's passes run.
    public var backend: ComputeBackend { pool.backend }

    public init(network: EpsilonNetwork<Scalar>, maximumBatch: Int = 256, backend: ComputeBackend = .openBLAS) {
        precondition(maximumBatch >= 1, "maximum batch must be at least 1, got \(maximumBatch)")
        self.network = network
        self.maximumBatch = maximumBatch
        pool = WorkspacePool(architecture: network.architecture, maximumBatch: maximumBatch, backend: backend)
    }

    public var dimension: Int { network.dimension }

    /// The network embeds the integer step t.
    public var readsDiscreteSteps: Bool { true }

    /// ε̂(x, t) row by row.
    public func predictedNoise(_ x: Matrix<Double>, at time: DiffusionTime) -> Matrix<Double> {
        evaluate(x, at: time, cotangent: nil, denoised: false).first
    }

    public func denoise(_ x: Matrix<Double>, at time: DiffusionTime) -> Matrix<Double> {
        evaluate(x, at: time, cotangent: nil, denoised: true).first
    }

    public func denoiseVJP(_ x: Matrix<Double>, at time: DiffusionTime, cotangent v: Matrix<Double>) -> Matrix<Double> {
        evaluate(x, at: time, cotangent: v, denoised: true).second
    }

    /// x̂₀ and (∂x̂₀/∂x)ᵀv from one forward and one backward pass (what G_loss needs, SPEC §4).
    public func denoiseWithVJP(_ x: Matrix<Double>, at time: DiffusionTime, cotangent v: Matrix<Double>)
        -> (denoised: Matrix<Double>, vjp: Matrix<Double>)
    {
        let r = evaluate(x, at: time, cotangent: v, denoised: true)
        return (r.first, r.second)
    }

    /// The step the network reads; a missing step is a programming error (no step-free time exists for it).
    @inline(__always)
    func step(of time: DiffusionTime) -> Int {
        guard let step = time.step else {
            preconditionFailure("NetworkScore needs the integer diffusion step (time.step is nil): the ε-network reads e(t)")
        }
        return step
    }

    /// first: x̂₀ (or ε̂ when `denoised` is false); second: the VJP when `cotangent` is given (else empty).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func evaluate(_ x: Matrix<Double>, at time: DiffusionTime, cotangent: Matrix<Double>?, denoised: Bool)
        -> (first: Matrix<Double>, second: Matrix<Double>)
    {
        let t = step(of: time)
        let (n, D) = (x.rows, dimension)
        precondition(x.columns == D, "batch has \(x.columns) columns, the network's dimension is \(D)")
        if let v = cotangent {
            precondition(v.rows == n && v.columns == D, "cotangent is \(v.rows)×\(v.columns), the batch \(n)×\(D)")
        }
        precondition(time.alpha > 0 && time.h > 0, "NetworkScore needs α > 0 and h > 0, got α = \(time.alpha), h = \(time.h)")
        let invAlpha = 1 / time.alpha
        let parameterization = network.architecture.parameterization
        let (base, correction) = parameterization.denoisedCoefficients(alpha: time.alpha, h: time.h)
        let (skip, outScale) = parameterization.noiseCoefficients(alpha: time.alpha, h: time.h)
        var first = Matrix<Double>(rows: n, columns: D)
        var second = Matrix<Double>(rows: cotangent == nil ? 0 : n, columns: D)
        if n == 0 { return (first, second) }
        let v = cotangent?.elements ?? []
        pool.withWorkspace { ws in
            x.elements.withUnsafeBufferPointer { xb in
                v.withUnsafeBufferPointer { vb in
                    first.elements.withUnsafeMutableBufferPointer { fb in
                        second.elements.withUnsafeMutableBufferPointer { sb in
                            let xp = xb.baseAddress!
                            var start = 0
                            while start < n {
                                let rows = min(ws.maximumBatch, n - start)
                                let o = start * D, count = rows * D
                                network.forward(xp + o, rows: rows, steps: StepSource(uniform: t), workspace: ws, output: ws.outputStage)
                                let eps = ws.outputStage
                                if denoised {
                                    for i in 0..<count { fb[o + i] = (base * xp[o + i] - correction * Double(eps[i])) * invAlpha }
                                } else {
                                    for i in 0..<count { fb[o + i] = skip * xp[o + i] + outScale * Double(eps[i]) }
                                }
                                if cotangent != nil {
                                    for i in 0..<count { ws.cotangentStage[i] = Scalar(vb[o + i]) }
                                    network.backwardLoaded(rows: rows, workspace: ws, cotangent: ws.cotangentStage,
                                                           parameterGradient: nil, accumulate: false,
                                                           inputGradient: ws.inputGradientStage)
                                    let g = ws.inputGradientStage
                                    for i in 0..<count { sb[o + i] = (base * vb[o + i] - correction * Double(g[i])) * invAlpha }
                                }
                                start += rows
                            }
                        }
                    }
                }
            }
        }
        return (first, second)
    }
}

/// Workspaces shared by the copies of one `NetworkScore`: a caller takes one (or makes one when all are
/// in use) and gives it back, so concurrent callers never share a workspace.
final class WorkspacePool<Scalar: BLASScalar>: @unchecked Sendable {
    let architecture: NetworkArchitecture
    let maximumBatch: Int
    let backend: ComputeBackend
    private let lock = NSLock()
    private var free: [NetworkWorkspace<Scalar>] = []

    init(architecture: NetworkArchitecture, maximumBatch: Int, backend: ComputeBackend) {
        self.architecture = architecture
        self.maximumBatch = maximumBatch
        self.backend = backend
    }

    func withWorkspace<R>(_ body: (NetworkWorkspace<Scalar>) -> R) -> R {
        lock.lock()
        let taken = free.popLast()
        lock.unlock()
        let ws = taken ?? NetworkWorkspace(architecture: architecture, maximumBatch: maximumBatch, backend: backend)
        defer {
            lock.lock()
            free.append(ws)
            lock.unlock()
        }
        return body(ws)
    }
}
