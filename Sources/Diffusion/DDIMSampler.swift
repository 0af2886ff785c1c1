import Compute
import FaultInjection
import LinearAlgebra

/// A discrete sampler whose every step is c₁x̂₀ + c₂x plus Gaussian noise, so that with an affine score
/// model and affine guidance its output law is exact (`DDPMExactLaw`): DDPM's ancestral sampler and DDIM.
public protocol AffineStepSampler: PlannedSampler {
    /// The steps in sampling order, as the exact law reads them.
    func lawSteps(guidance: (any AffineGuidanceTerm)?) -> [LawStep]
}

extension AffineStepSampler {
    /// The plan on the host, unchecked (the loop cannot throw without checks).
    public func sample(model: any ScoreModel, guidance: (any GuidanceTerm)?, count: Int, noise: SamplingNoise,
                       progress: ((Int, Int) -> Void)? = nil) -> Matrix<Double> {
        try! runOnHost(model: model, guidance: guidance, count: count, noise: noise, progress: progress, checked: false)
    }

    /// Checks xₜ₋₁ after every step (a scan of B×D numbers, far below a step's cost) and, when it is not
    /// finite, names the step and whether x̂₀ (the score model with its guidance) or the update made it so.
    public func sampleChecked(model: any ScoreModel, guidance: (any GuidanceTerm)?, count: Int, noise: SamplingNoise,
                              progress: ((Int, Int) -> Void)? = nil) throws -> Matrix<Double> {
        try runOnHost(model: model, guidance: guidance, count: count, noise: noise, progress: progress, checked: true)
    }
}

extension DDPMSampler: AffineStepSampler {
    public func lawSteps(guidance: (any AffineGuidanceTerm)?) -> [LawStep] {
        stride(from: schedule.steps, through: 1, by: -1).map { lawStep($0, guidance: guidance) }
    }
}

/// DDIM (Song, Meng and Ermon, "Denoising Diffusion Implicit Models", ICLR 2021, eq. 12) on the DDPM
/// schedule, over all T steps or an evenly spaced sub-sequence τ₁ < … < τ_S = T:
///
///   x_{τ_{i−1}} = √ᾱ_{τ_{i−1}} x̂₀ + √(1 − ᾱ_{τ_{i−1}} − σᵢ²) ε̂ + σᵢ z,   ε̂ = (x − √ᾱ_{τᵢ} x̂₀)/√(1 − ᾱ_{τᵢ}),
///   σᵢ² = η² (1 − ᾱ_{τ_{i−1}})/(1 − ᾱ_{τᵢ}) · (1 − ᾱ_{τᵢ}/ᾱ_{τ_{i−1}}).
///
/// Substituting ε̂ makes the step c₁x̂₀ + c₂x + σz with c₂ = √(1 − ᾱ_{τ_{i−1}} − σᵢ²)/√(1 − ᾱ_{τᵢ}) and
/// c₁ = √ᾱ_{τ_{i−1}} − c₂√ᾱ_{τᵢ}, the one affine step every sampler of the house runs (`SamplerPlan`), so DDIM
/// runs on every backend and its law is exact for Gaussian scores. η = 0 is the deterministic DDIM; η = 1
/// over all steps is DDPM's ancestral sampler (σ² = β̃ₜ, the same c₁ and c₂). Guidance enters through x̂₀
/// (x̂₀ + (hₜ/αₜ)G), and ε̂ is the guided one, as in DDPM. The last step (τ₀ = 0, ᾱ = 1) returns x̂₀.
public struct DDIMSampler: AffineStepSampler {
    public let schedule: NoiseSchedule
    public let eta: Double
    /// τ₁ < … < τ_S = T, the steps visited (all of 1 … T by default).
    public let timesteps: [Int]
    public let threads: Int

    /// DDIM with noise level η ∈ [0, 1] over `steps` evenly spaced steps of the schedule (nil: all T).
    public init(schedule: NoiseSchedule, eta: Double = 0, steps: Int? = nil, threads: Int = 1) throws {
        guard eta.isFinite, eta >= 0, eta <= 1 else { throw DiffusionError.invalidParameter("DDIM's η must lie in [0, 1], got \(eta)") }
        let T = schedule.steps
        let s = steps ?? T
        guard s >= 1, s <= T else { throw DiffusionError.invalidParameter("DDIM's step count must lie in 1 … T = \(T), got \(s)") }
        self.schedule = schedule
        self.eta = eta
        timesteps = (1...s).map { i in Int((Double(i) * Double(T) / Double(s)).rounded()) }
        self.threads = max(1, threads)
    }

    public var dimension: Int? { nil }
    public var discreteSchedule: NoiseSchedule? { schedule }

    /// (c₁, c₂, σ²) of the step from τᵢ = `t` to τ_{i−1} = `previous` (0 for the last).
    public func coefficients(from t: Int, to previous: Int) -> (c1: Double, c2: Double, variance: Double) {
        let ab = schedule.alphaBar[t], abPrev = schedule.alphaBar[previous]
        let variance = eta * eta * (1 - abPrev) / (1 - ab) * (1 - ab / abPrev)
        let remaining = max(0, 1 - abPrev - variance)
        let c2 = (FaultHook.isActive(.ddimC2MissingSquareRoot) ? remaining : remaining.squareRoot()) / (1 - ab).squareRoot()
        return (abPrev.squareRoot() - c2 * ab.squareRoot(), c2, variance)
    }

    /// (τᵢ, τ_{i−1}) in sampling order.
    var transitions: [(Int, Int)] {
        (0..<timesteps.count).reversed().map { i in (timesteps[i], i > 0 ? timesteps[i - 1] : 0) }
    }

    public var plan: SamplerPlan {
        SamplerPlan(steps: transitions.map { t, previous in
            let (c1, c2, v) = coefficients(from: t, to: previous)
            return SamplerStep(time: schedule.time(t), step: t, c1: c1, c2: c2, sd: v.squareRoot(), noiseStep: v > 0 ? t : nil,
                               target: schedule.time(previous))
        })
    }

    public func lawSteps(guidance: (any AffineGuidanceTerm)?) -> [LawStep] {
        transitions.map { t, previous in
            let (c1, c2, v) = coefficients(from: t, to: previous)
            return LawStep(step: t, time: schedule.time(t), target: schedule.time(previous), c1: c1, c2: c2, variance: v, guidance: guidance)
        }
    }
}
