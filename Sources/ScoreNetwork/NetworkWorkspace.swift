import Compute
import LinearAlgebra

/// The preallocated memory one batch of an `EpsilonNetwork` runs in: the network input [x; e(t)], every
/// activation and SiLU derivative the backward pass needs, and the backward scratch buffers.
///
/// Allocated once for at most `maximumBatch` rows; forward and backward passes then allocate nothing.
/// A workspace remembers the last forward pass run in it, and the backward methods read those
/// activations, so a backward pass must follow the forward pass of the same network and batch.
/// Not thread-safe: one workspace per thread (`NetworkScore` keeps a pool).
public final class NetworkWorkspace<Scalar: BLASScalar> {
    public let architecture: NetworkArchitecture
    public let maximumBatch: Int
    /// Where this workspace's passes run (OpenBLAS unless asked otherwise).
    public let backend: ComputeBackend

    /// Rows of the last forward pass run here (0: none yet).
    public var rows: Int { _rows }
    @usableFromInline var _rows: Int = 0

    /// maximumBatch × (D + 128): row r is [x_r; e(t_r)].
    @usableFromInline let input: UnsafeMutablePointer<Scalar>
    /// (blocks + 1) buffers of maximumBatch × W: activation k is h after hidden layer k.
    @usableFromInline let activations: UnsafeMutablePointer<Scalar>
    /// (blocks + 1) buffers of maximumBatch × W: SiLU′ at the pre-activation of hidden layer k.
    @usableFromInline let derivatives: UnsafeMutablePointer<Scalar>
    /// maximumBatch × W scratch: pre-activations (forward), ∂L/∂pre-activation (backward).
    @usableFromInline let scratch: UnsafeMutablePointer<Scalar>
    /// maximumBatch × W: ∂L/∂h (backward).
    @usableFromInline let hiddenGradient: UnsafeMutablePointer<Scalar>
    /// Three maximumBatch × D buffers for callers that convert precision or stage ε̂, cotangents and VJPs.
    @usableFromInline let outputStage: UnsafeMutablePointer<Scalar>
    @usableFromInline let cotangentStage: UnsafeMutablePointer<Scalar>
    @usableFromInline let inputGradientStage: UnsafeMutablePointer<Scalar>
    /// The biases with a shared step's embedding folded in (see `PassBuffers.foldedBias`).
    @usableFromInline let foldedBias: UnsafeMutablePointer<Scalar>
    /// The step whose embedding row r of `input` currently holds (Int.min: none).
    @usableFromInline let embeddedStep: UnsafeMutablePointer<Int>
    /// The 64 frequencies f_k of the time embedding.
    @usableFromInline let frequencies: UnsafeMutablePointer<Double>

    private let raw: UnsafeMutableRawPointer

    @usableFromInline var layerStride: Int { maximumBatch * architecture.width }

    /// The pass buffers as `NetworkPasses` addresses them.
    @usableFromInline var buffers: PassBuffers<Scalar> {
        PassBuffers(input: BackendPointer(input), activations: BackendPointer(activations), derivatives: BackendPointer(derivatives),
                    layerStride: layerStride, scratch: BackendPointer(scratch), hiddenGradient: BackendPointer(hiddenGradient),
                    foldedBias: BackendPointer(foldedBias))
    }

    public init(architecture: NetworkArchitecture, maximumBatch: Int, backend: ComputeBackend = .openBLAS) {
        precondition(maximumBatch >= 1, "a workspace needs room for at least one row, got \(maximumBatch)")
        self.architecture = architecture
        self.maximumBatch = maximumBatch
        self.backend = backend
        let (B, W, D) = (maximumBatch, architecture.width, architecture.dimension)
        let hidden = architecture.blocks + 1
        // Every buffer starts on a 64-byte boundary.
        func padded(_ n: Int) -> Int { (n + 15) / 16 * 16 }
        let sizes = [padded(B * architecture.inputWidth), padded(hidden * B * W), padded(hidden * B * W),
                     padded(B * W), padded(B * W), padded(B * D), padded(B * D), padded(B * D), padded(architecture.foldedBiasCount)]
        let total = sizes.reduce(0, +)
        raw = UnsafeMutableRawPointer.allocate(byteCount: total * MemoryLayout<Scalar>.stride, alignment: 64)
        let base = raw.bindMemory(to: Scalar.self, capacity: total)
        base.initialize(repeating: 0, count: total)
        var offsets: [Int] = []
        var o = 0
        for s in sizes { offsets.append(o); o += s }
        input = base + offsets[0]
        activations = base + offsets[1]
        derivatives = base + offsets[2]
        scratch = base + offsets[3]
        hiddenGradient = base + offsets[4]
        outputStage = base + offsets[5]
        cotangentStage = base + offsets[6]
        inputGradientStage = base + offsets[7]
        foldedBias = base + offsets[8]
        embeddedStep = .allocate(capacity: B)
        embeddedStep.initialize(repeating: Int.min, count: B)
        frequencies = .allocate(capacity: TimeEmbedding.frequencyCount)
        for k in 0..<TimeEmbedding.frequencyCount { frequencies[k] = TimeEmbedding.frequency(k) }
    }

    deinit {
        raw.deallocate()
        embeddedStep.deallocate()
        frequencies.deallocate()
    }

    /// Hidden layer k's activation (k = 0 … blocks).
    @inlinable func activation(_ k: Int) -> UnsafeMutablePointer<Scalar> { activations + k * layerStride }
    /// Hidden layer k's SiLU derivative (k = 0 … blocks).
    @inlinable func derivative(_ k: Int) -> UnsafeMutablePointer<Scalar> { derivatives + k * layerStride }

    /// Copies (and converts) `rows` points of D coordinates into the x part of the network input.
    @inlinable
    func loadInput<Source: BLASScalar>(_ x: UnsafePointer<Source>, rows: Int) {
        let (D, stride) = (architecture.dimension, architecture.inputWidth)
        for r in 0..<rows {
            let src = x + r * D, dst = input + r * stride
            for j in 0..<D { dst[j] = Scalar(src[j]) }
        }
    }

    /// Writes e(t_r) into the embedding part of row r for r < rows, skipping rows that already hold it.
    @inlinable
    func loadSteps(_ steps: StepSource, rows: Int) {
        let (D, stride) = (architecture.dimension, architecture.inputWidth)
        let E = TimeEmbedding.width
        for r in 0..<rows {
            let t = steps[r]
            precondition(t >= 0, "diffusion step must be non-negative, got \(t) in row \(r)")
            if embeddedStep[r] == t { continue }
            let dst = input + r * stride + D
            if r > 0 && embeddedStep[r - 1] == t {
                dst.update(from: dst - stride, count: E)
            } else {
                TimeEmbedding.write(step: t, frequencies: frequencies, into: dst)
            }
            embeddedStep[r] = t
        }
    }
}

/// The diffusion step of each row: one for all rows, or one per row.
@usableFromInline
struct StepSource {
    @usableFromInline let uniform: Int
    @usableFromInline let perRow: UnsafePointer<Int>?

    @inlinable init(uniform: Int) { self.uniform = uniform; perRow = nil }
    @inlinable init(perRow: UnsafePointer<Int>) { uniform = 0; self.perRow = perRow }

    @inlinable subscript(r: Int) -> Int { perRow.map { $0[r] } ?? uniform }
}
