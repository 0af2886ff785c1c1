/// Where a guidance rule's correction enters a sampler step. Training-free guidance methods differ
/// exactly here (the same gradient, added at a different point, gives a different law), so a rule
/// declares it and the sampler folds the correction into the x̂₀ its step reads:
/// xₜ₋₁ = c₁(x̂₀ + s·Δ) + c₂xₜ + σz with the scale s below, so every kernel and the exact law keep the
/// one affine step of the house.
public enum GuidancePlacement: String, Sendable, Codable, CaseIterable {
    /// G added to the score, ε̂ consistent: x̂₀ ← x̂₀ + (h/α)G (the paper's G and G_loss, Universal
    /// Guidance's forward guidance). s = h/α.
    case score
    /// Δ added to x̂₀, ε̂ recomputed from the corrected x̂₀ (Universal Guidance's backward guidance):
    /// xₜ₋₁ gains c₁Δ. s = 1.
    case denoised
    /// Δ added to x̂₀ where it multiplies α of the step's target time, the model's ε̂ kept (MPGD, TFG's
    /// mean guidance): xₜ₋₁ gains α_{t−1}Δ. s = α_{t−1}/c₁.
    case denoisedKeepingNoise = "denoised-keeping-noise"
    /// Δ added to xₜ₋₁ after the step (DPS, FreeDoM): s = 1/c₁.
    case sample

    /// s for a step with context `context`, as the exact law reads it. (The sampler reads `.score`'s
    /// through `LookaheadRows.shiftScale`, the host kernels' own, so the law stays an independent check.)
    public func scale(in context: StepContext) -> Double {
        switch self {
        case .score: return context.time.h / context.time.alpha
        case .denoised: return 1
        case .denoisedKeepingNoise: return context.target.alpha / context.c1
        case .sample: return 1 / context.c1
        }
    }
}

/// What a guidance rule may read of the step it corrects: the time x̂₀ is evaluated at, the time the
/// step lands at, and the step's weight c₁ on x̂₀ (so a correction can be placed anywhere in the step).
public struct StepContext: Sendable, Equatable {
    public let time: DiffusionTime
    /// The time the step lands at (t − 1 for DDPM, τᵢ₋₁ for DDIM, α = 1 and h = 0 at the end).
    public let target: DiffusionTime
    /// The step's weight on x̂₀.
    public let c1: Double

    public init(time: DiffusionTime, target: DiffusionTime, c1: Double) {
        self.time = time
        self.target = target
        self.c1 = c1
    }

    /// αₜ/α_{t−1} squared: DDPM's 1 − βₜ between the two times (TFG's αₜ).
    public var stepAlphaSquared: Double { let r = time.alpha / target.alpha; return r * r }

    /// The data time (α = 1, h = 0), where the last step lands.
    public static let data = DiffusionTime(step: 0, alpha: 1, h: 0)

    /// The context of a final look-ahead estimate (Euler–Maruyama's x̂₀ at t_min): the step lands on x̂₀.
    public static func final(_ time: DiffusionTime) -> StepContext { StepContext(time: time, target: data, c1: 1) }
}
