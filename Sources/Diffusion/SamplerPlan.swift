import Compute
import LinearAlgebra
import FaultInjection

/// One step of a sampler as the driver runs it: x̂₀ is evaluated at `time` (network step `step`),
/// then x ← c₁·x̂₀ + c₂·x + sd·z, with z drawn from the stream of `noiseStep` (no noise term when it
/// is nil). A re-noising step (`kind == .renoise`, the time travel of a guidance rule's recurrence)
/// evaluates nothing: x ← c₂·x + sd·z takes x from `target` back to `time` along the forward process.
///
/// Every sampler of the house is this affine update with its own coefficients (diffrax's split of
/// solver and driver): DDPM's ancestral step, DDIM, the exponential integrator of the continuous SDE and
/// Euler–Maruyama. One driver (`SamplerDriver`) runs them on any backend, so a coefficient or its
/// noise term is written once and reaches the host, resident and device paths alike.
public struct SamplerStep: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// x̂₀ at `time`, then the step to `target`.
        case update
        /// Back from `target` to `time` along the forward process (no model evaluation).
        case renoise
    }

    public let time: DiffusionTime
    /// The diffusion step t of this time (the network's time embedding; 0 for continuous times).
    public let step: Int
    public let c1: Double
    public let c2: Double
    public let sd: Double
    /// The step index of the noise stream key (`SamplingNoise.key(for:)`), nil for a noiseless step.
    public let noiseStep: Int?
    /// The time the update lands at (and a re-noising step starts from).
    public let target: DiffusionTime
    public let kind: Kind
    /// Which pass of a recurring step this is (0 for the first, and for every step without recurrence).
    public let repeatIndex: Int

    public init(time: DiffusionTime, step: Int, c1: Double, c2: Double, sd: Double, noiseStep: Int?, target: DiffusionTime,
                kind: Kind = .update, repeatIndex: Int = 0) {
        self.time = time
        self.step = step
        self.c1 = c1
        self.c2 = c2
        self.sd = sd
        self.noiseStep = noiseStep
        self.target = target
        self.kind = kind
        self.repeatIndex = repeatIndex
    }

    /// What a guidance rule reads of this step.
    public var context: StepContext { StepContext(time: time, target: target, c1: c1) }

    /// The step that re-noises this update's output back to its time: x ← (αₜ/α_{t−1})x + √(hₜ − (αₜ/α_{t−1})²h_{t−1}) z,
    /// the forward process from the target time (DDPM's √(1 − βₜ)x + √βₜ z).
    public func renoising(pass: Int) -> SamplerStep {
        let a = FaultHook.isActive(.recurrenceWithoutRenoise) ? 1 : time.alpha / target.alpha
        let variance = FaultHook.isActive(.recurrenceWithoutRenoise) ? 0 : max(0, time.h - a * a * target.h)
        return SamplerStep(time: time, step: step, c1: 0, c2: a, sd: variance.squareRoot(), noiseStep: variance > 0 ? (noiseStep ?? step) : nil,
                           target: target, kind: .renoise, repeatIndex: pass)
    }
}

/// A sampler's whole trajectory as coefficients: the steps in order, and, for samplers that stop
/// short of t = 0 (Euler–Maruyama), the time at which the last look-ahead estimate x̂₀ is returned.
public struct SamplerPlan: Sendable, Equatable {
    public let steps: [SamplerStep]
    /// When set, the output is x̂₀ at this time (network step `finalStep`) instead of the last x.
    public let finalDenoise: DiffusionTime?
    public let finalStep: Int

    public init(steps: [SamplerStep], finalDenoise: DiffusionTime? = nil, finalStep: Int = 0) {
        self.steps = steps
        self.finalDenoise = finalDenoise
        self.finalStep = finalStep
    }

    /// The plan with every update taken `passes` times, re-noised back to its time between passes (the
    /// time travel of FreeDoM, Universal Guidance's self-recurrence and TFG's N_recur). The first pass
    /// draws the plan's own noise, so one pass is the plan itself.
    public func recurring(_ passes: Int) -> SamplerPlan {
        guard passes > 1 else { return self }
        var expanded: [SamplerStep] = []
        expanded.reserveCapacity(steps.count * (2 * passes - 1))
        for s in steps {
            for pass in 0..<passes {
                expanded.append(SamplerStep(time: s.time, step: s.step, c1: s.c1, c2: s.c2, sd: s.sd, noiseStep: s.noiseStep, target: s.target,
                                            kind: s.kind, repeatIndex: pass))
                if pass < passes - 1 { expanded.append(s.renoising(pass: pass)) }
            }
        }
        return SamplerPlan(steps: expanded, finalDenoise: finalDenoise, finalStep: finalStep)
    }

    /// The plan as `guidance` runs it (with its recurrence).
    public func guided(by guidance: (any GuidanceTerm)?) -> SamplerPlan { recurring(guidance?.recurrence ?? 1) }
}

/// A sampler whose trajectory is a `SamplerPlan`: the driver can run it on any backend.
public protocol PlannedSampler: Sampler {
    var plan: SamplerPlan { get }
    /// Threads for the host noise fill.
    var threads: Int { get }
    /// The DDPM schedule when the plan is DDPM's (a learned network and fine-tuning need its integer steps).
    var discreteSchedule: NoiseSchedule? { get }
}

extension PlannedSampler {
    /// The whole trajectory of `count` draws on the host: x_T first, then x after each step of the plan
    /// (the last one the output, for a plan without a final x̂₀), from the same noise as `sample`. What an
    /// audit sets an external sampler's trajectory beside, step by step.
    public func trajectory(model: any ScoreModel, guidance: (any GuidanceTerm)?, count: Int, noise: SamplingNoise) throws -> [Matrix<Double>] {
        var states: [Matrix<Double>] = []
        states.reserveCapacity(plan.steps.count + 1)
        _ = try runOnHost(model: model, guidance: guidance, count: count, noise: noise, progress: nil, checked: true) { states.append($1) }
        return states
    }

    /// The plan on the host in `Double` (OpenBLAS, `threads` for the noise fill): what `sample` and
    /// `sampleChecked` of every planned sampler run.
    func runOnHost(model: any ScoreModel, guidance: (any GuidanceTerm)?, count: Int, noise: SamplingNoise,
                   progress: ((Int, Int) -> Void)?, checked: Bool, observe: ((Int, Matrix<Double>) -> Void)? = nil) throws -> Matrix<Double> {
        let backend = HostKernels<Double>(.openBLAS, threads: threads)
        return try SamplerDriver.run(plan.guided(by: guidance), denoiser: HostModelDenoiser(model: model, guidance: guidance, on: backend), on: backend, count: count,
                                     dimension: model.dimension, noise: noise, checked: checked, progress: progress, observe: observe)
    }
}

extension DDPMSampler: PlannedSampler {
    public var discreteSchedule: NoiseSchedule? { schedule }
}

extension ContinuousSampler: PlannedSampler {
    public var discreteSchedule: NoiseSchedule? { nil }
}

extension DDPMSampler {
    /// The DDPM trajectory t = T … 1: c₁, c₂ and β̃ from `coefficients(_:)`, noise √β̃ₜ·z for t > 1 and
    /// none at the last step.
    public var plan: SamplerPlan {
        let steps = stride(from: schedule.steps, through: 1, by: -1).map { t -> SamplerStep in
            let (c1, c2, v) = coefficients(t)
            let noisy = t > 1 || FaultHook.isActive(.noiseAtLastStep)
            let sd = (t > 1 ? (FaultHook.isActive(.noiseScaledByVariance) ? v : v.squareRoot()) : schedule.beta[1].squareRoot())
                * (1 + FaultHook.size(.noiseScale))
            return SamplerStep(time: schedule.time(t), step: t, c1: c1, c2: c2, sd: noisy ? sd : 0, noiseStep: noisy ? t : nil,
                               target: schedule.time(t - 1))
        }
        return SamplerPlan(steps: steps)
    }
}
