import Diffusion

/// One affine layer y = W x (+ b) inside the flat parameter buffer of an `EpsilonNetwork`.
///
/// The weight is stored row-major as outputs × inputs (PyTorch's `nn.Linear.weight` layout) and the
/// bias, where the layer has one, follows it directly, so a layer is the contiguous range `parameterRange`.
public struct LinearLayout: Sendable, Hashable, Codable {
    /// A PyTorch-style name ("input", "block0", "block0.time", …, "output").
    public let name: String
    public let inputs: Int
    public let outputs: Int
    public let weightOffset: Int
    /// Where the bias starts (or would start: for a layer without one, the end of its weight).
    public let biasOffset: Int
    /// Whether the layer has a bias (`nn.Linear(bias=False)` when not).
    public let hasBias: Bool

    public var weightCount: Int { inputs * outputs }
    public var parameterRange: Range<Int> { weightOffset..<(biasOffset + (hasBias ? outputs : 0)) }
}

/// What the network's output F(x, t) stands for. The training loss is DDPM's ε-MSE whatever it is; the
/// parameterisation only says how ε̂ and x̂₀ follow from F (Salimans & Ho 2022; Karras et al. 2022):
///
///     epsilon:   ε̂ = F                        x̂₀ = (x − √h F)/α        (the paper's)
///     velocity:  ε̂ = √h x + α F               x̂₀ = α x − √h F           (v-prediction)
///     denoised:  ε̂ = (x − α F)/√h             x̂₀ = F                    (x₀-prediction)
///
/// Why it matters here (issue 14): the cosine schedule's clipped β_T = 0.999 multiplies the ε-error of
/// the first step by β_T/√(α_T h_T) ≈ 31.6, and an ε-network is no more accurate at t = T than anywhere
/// else; under v- or x₀-prediction the first step's error enters scaled by α_T ≈ 0.
public enum OutputParameterization: String, Sendable, Hashable, Codable, CaseIterable {
    case epsilon
    case velocity = "v"
    case denoised = "x0"

    /// (b, c) with x̂₀ = (b·x − c·F)/α: its Jacobian's transpose maps v to (b·v − c·(∂F/∂x)ᵀv)/α.
    @inlinable
    public func denoisedCoefficients(alpha: Double, h: Double) -> (base: Double, correction: Double) {
        switch self {
        case .epsilon: return (1, h.squareRoot())
        case .velocity: return (alpha * alpha, alpha * h.squareRoot())
        case .denoised: return (0, -alpha)
        }
    }

    /// (s, o) with ε̂ = s·x + o·F: the skip and the output scale of the training residual.
    @inlinable
    public func noiseCoefficients(alpha: Double, h: Double) -> (skip: Double, scale: Double) {
        switch self {
        case .epsilon: return (0, 1)
        case .velocity: return (h.squareRoot(), alpha)
        case .denoised: return (1 / h.squareRoot(), -alpha / h.squareRoot())
        }
    }
}

/// Where the time embedding e(t) enters the network.
public enum TimeConditioning: String, Sendable, Hashable, Codable, CaseIterable {
    /// Only at the input, z = [x; e(t)] (the paper's MLP).
    case input
    /// Also in every residual block, through a linear map of its own (no bias) added to the block's
    /// pre-activation: h ← h + SiLU(W h + b + U e(t)).
    case everyBlock = "every-block"
}

/// The shape of the ε-network "mlp-WxN" (SPEC §3, "Learned network"):
///
///     z = [x; e(t)]                       (D + 128, e the sinusoidal step embedding)
///     h = SiLU(W₀ z + b₀)                 (width W)
///     h ← h + SiLU(Wₖ h + bₖ [+ Uₖ e(t)]) (k = 1 … blocks, residual; Uₖ with `.everyBlock` conditioning)
///     F = W_out h + b_out                 (D; ε̂ = F under the paper's `.epsilon` parameterisation)
///
/// "mlp-512x4" is width 512 with three residual blocks (four hidden layers), the paper's ε-output and
/// time at the input only; other choices add to the name ("mlp-512x4-v-tb").
public struct NetworkArchitecture: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Width of the time embedding e(t).
    public static let embeddingWidth = TimeEmbedding.width

    /// The data dimension D (input and output width).
    public let dimension: Int
    /// The hidden width W.
    public let width: Int
    /// The number of residual blocks.
    public let blocks: Int
    /// What the output stands for.
    public let parameterization: OutputParameterization
    /// Where the time embedding enters.
    public let timeConditioning: TimeConditioning

    public init(dimension: Int, width: Int = 512, blocks: Int = 3, parameterization: OutputParameterization = .epsilon,
                timeConditioning: TimeConditioning = .input) throws {
        guard dimension >= 1 else { throw NetworkError.invalidParameter("network dimension D must be at least 1, got \(dimension)") }
        guard width >= 1 else { throw NetworkError.invalidParameter("network width must be at least 1, got \(width)") }
        guard blocks >= 0 else { throw NetworkError.invalidParameter("number of residual blocks must be non-negative, got \(blocks)") }
        guard Self.checkedParameterCount(dimension: dimension, width: width, blocks: blocks, timeConditioning: timeConditioning) != nil else {
            throw NetworkError.invalidParameter("network D = \(dimension), width \(width), \(blocks) blocks is too large (its parameter count overflows)")
        }
        self.dimension = dimension
        self.width = width
        self.blocks = blocks
        self.parameterization = parameterization
        self.timeConditioning = timeConditioning
    }

    private enum CodingKeys: String, CodingKey { case dimension, width, blocks, parameterization, timeConditioning = "time_conditioning" }

    /// Decodes and validates like `init(dimension:width:blocks:…)`. A checkpoint written before the
    /// parameterisation and time conditioning were chosen is the paper's network (ε, time at the input).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(dimension: c.decode(Int.self, forKey: .dimension), width: c.decode(Int.self, forKey: .width),
                      blocks: c.decode(Int.self, forKey: .blocks),
                      parameterization: c.decodeIfPresent(OutputParameterization.self, forKey: .parameterization) ?? .epsilon,
                      timeConditioning: c.decodeIfPresent(TimeConditioning.self, forKey: .timeConditioning) ?? .input)
    }

    /// Encodes the paper's network as before these choices existed (so its checkpoints read as they did).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dimension, forKey: .dimension)
        try c.encode(width, forKey: .width)
        try c.encode(blocks, forKey: .blocks)
        if parameterization != .epsilon { try c.encode(parameterization, forKey: .parameterization) }
        if timeConditioning != .input { try c.encode(timeConditioning, forKey: .timeConditioning) }
    }

    /// The project's default network "mlp-512x4": width 512, three residual blocks.
    public static func mlp512x4(dimension: Int) throws -> NetworkArchitecture {
        try NetworkArchitecture(dimension: dimension, width: 512, blocks: 3)
    }

    /// The network's name in outputs: "mlp-<width>x<hidden layers>", then "-v" or "-x0" for another
    /// parameterisation and "-tb" for time in every block.
    public var name: String {
        "mlp-\(width)x\(blocks + 1)" + (parameterization == .epsilon ? "" : "-" + parameterization.rawValue)
            + (timeConditioning == .everyBlock ? "-tb" : "")
    }

    /// Whether each residual block reads e(t).
    @inlinable public var timeInBlocks: Bool { timeConditioning == .everyBlock }
    public var description: String { "\(name) (D = \(dimension), \(parameterCount) parameters)" }

    /// Width of the first layer's input, D + 128.
    public var inputWidth: Int { dimension + Self.embeddingWidth }

    /// The layers in order: input, block0 (then "block0.time", its time map, with `.everyBlock`) …,
    /// output. Parameters are laid out in this order, each layer's weight then bias (the order of
    /// PyTorch's `named_parameters()`).
    public var layers: [LinearLayout] {
        var result: [LinearLayout] = []
        var offset = 0
        func add(_ name: String, _ inputs: Int, _ outputs: Int, bias: Bool = true) {
            result.append(LinearLayout(name: name, inputs: inputs, outputs: outputs,
                                       weightOffset: offset, biasOffset: offset + inputs * outputs, hasBias: bias))
            offset += inputs * outputs + (bias ? outputs : 0)
        }
        add("input", inputWidth, width)
        for k in 0..<blocks {
            add("block\(k)", width, width)
            if timeInBlocks { add("block\(k).time", Self.embeddingWidth, width, bias: false) }
        }
        add("output", width, dimension)
        return result
    }

    /// The parameter count, or nil where it (or D + 128) overflows `Int` (a hostile configuration file).
    static func checkedParameterCount(dimension: Int, width: Int, blocks: Int, timeConditioning: TimeConditioning) -> Int? {
        func product(_ a: Int, _ b: Int) -> Int? { let (p, o) = a.multipliedReportingOverflow(by: b); return o ? nil : p }
        func sum(_ a: Int, _ b: Int) -> Int? { let (p, o) = a.addingReportingOverflow(b); return o ? nil : p }
        let timeWidth = timeConditioning == .everyBlock ? embeddingWidth : 0
        guard let inputPlusOne = sum(dimension, embeddingWidth + 1), let widthPlusOne = sum(width, 1),
              let blockInputs = sum(widthPlusOne, timeWidth),
              let input = product(inputPlusOne, width), let block = product(blockInputs, width), let blocksTotal = product(blocks, block),
              let output = product(widthPlusOne, dimension), let partial = sum(input, blocksTotal) else { return nil }
        return sum(partial, output)
    }

    /// Parameters of one residual block: W, b and (with `.everyBlock`) U.
    @inlinable var blockParameterCount: Int { (width + 1) * width + (timeInBlocks ? Self.embeddingWidth * width : 0) }

    /// Total number of parameters.
    public var parameterCount: Int {
        (inputWidth + 1) * width + blocks * blockParameterCount + (width + 1) * dimension
    }
}
