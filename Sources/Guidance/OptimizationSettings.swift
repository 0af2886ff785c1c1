/// Which guidance an optimisation round builds from its query (g, y).
public enum GuidanceKind: String, Sendable, Codable, CaseIterable {
    /// G_loss, the look-ahead gradient guidance (Definition 1), the default.
    case lookahead
    /// G, the naive experiments' form βₜ(y − gᵀx̂₀)g.
    case naive
}

/// Where the gradient of a round is taken.
public enum GradientPoint: String, Sendable, Codable, CaseIterable {
    /// Each sample keeps its own trajectory, gradient and target (the reference code, default).
    case perSample = "per-sample"
    /// One gradient at the batch mean z̄ shared by all samples (the paper's text).
    case batchMean = "batch-mean"
}

/// Practice settings (the reference code) or the theory presets of SPEC §6 for the convergence claims.
public enum OptimizationPreset: Sendable, Equatable, Codable {
    /// y = δ + gᵀz, with the chosen β rule.
    case practice
    /// Algorithm 1: η = 1/λ, yₖ = η(σ² + gₖᵀΣ̄gₖ) + gₖᵀμ̄, Lemma-1 β, gradient at the batch mean.
    /// Algorithm 2: λ = L log K/(4K), η = 2/(L + 2λ), offset refit x̄ₖ = ηλμ̄₀ + (1 − ηλ)z̄ₖ projected on
    /// the model's support, yₖ = η(σ² + gₖᵀΣ̄gₖ) + gₖᵀx̄ₖ. `lambda` is required for Algorithm 1 and
    /// ignored by Algorithm 2.
    case theory(lambda: Double?)
}

/// Algorithm 2's score update after each round.
public enum FineTuning: Sendable, Equatable, Codable {
    /// The reference code: one Adam step on the round's samples (offset-only class), from `startRound` on.
    case adam(learningRate: Double, startRound: Int)
    /// The theory preset's closed-form weighted offset refit (used with `.theory`).
    case offsetRefit
}

/// Everything an optimisation run needs besides the model and the objective.
public struct OptimizationSettings: Sendable, Equatable, Codable {
    public var algorithm: Int
    public var rounds: Int
    public var batchSize: Int
    public var guidance: GuidanceKind
    public var beta: BetaRule
    public var betaCoefficient: Double
    /// σ of the observation model (naive G's β, theory presets).
    public var sigma: Double
    /// δ, the per-round increment of the practice target y = δ + gᵀz.
    public var delta: Double
    public var gradientPoint: GradientPoint
    public var preset: OptimizationPreset
    public var fineTuning: FineTuning?
    public var seed: UInt64
    /// A training-free guidance method in place of `guidance` (nil: the paper's G or G_loss), built from
    /// each round's query (`GuidanceMethod.guidance(for:geometry:)`).
    public var method: GuidanceMethod?

    public init(algorithm: Int = 1, rounds: Int = 1000, batchSize: Int = 32, guidance: GuidanceKind = .lookahead,
                beta: BetaRule = .code(sigma: 0.1), betaCoefficient: Double = 1, sigma: Double = 0.1, delta: Double = 0.2,
                gradientPoint: GradientPoint = .perSample, preset: OptimizationPreset = .practice,
                fineTuning: FineTuning? = nil, seed: UInt64 = 1234, method: GuidanceMethod? = nil) {
        self.algorithm = algorithm
        self.rounds = rounds
        self.batchSize = batchSize
        self.guidance = guidance
        self.beta = beta
        self.betaCoefficient = betaCoefficient
        self.sigma = sigma
        self.delta = delta
        self.gradientPoint = gradientPoint
        self.preset = preset
        self.fineTuning = fineTuning
        self.seed = seed
        self.method = method
    }

    // MARK: The paper's defaults (its reference code's), in one place for the CLI, the study and the tests.

    /// Rounds: 1000 for f₁, 50 for f₂, 1200 for Algorithm 2.
    public static func paperRounds(algorithm: Int, objective kind: String) -> Int { algorithm == 2 ? 1200 : kind == "f2" ? 50 : 1000 }

    /// δ of y = δ + gᵀz: 0.2 for G_loss and 0.9 for naive G (f₁), 1 for f₂.
    public static func paperDelta(guidance: GuidanceKind, objective kind: String) -> Double { kind == "f2" ? 1 : guidance == .naive ? 0.9 : 0.2 }

    /// The first round with a fine-tuning step in Algorithm 2: 40 for G, 60 for G_loss.
    public static func paperFineTuningStart(guidance: GuidanceKind) -> Int { guidance == .naive ? 40 : 60 }

    /// The learning rate of that step, 1e−6.
    public static let paperFineTuningRate = 1e-6

    /// The reference code's Algorithm 2 fine-tuning: lr 1e−6 from round 40 (G) or 60 (G_loss).
    public static func referenceFineTuning(for guidance: GuidanceKind) -> FineTuning {
        .adam(learningRate: paperFineTuningRate, startRound: paperFineTuningStart(guidance: guidance))
    }

    public func validate() throws {
        guard algorithm == 1 || algorithm == 2 else { throw GuidanceError.invalidParameter("algorithm must be 1 or 2, got \(algorithm)") }
        guard rounds >= 0 else { throw GuidanceError.invalidParameter("rounds must be non-negative, got \(rounds)") }
        guard batchSize >= 1 else { throw GuidanceError.invalidParameter("batch size must be at least 1, got \(batchSize)") }
        guard sigma > 0, sigma.isFinite else { throw GuidanceError.invalidParameter("σ must be positive, got \(sigma)") }
        guard delta.isFinite, betaCoefficient.isFinite else { throw GuidanceError.nonFinite("δ and β_coef must be finite") }
        try beta.validate()
        if case let .theory(lambda) = preset, algorithm == 1 {
            guard let lambda, lambda > 0, lambda.isFinite else {
                throw GuidanceError.invalidParameter("Algorithm 1's theory preset needs λ > 0")
            }
        }
        if case let .adam(lr, start)? = fineTuning {
            guard lr > 0, lr.isFinite, start >= 0 else { throw GuidanceError.invalidParameter("fine-tuning needs lr > 0 and a start round ≥ 0") }
        }
    }
}
