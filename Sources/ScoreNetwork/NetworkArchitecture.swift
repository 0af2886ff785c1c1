import Diffusion

/// One affine layer y = W x + b inside the flat parameter buffer of an `EpsilonNetwork`.
///
/// The weight is stored row-major as outputs × inputs (PyTorch's `nn.Linear.weight` layout) and the
/// bias follows it directly, so a layer is the contiguous range `weightOffset ..< biasOffset + outputs`.
public struct LinearLayout: Sendable, Hashable, Codable {
    /// A PyTorch-style name ("input", "block0", …, "output").
    public let name: String
    public let inputs: Int
    public let outputs: Int
    public let weightOffset: Int
    public let biasOffset: Int

    public var weightCount: Int { inputs * outputs }
    public var parameterRange: Range<Int> { weightOffset..<(biasOffset + outputs) }
}

/// The shape of the ε-network "mlp-WxN" (SPEC §3, "Learned network"):
///
///     z = [x; e(t)]                       (D + 128, e the sinusoidal step embedding)
///     h = SiLU(W₀ z + b₀)                 (width W)
///     h ← h + SiLU(Wₖ h + bₖ)             (k = 1 … blocks, residual)
///     ε̂ = W_out h + b_out                 (D)
///
/// "mlp-512x4" is width 512 with three residual blocks (four hidden layers).
public struct NetworkArchitecture: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Width of the time embedding e(t).
    public static let embeddingWidth = TimeEmbedding.width

    /// The data dimension D (input and output width).
    public let dimension: Int
    /// The hidden width W.
    public let width: Int
    /// The number of residual blocks.
    public let blocks: Int

    public init(dimension: Int, width: Int = 512, blocks: Int = 3) throws {
        guard dimension >= 1 else { throw NetworkError.invalidParameter("network dimension D must be at least 1, got \(dimension)") }
        guard width >= 1 else { throw NetworkError.invalidParameter("network width must be at least 1, got \(width)") }
        guard blocks >= 0 else { throw NetworkError.invalidParameter("number of residual blocks must be non-negative, got \(blocks)") }
        guard Self.checkedParameterCount(dimension: dimension, width: width, blocks: blocks) != nil else {
            throw NetworkError.invalidParameter("network D = \(dimension), width \(width), \(blocks) blocks is too large (its parameter count overflows)")
        }
        self.dimension = dimension
        self.width = width
        self.blocks = blocks
    }

    private enum CodingKeys: String, CodingKey { case dimension, width, blocks }

    /// Decodes and validates like `init(dimension:width:blocks:)`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(dimension: c.decode(Int.self, forKey: .dimension), width: c.decode(Int.self, forKey: .width),
                      blocks: c.decode(Int.self, forKey: .blocks))
    }

    /// The project's default network "mlp-512x4": width 512, three residual blocks.
    public static func mlp512x4(dimension: Int) throws -> NetworkArchitecture {
        try NetworkArchitecture(dimension: dimension, width: 512, blocks: 3)
    }

    /// The network's name in outputs: "mlp-<width>x<hidden layers>".
    public var name: String { "mlp-\(width)x\(blocks + 1)" }
    public var description: String { "\(name) (D = \(dimension), \(parameterCount) parameters)" }

    /// Width of the first layer's input, D + 128.
    public var inputWidth: Int { dimension + Self.embeddingWidth }

    /// The layers in order: input, block0 … block(blocks−1), output. Parameters are laid out in this
    /// order, each layer's weight then bias (the order of PyTorch's `named_parameters()`).
    public var layers: [LinearLayout] {
        var result: [LinearLayout] = []
        var offset = 0
        func add(_ name: String, _ inputs: Int, _ outputs: Int) {
            result.append(LinearLayout(name: name, inputs: inputs, outputs: outputs,
                                       weightOffset: offset, biasOffset: offset + inputs * outputs))
            offset += inputs * outputs + outputs
        }
        add("input", inputWidth, width)
        for k in 0..<blocks { add("block\(k)", width, width) }
        add("output", width, dimension)
        return result
    }

    /// The parameter count, or nil where it (or D + 128) overflows `Int` (a hostile configuration file).
    static func checkedParameterCount(dimension: Int, width: Int, blocks: Int) -> Int? {
        func product(_ a: Int, _ b: Int) -> Int? { let (p, o) = a.multipliedReportingOverflow(by: b); return o ? nil : p }
        func sum(_ a: Int, _ b: Int) -> Int? { let (p, o) = a.addingReportingOverflow(b); return o ? nil : p }
        guard let inputPlusOne = sum(dimension, embeddingWidth + 1), let widthPlusOne = sum(width, 1),
              let input = product(inputPlusOne, width), let block = product(widthPlusOne, width), let blocksTotal = product(blocks, block),
              let output = product(widthPlusOne, dimension), let partial = sum(input, blocksTotal) else { return nil }
        return sum(partial, output)
    }

    /// Total number of parameters.
    public var parameterCount: Int {
        (inputWidth + 1) * width + blocks * (width + 1) * width + (width + 1) * dimension
    }
}
