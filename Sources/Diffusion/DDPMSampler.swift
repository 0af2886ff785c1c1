import Compute
import LinearAlgebra
import Randomness
import FaultInjection

/// Where a sampler's noise comes from: the seed and the round, with each sample's row fixed by its
/// position in the whole batch (`firstRow` offsets a shard).
public struct SamplingNoise: Sendable, Equatable {
    public let seed: UInt64
    public let round: Int
    public let firstRow: Int

    public init(seed: UInt64, round: Int = 0, firstRow: Int = 0) {
        self.seed = seed
        self.round = round
        self.firstRow = firstRow
    }

    public var initialKey: StreamKey { StreamKey(seed: seed, purpose: .initialNoise, major: round, minor: 0) }
    public func stepKey(_ step: Int) -> StreamKey {
        StreamKey(seed: seed, purpose: .stepNoise, major: round, minor: FaultHook.isActive(.philoxCounterReused) ? 1 : step)
    }

    /// The noise of a plan step: the first pass of an update draws `stepKey` (so a plan without
    /// recurrence draws what it always drew); later passes and re-noising draw their own streams
    /// (step, pass, and whether it re-noises), so adding recurrence shifts no other draw.
    public func key(for step: SamplerStep) -> StreamKey {
        let t = step.noiseStep ?? step.step
        if step.kind == .update && step.repeatIndex == 0 { return stepKey(t) }
        let minor = t | (step.kind == .renoise ? 1 << 20 : 0) | (step.repeatIndex << 21)
        return StreamKey(seed: seed, purpose: .recurrenceNoise, major: round, minor: minor)
    }
}

/// A sampler turns a score model (and optionally a guidance rule) into draws.
public protocol Sampler: Sendable {
    var dimension: Int? { get }
    func sample(model: any ScoreModel, guidance: (any GuidanceTerm)?, count: Int, noise: SamplingNoise,
                progress: ((Int, Int) -> Void)?) -> Matrix<Double>
    /// The same draw, stopping with `DiffusionError.nonFinite` (naming the step and the quantity) as soon
    /// as NaN or infinity appears, instead of carrying it to the end.
    func sampleChecked(model: any ScoreModel, guidance: (any GuidanceTerm)?, count: Int, noise: SamplingNoise,
                       progress: ((Int, Int) -> Void)?) throws -> Matrix<Double>
}

extension Sampler {
    /// Samplers without per-step checks: one check of the output.
    public func sampleChecked(model: any ScoreModel, guidance: (any GuidanceTerm)?, count: Int, noise: SamplingNoise,
                              progress: ((Int, Int) -> Void)?) throws -> Matrix<Double> {
        let x = sample(model: model, guidance: guidance, count: count, noise: noise, progress: progress)
        guard x.isFinite else { throw DiffusionError.nonFinite("the samples are NaN or infinite at the end of sampling") }
        return x
    }
}

/// The DDPM ancestral sampler of the reference code (SPEC §5), the default.
///
/// Guidance enters through the noise, ε̃ = −(s + G)√hₜ, which is the same as shifting the look-ahead
/// estimate to x̂₀ + (hₜ/αₜ)G. Each step is xₜ₋₁ = c₁x̂₀ + c₂xₜ + √β̃ₜ z with c₁ = βₜ√ᾱₜ₋₁/(1 − ᾱₜ),
/// c₂ = (1 − ᾱₜ₋₁)√(1 − βₜ)/(1 − ᾱₜ), β̃ₜ = βₜ(1 − ᾱₜ₋₁)/(1 − ᾱₜ), no noise at the last step and no
/// clipping, so with an exact subspace score the output lies exactly in span(A).
public struct DDPMSampler: Sampler {
    public let schedule: NoiseSchedule
    /// Threads for the noise fill (BLAS threads are set separately).
    public let threads: Int

    public init(schedule: NoiseSchedule, threads: Int = 1) {
        self.schedule = schedule
        self.threads = max(1, threads)
    }

    public var dimension: Int? { nil }

    /// (c₁, c₂, β̃) of step t.
    public func coefficients(_ t: Int) -> (c1: Double, c2: Double, variance: Double) {
        let ab = schedule.alphaBar[t], abPrev = schedule.alphaBar[t - 1], b = schedule.beta[t]
        let e = FaultHook.size(.alphaBarInterpolation)
        let c1 = b * (FaultHook.isActive(.alphaBarOffByOne) ? ab : (e == 0 ? abPrev : (1 - e) * abPrev + e * ab)).squareRoot() / (1 - ab)
        let c2 = (1 - abPrev) * (FaultHook.isActive(.c2MissingSquareRoot) ? 1 - b : (1 - b).squareRoot()) / (1 - ab)
        let v = FaultHook.isActive(.varianceUndamped) ? b : b * (1 - abPrev) / (1 - ab)
        return (c1, c2, v)
    }
}
