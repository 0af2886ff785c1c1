import Compute
import Diffusion
import LinearAlgebra
import ScoreNetwork

/// An ε-network living on a backend: its parameters, the pass buffers of a batch of up to
/// `maximumBatch` rows, staging for ε̂, cotangents and VJPs, and the time embeddings e(0) … e(T) as a
/// table, all in the backend's memory. Uploaded once; passes then touch nothing on the host.
public final class ResidentNetwork<Backend: SamplerBackend> {
    public typealias Scalar = Backend.Scalar
    public let backend: Backend
    public let architecture: NetworkArchitecture
    public let maximumBatch: Int
    /// The largest diffusion step the embedding table holds.
    public let steps: Int

    public let parameters: BackendArray<Scalar>
    let passMemory: BackendArray<Scalar>
    let buffers: PassBuffers<Scalar>
    /// maximumBatch × D each: ε̂, the network's cotangent, its input VJP.
    let output: BackendArray<Scalar>
    let cotangent: BackendArray<Scalar>
    let inputGradient: BackendArray<Scalar>
    /// (steps + 1) × 128: row t is e(t) rounded to Scalar, exactly as the host workspace writes it.
    let embeddings: BackendArray<Scalar>

    public init(_ network: EpsilonNetwork<Scalar>, steps: Int, maximumBatch: Int, on backend: Backend) throws {
        guard maximumBatch >= 1 else { throw BackendError.invalid("a resident network needs room for a row, got \(maximumBatch)") }
        guard steps >= 1 else { throw BackendError.invalid("a resident network needs at least one diffusion step, got \(steps)") }
        self.backend = backend
        architecture = network.architecture
        self.maximumBatch = maximumBatch
        self.steps = steps
        parameters = try backend.array(network.parameters)
        let sizes = PassBuffers<Scalar>.sizes(architecture: architecture, maximumBatch: maximumBatch)
        passMemory = try backend.allocate(Scalar.self, count: sizes.reduce(0, +))
        var offsets = [Int](), o = 0
        for s in sizes { offsets.append(o); o += s }
        buffers = PassBuffers(input: passMemory[offsets[0]], activations: passMemory[offsets[1]], derivatives: passMemory[offsets[2]],
                              layerStride: maximumBatch * architecture.width, scratch: passMemory[offsets[3]],
                              hiddenGradient: passMemory[offsets[4]], foldedBias: passMemory[offsets[5]])
        let D = architecture.dimension
        output = try backend.allocate(Scalar.self, count: maximumBatch * D)
        cotangent = try backend.allocate(Scalar.self, count: maximumBatch * D)
        inputGradient = try backend.allocate(Scalar.self, count: maximumBatch * D)
        embeddings = try backend.array((0...steps).flatMap { TimeEmbedding.embedding(step: $0).map { Scalar($0) } })
    }

    /// The network with its current parameters, copied back to the host.
    public func network() throws -> EpsilonNetwork<Scalar> {
        try EpsilonNetwork<Scalar>(architecture: architecture, parameters: backend.values(parameters.pointer, count: parameters.count))
    }

    /// The embedding row of step t.
    func embedding(_ t: Int) -> BackendPointer<Scalar> {
        precondition(t >= 0 && t <= steps, "diffusion step \(t) outside the resident table's 0…\(steps)")
        return embeddings[t * TimeEmbedding.width]
    }

    /// ε̂ of the `rows` input rows already loaded (x part), all at step t, into `output`.
    ///
    /// As the host workspace does: for more than one row the embedding is folded into the first bias;
    /// a single row carries e(t) in its input row.
    func forward(rows: Int, step t: Int) throws {
        if rows > 1 {
            try NetworkPasses.forward(backend, architecture: architecture, parameters: parameters.pointer, buffers: buffers, rows: rows,
                                      output: output.pointer, sharedEmbedding: embedding(t))
        } else {
            try backend.copy(embedding(t), to: buffers.input + architecture.dimension, count: TimeEmbedding.width)
            try NetworkPasses.forward(backend, architecture: architecture, parameters: parameters.pointer, buffers: buffers, rows: rows,
                                      output: output.pointer, sharedEmbedding: nil)
        }
    }

    /// ε̂ of the `rows` input rows already loaded in full ([x; e(t_r)] per row), into `output`.
    func forwardPerRow(rows: Int) throws {
        try NetworkPasses.forward(backend, architecture: architecture, parameters: parameters.pointer, buffers: buffers, rows: rows,
                                  output: output.pointer, sharedEmbedding: nil)
    }

    /// The input VJP (∂ε̂/∂x)ᵀ·cotangent of the last forward pass, into `inputGradient`.
    func inputVJP(rows: Int) throws {
        try NetworkPasses.backward(backend, architecture: architecture, parameters: parameters.pointer, buffers: buffers, rows: rows,
                                   cotangent: cotangent.pointer, parameterGradient: nil, accumulate: false, inputGradient: inputGradient.pointer)
    }

    /// The parameter gradient of the last forward pass from `cotangent`, into `gradient`.
    func parameterGradient(rows: Int, into gradient: BackendPointer<Scalar>) throws {
        try NetworkPasses.backward(backend, architecture: architecture, parameters: parameters.pointer, buffers: buffers, rows: rows,
                                   cotangent: cotangent.pointer, parameterGradient: gradient, accumulate: false, inputGradient: nil)
    }
}

// MARK: - Single passes from host values (cross-checks and tests)

extension ResidentNetwork {
    /// Loads `x` (rows × D) and each row's e(t) into the input rows.
    func load(_ x: Matrix<Double>, steps: [Int]) throws {
        let D = architecture.dimension
        guard x.columns == D, steps.count == x.rows, x.rows >= 1, x.rows <= maximumBatch else {
            throw BackendError.invalid("a batch of \(x.rows)×\(x.columns) with \(steps.count) steps for a resident network of dimension \(D) and room for \(maximumBatch) rows")
        }
        guard steps.allSatisfy({ $0 >= 0 && $0 <= self.steps }) else {
            throw BackendError.invalid("diffusion steps must lie in 0…\(self.steps)")
        }
        let points = try backend.array(x.elements)
        let indices = try backend.array(steps.map { Int32($0) })
        try backend.loadRows(points.pointer, rows: x.rows, columns: D, into: buffers.input, stride: architecture.inputWidth)
        try backend.gatherRows(table: embeddings.pointer, indices: indices.pointer, rows: x.rows, width: TimeEmbedding.width,
                               into: buffers.input + D, stride: architecture.inputWidth)
    }

    /// ε̂(xᵢ, tᵢ) row by row (x rounded to Scalar, as `EpsilonNetwork.forward` rounds it).
    public func forward(_ x: Matrix<Double>, steps: [Int]) throws -> [Scalar] {
        try load(x, steps: steps)
        try forwardPerRow(rows: x.rows)
        return try backend.values(output.pointer, count: x.rows * architecture.dimension)
    }

    /// After `forward`: the input VJP (∂ε̂/∂x)ᵀvᵢ row by row, and the parameter gradient for ∂L/∂ε̂ = v.
    public func backward(cotangent v: Matrix<Double>) throws -> (inputVJP: [Scalar], parameterGradient: [Scalar]) {
        let n = v.rows * architecture.dimension
        guard v.columns == architecture.dimension, v.rows >= 1, v.rows <= maximumBatch else {
            throw BackendError.invalid("a cotangent of \(v.rows)×\(v.columns) for a resident network of dimension \(architecture.dimension)")
        }
        let staged = try backend.array(v.elements)
        try backend.convert(staged.pointer, count: n, into: cotangent.pointer)
        try inputVJP(rows: v.rows)
        let vjp = try backend.values(inputGradient.pointer, count: n)
        let gradient = try backend.allocate(Scalar.self, count: parameters.count)
        try parameterGradient(rows: v.rows, into: gradient.pointer)
        return (vjp, try backend.values(gradient.pointer, count: gradient.count))
    }
}
