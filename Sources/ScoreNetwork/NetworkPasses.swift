import Compute
import LinearAlgebra

/// Where one batch's pass keeps its state on a backend: the network input rows [x; e(t)], every
/// activation and SiLU derivative the backward pass reads, and the backward scratch. The host's
/// `NetworkWorkspace` and a device-resident network each lay out one of these.
public struct PassBuffers<Scalar> {
    /// maximumBatch × (D + 128): row r is [x_r; e(t_r)].
    public var input: BackendPointer<Scalar>
    /// (blocks + 1) buffers of `layerStride`: activation k is h after hidden layer k.
    public var activations: BackendPointer<Scalar>
    /// (blocks + 1) buffers of `layerStride`: SiLU′ at hidden layer k's pre-activation.
    public var derivatives: BackendPointer<Scalar>
    /// maximumBatch × W.
    public var layerStride: Int
    /// maximumBatch × W: pre-activations (forward), ∂L/∂pre-activation (backward).
    public var scratch: BackendPointer<Scalar>
    /// maximumBatch × W: ∂L/∂h (backward).
    public var hiddenGradient: BackendPointer<Scalar>
    /// W (or (blocks + 1) × W with time in every block): layer k's bias with a shared step's embedding
    /// folded in, at k × W.
    public var foldedBias: BackendPointer<Scalar>

    public init(input: BackendPointer<Scalar>, activations: BackendPointer<Scalar>, derivatives: BackendPointer<Scalar>, layerStride: Int,
                scratch: BackendPointer<Scalar>, hiddenGradient: BackendPointer<Scalar>, foldedBias: BackendPointer<Scalar>) {
        self.input = input
        self.activations = activations
        self.derivatives = derivatives
        self.layerStride = layerStride
        self.scratch = scratch
        self.hiddenGradient = hiddenGradient
        self.foldedBias = foldedBias
    }

    @inlinable func activation(_ k: Int) -> BackendPointer<Scalar> { activations + k * layerStride }
    @inlinable func derivative(_ k: Int) -> BackendPointer<Scalar> { derivatives + k * layerStride }

    /// The element counts of the buffers above for `maximumBatch` rows, in that order.
    public static func sizes(architecture a: NetworkArchitecture, maximumBatch B: Int) -> [Int] {
        let hidden = a.blocks + 1
        return [B * a.inputWidth, hidden * B * a.width, hidden * B * a.width, B * a.width, B * a.width, a.foldedBiasCount]
    }
}

extension NetworkArchitecture {
    /// Room for the biases with a shared step's embedding folded in: the first layer's, and each block's
    /// when the blocks read e(t) too.
    public var foldedBiasCount: Int { width * (timeInBlocks ? blocks + 1 : 1) }
}

/// The ε-network's forward and backward passes as a sequence of `KernelBackend` calls: written once,
/// run by the host (`EpsilonNetwork`'s passes) and by a device-resident network on a GPU alike.
public enum NetworkPasses {
    /// ε̂ for the `rows` input rows already in `buffers.input`, into `output` (rows × D).
    ///
    /// With `sharedEmbedding` (e(t) of a step shared by every row, 128 numbers), the embedding's share of
    /// the first layer is the same for all rows: it is folded into the bias once (b₀ + W₀[:, D:]·e(t),
    /// a gemv) and the batch gemm runs over the D x-columns only, so the input rows need not hold e(t).
    /// Blocks that read e(t) fold it the same way (bₖ + Uₖ e(t)); per-row steps add Uₖ e(tᵣ) by a gemm.
    @inlinable
    public static func forward<K: KernelBackend>(_ k: K, architecture a: NetworkArchitecture, parameters p: BackendPointer<K.Scalar>,
                                                 buffers ws: PassBuffers<K.Scalar>, rows B: Int, output: BackendPointer<K.Scalar>,
                                                 sharedEmbedding: BackendPointer<K.Scalar>?) throws {
        let (D, W, L, Din) = (a.dimension, a.width, a.blocks, a.inputWidth)
        let h0 = ws.activation(0)
        if let e = sharedEmbedding {
            try k.copy(p + a.hiddenBiasOffset(0), to: ws.foldedBias, count: W)
            try k.gemv(m: W, n: Din - D, alpha: 1, a: p + a.hiddenWeightOffset(0) + D, lda: Din, x: e, beta: 1, y: ws.foldedBias)
            try k.gemm(transA: false, transB: true, m: B, n: W, k: D, alpha: 1, a: ws.input, lda: Din, b: p + a.hiddenWeightOffset(0), ldb: Din,
                       beta: 0, c: h0, ldc: W)
            try k.siluFirst(h0, bias: ws.foldedBias, derivative: ws.derivative(0), rows: B, width: W)
        } else {
            try k.gemm(transA: false, transB: true, m: B, n: W, k: Din, alpha: 1, a: ws.input, lda: Din, b: p + a.hiddenWeightOffset(0), ldb: Din,
                       beta: 0, c: h0, ldc: W)
            try k.siluFirst(h0, bias: p + a.hiddenBiasOffset(0), derivative: ws.derivative(0), rows: B, width: W)
        }
        if L > 0 {
            for layer in 1...L {
                try k.gemm(transA: false, transB: true, m: B, n: W, k: W, alpha: 1, a: ws.activation(layer - 1), lda: W,
                           b: p + a.hiddenWeightOffset(layer), ldb: W, beta: 0, c: ws.scratch, ldc: W)
                var bias = p + a.hiddenBiasOffset(layer)
                if a.timeInBlocks {
                    let E = NetworkArchitecture.embeddingWidth
                    if let e = sharedEmbedding {
                        let folded = ws.foldedBias + layer * W
                        try k.copy(bias, to: folded, count: W)
                        try k.gemv(m: W, n: E, alpha: 1, a: p + a.blockTimeWeightOffset(layer), lda: E, x: e, beta: 1, y: folded)
                        bias = folded
                    } else {
                        try k.gemm(transA: false, transB: true, m: B, n: W, k: E, alpha: 1, a: ws.input + D, lda: Din,
                                   b: p + a.blockTimeWeightOffset(layer), ldb: E, beta: 1, c: ws.scratch, ldc: W)
                    }
                }
                try k.siluResidual(pre: ws.scratch, bias: bias, previous: ws.activation(layer - 1),
                                   next: ws.activation(layer), derivative: ws.derivative(layer), rows: B, width: W)
            }
        }
        try k.gemm(transA: false, transB: true, m: B, n: D, k: W, alpha: 1, a: ws.activation(L), lda: W, b: p + a.outputWeightOffset, ldb: W,
                   beta: 0, c: output, ldc: D)
        try k.addBias(output, bias: p + a.outputBiasOffset, rows: B, width: D)
    }

    /// Backward through the last forward pass in `buffers`, from `cotangent` = ∂L/∂ε̂ (rows × D): writes
    /// (or with `accumulate` adds) the parameter gradient when `parameterGradient` is given, and writes
    /// (∂ε̂/∂x)ᵀ·cotangent row by row (w.r.t. x only) to `inputGradient` when that is given.
    @inlinable
    public static func backward<K: KernelBackend>(_ k: K, architecture a: NetworkArchitecture, parameters p: BackendPointer<K.Scalar>,
                                                  buffers ws: PassBuffers<K.Scalar>, rows B: Int, cotangent g: BackendPointer<K.Scalar>,
                                                  parameterGradient pg: BackendPointer<K.Scalar>?, accumulate: Bool,
                                                  inputGradient ig: BackendPointer<K.Scalar>?) throws {
        let (D, W, L, Din) = (a.dimension, a.width, a.blocks, a.inputWidth)
        let beta: K.Scalar = accumulate ? 1 : 0
        let dH = ws.hiddenGradient, dP = ws.scratch
        // Output layer: ∂W_out = gᵀ h_L, ∂b_out = Σ_rows g, ∂h_L = g W_out.
        if let pg {
            try k.gemm(transA: true, transB: false, m: D, n: W, k: B, alpha: 1, a: g, lda: D, b: ws.activation(L), ldb: W, beta: beta,
                       c: pg + a.outputWeightOffset, ldc: W)
            try k.columnSums(g, rows: B, width: D, into: pg + a.outputBiasOffset, accumulate: accumulate)
        }
        try k.gemm(transA: false, transB: false, m: B, n: W, k: D, alpha: 1, a: g, lda: D, b: p + a.outputWeightOffset, ldb: W, beta: 0,
                   c: dH, ldc: W)
        // Residual blocks, last to first: h_k = h_{k−1} + SiLU(W_k h_{k−1} + b_k [+ U_k e]).
        var layer = L
        while layer >= 1 {
            try k.multiply(dH, ws.derivative(layer), into: dP, count: B * W)
            if let pg {
                try k.gemm(transA: true, transB: false, m: W, n: W, k: B, alpha: 1, a: dP, lda: W, b: ws.activation(layer - 1), ldb: W,
                           beta: beta, c: pg + a.hiddenWeightOffset(layer), ldc: W)
                try k.columnSums(dP, rows: B, width: W, into: pg + a.hiddenBiasOffset(layer), accumulate: accumulate)
                if a.timeInBlocks {
                    // ∂Uₖ = dPᵀ E, E the rows' embeddings (the input rows hold them whenever a gradient is asked).
                    let E = NetworkArchitecture.embeddingWidth
                    try k.gemm(transA: true, transB: false, m: W, n: E, k: B, alpha: 1, a: dP, lda: W, b: ws.input + D, ldb: Din,
                               beta: beta, c: pg + a.blockTimeWeightOffset(layer), ldc: E)
                }
            }
            try k.gemm(transA: false, transB: false, m: B, n: W, k: W, alpha: 1, a: dP, lda: W, b: p + a.hiddenWeightOffset(layer), ldb: W,
                       beta: 1, c: dH, ldc: W)
            layer -= 1
        }
        // Input layer: h_0 = SiLU(W_0 [x; e] + b_0).
        try k.multiply(dH, ws.derivative(0), into: dP, count: B * W)
        if let pg {
            try k.gemm(transA: true, transB: false, m: W, n: Din, k: B, alpha: 1, a: dP, lda: W, b: ws.input, ldb: Din, beta: beta,
                       c: pg + a.hiddenWeightOffset(0), ldc: Din)
            try k.columnSums(dP, rows: B, width: W, into: pg + a.hiddenBiasOffset(0), accumulate: accumulate)
        }
        if let ig {
            // Only the x columns of W_0: (∂ε̂/∂x)ᵀv = W_0[:, :D]ᵀ dP, row-wise dP · W_0[:, :D].
            try k.gemm(transA: false, transB: false, m: B, n: D, k: W, alpha: 1, a: dP, lda: W, b: p + a.hiddenWeightOffset(0), ldb: Din,
                       beta: 0, c: ig, ldc: D)
        }
    }
}
