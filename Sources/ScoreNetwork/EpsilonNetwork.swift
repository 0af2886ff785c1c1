import Compute
import Diffusion
import LinearAlgebra
import Randomness

/// The ε-network "mlp-WxN" (see `NetworkArchitecture`), generic over the precision it computes in.
///
/// All parameters live in one flat buffer, layer after layer (each `LinearLayout` names its weight and
/// bias offsets), so an optimiser or a checkpoint is a single loop over `parameters`.
///
/// A batch is a matrix with one point per row. The forward pass is one `gemm` per layer and keeps what
/// the backward pass needs in a `NetworkWorkspace`; the backward pass gives the parameter gradient of a
/// loss from ∂L/∂ε̂, and/or the input vector–Jacobian product (∂ε̂/∂x)ᵀv row by row (w.r.t. x only,
/// not the time embedding). The passes are prespecialised for `Float` and `Double` inside this module
/// (the element-wise work in explicit SIMD), so a generic caller pays nothing for the genericity.
public struct EpsilonNetwork<Scalar: BLASScalar>: Sendable, Equatable, Codable {
    public let architecture: NetworkArchitecture
    /// Every parameter, in the order of `architecture.layers`.
    public var parameters: [Scalar]

    /// PyTorch's default `nn.Linear` initialisation: weights and biases uniform in ±1/√fan_in.
    ///
    /// Drawn in Double from `StreamKey(seed: seed, purpose: .initialization, index: index)`, layer ℓ's
    /// weight from stream row 2ℓ and its bias from row 2ℓ + 1, then rounded to `Scalar` (so a Float and
    /// a Double network of the same seed agree to one rounding).
    public init(architecture: NetworkArchitecture, seed: UInt64, index: UInt64 = 0) {
        let stream = RandomStream(StreamKey(seed: seed, purpose: .initialization, index: index))
        var p = [Scalar](repeating: 0, count: architecture.parameterCount)
        for (l, layer) in architecture.layers.enumerated() {
            let bound = 1 / Double(layer.inputs).squareRoot()
            let w = stream.uniforms(row: 2 * l, count: layer.weightCount)
            let b = stream.uniforms(row: 2 * l + 1, count: layer.outputs)
            for i in 0..<w.count { p[layer.weightOffset + i] = Scalar(bound * (2 * w[i] - 1)) }
            if layer.hasBias { for i in 0..<b.count { p[layer.biasOffset + i] = Scalar(bound * (2 * b[i] - 1)) } }
        }
        self.architecture = architecture
        self.parameters = p
    }

    /// A network with the given flat parameters.
    public init(architecture: NetworkArchitecture, parameters: [Scalar]) throws {
        guard parameters.count == architecture.parameterCount else {
            throw NetworkError.dimensionMismatch(
                "\(architecture.name) with D = \(architecture.dimension) has \(architecture.parameterCount) parameters, got \(parameters.count)")
        }
        guard parameters.allSatisfy(\.isFinite) else { throw NetworkError.nonFinite("network parameters contain NaN or infinity") }
        self.architecture = architecture
        self.parameters = parameters
    }

    private enum CodingKeys: String, CodingKey { case architecture, parameters }

    /// Decodes and validates (parameter count, finiteness) like `init(architecture:parameters:)`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(architecture: c.decode(NetworkArchitecture.self, forKey: .architecture),
                      parameters: c.decode([Scalar].self, forKey: .parameters))
    }

    public var dimension: Int { architecture.dimension }
    public var parameterCount: Int { parameters.count }

    /// The same network in another precision.
    public func converted<Other: BLASScalar>(to _: Other.Type = Other.self) -> EpsilonNetwork<Other> {
        EpsilonNetwork<Other>(unchecked: architecture, parameters: parameters.map { Other($0) })
    }

    init(unchecked architecture: NetworkArchitecture, parameters: [Scalar]) {
        precondition(parameters.count == architecture.parameterCount)
        self.architecture = architecture
        self.parameters = parameters
    }

    /// A workspace for batches of up to `maximumBatch` rows.
    public func makeWorkspace(maximumBatch: Int, backend: ComputeBackend = .openBLAS) -> NetworkWorkspace<Scalar> {
        NetworkWorkspace(architecture: architecture, maximumBatch: maximumBatch, backend: backend)
    }

    /// Layer `layer`'s weight (outputs × inputs), copied out.
    public func weight(_ layer: Int) -> Matrix<Scalar> {
        let l = architecture.layers[layer]
        return Matrix(rows: l.outputs, columns: l.inputs,
                      elements: Array(parameters[l.weightOffset..<(l.weightOffset + l.weightCount)]))
    }

    /// Layer `layer`'s bias, copied out (empty for a layer without one).
    public func bias(_ layer: Int) -> [Scalar] {
        let l = architecture.layers[layer]
        return l.hasBias ? Array(parameters[l.biasOffset..<(l.biasOffset + l.outputs)]) : []
    }
}

// MARK: - Offsets of the layers in the flat buffer (arithmetic, no arrays, for the hot path)

extension NetworkArchitecture {
    /// Offset of hidden layer k's weight: k = 0 is the input layer, k = 1 … blocks the residual blocks.
    @inlinable func hiddenWeightOffset(_ k: Int) -> Int {
        k == 0 ? 0 : (inputWidth + 1) * width + (k - 1) * blockParameterCount
    }
    @inlinable func hiddenBiasOffset(_ k: Int) -> Int {
        hiddenWeightOffset(k) + (k == 0 ? inputWidth : width) * width
    }
    /// Offset of block k's time map U_k (W × 128), k = 1 … blocks, with `.everyBlock` conditioning.
    @inlinable func blockTimeWeightOffset(_ k: Int) -> Int { hiddenBiasOffset(k) + width }
    @inlinable var outputWeightOffset: Int { (inputWidth + 1) * width + blocks * blockParameterCount }
    @inlinable var outputBiasOffset: Int { outputWeightOffset + width * dimension }
}

// MARK: - The passes, on raw buffers

extension EpsilonNetwork {
    /// Forward pass of the first `rows` rows of `workspace.input` (already loaded with x and e(t)) into
    /// `output` (rows × D), keeping the activations and SiLU derivatives in the workspace.
    ///
    /// The passes are compiled here, prespecialised for Float and Double (a generic caller in another
    /// module reaches the specialised code through the generic entry point), so their speed does not
    /// depend on what the caller's compilation inlines or vectorises.
    @usableFromInline
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forwardLoaded(rows B: Int, workspace ws: NetworkWorkspace<Scalar>, output: UnsafeMutablePointer<Scalar>,
                       sharedStep: Bool = false) {
        checkParameters(ws)
        parameters.withUnsafeBufferPointer { buffer in
            // All rows at one step (the samplers): row 0's embedding is every row's (see `NetworkPasses.forward`).
            let shared = sharedStep && B > 1 ? BackendPointer(ws.input + architecture.dimension) : nil
            try! NetworkPasses.forward(HostKernels<Scalar>(ws.backend), architecture: architecture, parameters: BackendPointer(buffer.baseAddress!),
                                       buffers: ws.buffers, rows: B, output: BackendPointer(output), sharedEmbedding: shared)
        }
        ws._rows = B
    }

    /// Backward pass through the last forward pass in `workspace`, from `cotangent` = ∂L/∂ε̂ (rows × D).
    /// Writes (or, with `accumulate`, adds) the parameter gradient when `parameterGradient` is given,
    /// and writes (∂ε̂/∂x)ᵀ·cotangent row by row to `inputGradient` (rows × D) when that is given.
    @usableFromInline
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backwardLoaded(rows B: Int, workspace ws: NetworkWorkspace<Scalar>, cotangent g: UnsafePointer<Scalar>,
                        parameterGradient pg: UnsafeMutablePointer<Scalar>?, accumulate: Bool,
                        inputGradient ig: UnsafeMutablePointer<Scalar>?) {
        precondition(ws._rows == B, "backward pass of \(B) rows after a forward pass of \(ws._rows) rows in this workspace")
        checkParameters(ws)
        parameters.withUnsafeBufferPointer { buffer in
            try! NetworkPasses.backward(HostKernels<Scalar>(ws.backend), architecture: architecture, parameters: BackendPointer(buffer.baseAddress!),
                                        buffers: ws.buffers, rows: B, cotangent: BackendPointer(g), parameterGradient: pg.map { BackendPointer($0) },
                                        accumulate: accumulate, inputGradient: ig.map { BackendPointer($0) })
        }
    }

    /// Loads x (any precision) and the steps into the workspace and runs the forward pass.
    @usableFromInline
    @_specialize(where Scalar == Float, Source == Float)
    @_specialize(where Scalar == Double, Source == Double)
    @_specialize(where Scalar == Float, Source == Double)
    func forward<Source: BLASScalar>(_ x: UnsafePointer<Source>, rows: Int, steps: StepSource,
                                     workspace ws: NetworkWorkspace<Scalar>, output: UnsafeMutablePointer<Scalar>) {
        precondition(ws.architecture == architecture, "workspace is for \(ws.architecture), network is \(architecture)")
        precondition(rows <= ws.maximumBatch, "batch of \(rows) rows exceeds the workspace's maximum of \(ws.maximumBatch)")
        ws.loadInput(x, rows: rows)
        ws.loadSteps(steps, rows: rows)
        forwardLoaded(rows: rows, workspace: ws, output: output, sharedStep: steps.perRow == nil)
    }
}

// MARK: - Matrix interface (allocation-free with a workspace)

extension EpsilonNetwork {
    /// ε̂(x, t) for every row of `x`, all at step `step`, into `output` (x.rows × D).
    @inlinable
    public func forward(_ x: Matrix<Scalar>, step: Int, workspace: NetworkWorkspace<Scalar>, into output: inout Matrix<Scalar>) {
        checkBatch(x, output)
        guard x.rows > 0 else { return }
        x.elements.withUnsafeBufferPointer { xp in
            output.elements.withUnsafeMutableBufferPointer { op in
                forward(xp.baseAddress!, rows: x.rows, steps: StepSource(uniform: step), workspace: workspace, output: op.baseAddress!)
            }
        }
    }

    /// ε̂(xᵢ, tᵢ) for every row i, into `output` (x.rows × D).
    @inlinable
    public func forward(_ x: Matrix<Scalar>, steps: [Int], workspace: NetworkWorkspace<Scalar>, into output: inout Matrix<Scalar>) {
        checkBatch(x, output)
        precondition(steps.count == x.rows, "\(steps.count) steps for a batch of \(x.rows) rows")
        guard x.rows > 0 else { return }
        x.elements.withUnsafeBufferPointer { xp in
            steps.withUnsafeBufferPointer { sp in
                output.elements.withUnsafeMutableBufferPointer { op in
                    forward(xp.baseAddress!, rows: x.rows, steps: StepSource(perRow: sp.baseAddress!), workspace: workspace,
                            output: op.baseAddress!)
                }
            }
        }
    }

    /// The parameter gradient of a loss L from `cotangent` = ∂L/∂ε̂ of the last forward pass in
    /// `workspace`, written to (or with `accumulate`, added to) `gradient` (parameterCount entries).
    @inlinable
    public func parameterGradient(cotangent: Matrix<Scalar>, workspace: NetworkWorkspace<Scalar>,
                                  into gradient: inout [Scalar], accumulate: Bool = false) {
        checkCotangent(cotangent, workspace)
        precondition(gradient.count == parameterCount, "gradient has \(gradient.count) entries, the network \(parameterCount)")
        cotangent.elements.withUnsafeBufferPointer { gp in
            gradient.withUnsafeMutableBufferPointer { pg in
                backwardLoaded(rows: cotangent.rows, workspace: workspace, cotangent: gp.baseAddress!,
                               parameterGradient: pg.baseAddress!, accumulate: accumulate, inputGradient: nil)
            }
        }
    }

    /// Row i of `result` is (∂ε̂/∂x at xᵢ)ᵀ vᵢ, for the last forward pass in `workspace`.
    @inlinable
    public func inputVJP(cotangent v: Matrix<Scalar>, workspace: NetworkWorkspace<Scalar>, into result: inout Matrix<Scalar>) {
        checkCotangent(v, workspace)
        precondition(result.rows == v.rows && result.columns == dimension, "VJP output is \(result.shape), needs \(v.rows)×\(dimension)")
        v.elements.withUnsafeBufferPointer { gp in
            result.elements.withUnsafeMutableBufferPointer { ip in
                backwardLoaded(rows: v.rows, workspace: workspace, cotangent: gp.baseAddress!,
                               parameterGradient: nil, accumulate: false, inputGradient: ip.baseAddress!)
            }
        }
    }

    /// Both backward products from one backward pass.
    @inlinable
    public func backward(cotangent: Matrix<Scalar>, workspace: NetworkWorkspace<Scalar>,
                         parameterGradient gradient: inout [Scalar], inputVJP result: inout Matrix<Scalar>, accumulate: Bool = false) {
        checkCotangent(cotangent, workspace)
        precondition(gradient.count == parameterCount, "gradient has \(gradient.count) entries, the network \(parameterCount)")
        precondition(result.rows == cotangent.rows && result.columns == dimension,
                     "VJP output is \(result.shape), needs \(cotangent.rows)×\(dimension)")
        cotangent.elements.withUnsafeBufferPointer { gp in
            gradient.withUnsafeMutableBufferPointer { pg in
                result.elements.withUnsafeMutableBufferPointer { ip in
                    backwardLoaded(rows: cotangent.rows, workspace: workspace, cotangent: gp.baseAddress!,
                                   parameterGradient: pg.baseAddress!, accumulate: accumulate, inputGradient: ip.baseAddress!)
                }
            }
        }
    }

    /// The raw passes index `parameters` and the workspace by the architecture: both must match it.
    @inlinable
    func checkParameters(_ ws: NetworkWorkspace<Scalar>) {
        precondition(parameters.count == architecture.parameterCount,
                     "\(architecture.name) needs \(architecture.parameterCount) parameters, the buffer holds \(parameters.count)")
        precondition(ws.architecture == architecture, "workspace is for \(ws.architecture), network is \(architecture)")
    }

    @inlinable
    func checkBatch(_ x: Matrix<Scalar>, _ output: Matrix<Scalar>) {
        precondition(x.columns == dimension, "batch has \(x.columns) columns, the network's dimension is \(dimension)")
        precondition(output.rows == x.rows && output.columns == dimension, "output is \(output.shape), needs \(x.rows)×\(dimension)")
    }

    @inlinable
    func checkCotangent(_ v: Matrix<Scalar>, _ ws: NetworkWorkspace<Scalar>) {
        precondition(ws.architecture == architecture, "workspace is for \(ws.architecture), network is \(architecture)")
        precondition(v.columns == dimension, "cotangent has \(v.columns) columns, the network's dimension is \(dimension)")
        precondition(v.rows == ws._rows && v.rows > 0, "cotangent has \(v.rows) rows, the last forward pass \(ws._rows)")
    }
}

// MARK: - Allocating conveniences (tests, one-off calls)

extension EpsilonNetwork {
    /// ε̂(x, t) at one step for all rows (the samplers' path: the embedding is folded into the first bias).
    public func callAsFunction(_ x: Matrix<Scalar>, step: Int) -> Matrix<Scalar> {
        let ws = makeWorkspace(maximumBatch: max(x.rows, 1))
        var out = Matrix<Scalar>(rows: x.rows, columns: dimension)
        if x.rows > 0 { forward(x, step: step, workspace: ws, into: &out) }
        return out
    }

    /// ε̂(xᵢ, tᵢ) row by row.
    public func callAsFunction(_ x: Matrix<Scalar>, steps: [Int]) -> Matrix<Scalar> {
        let ws = makeWorkspace(maximumBatch: max(x.rows, 1))
        var out = Matrix<Scalar>(rows: x.rows, columns: dimension)
        if x.rows > 0 { forward(x, steps: steps, workspace: ws, into: &out) }
        return out
    }

    /// Row i: (∂ε̂/∂x at (xᵢ, tᵢ))ᵀ vᵢ.
    public func inputVJP(_ x: Matrix<Scalar>, steps: [Int], cotangent v: Matrix<Scalar>) -> Matrix<Scalar> {
        let ws = makeWorkspace(maximumBatch: max(x.rows, 1))
        var out = Matrix<Scalar>(rows: x.rows, columns: dimension)
        forward(x, steps: steps, workspace: ws, into: &out)
        inputVJP(cotangent: v, workspace: ws, into: &out)
        return out
    }

    /// The gradient of L w.r.t. the parameters, for ∂L/∂ε̂ = `cotangent` at (x, steps).
    public func parameterGradient(_ x: Matrix<Scalar>, steps: [Int], cotangent: Matrix<Scalar>) -> [Scalar] {
        let ws = makeWorkspace(maximumBatch: max(x.rows, 1))
        var out = Matrix<Scalar>(rows: x.rows, columns: dimension)
        forward(x, steps: steps, workspace: ws, into: &out)
        var g = [Scalar](repeating: 0, count: parameterCount)
        parameterGradient(cotangent: cotangent, workspace: ws, into: &g)
        return g
    }
}
