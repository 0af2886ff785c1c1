import LinearAlgebra
import FaultInjection

/// A Gaussian law N(mean, covariance) on R^D.
public struct GaussianLaw: Sendable, Equatable {
    public let mean: [Double]
    public let covariance: Matrix<Double>
    public init(mean: [Double], covariance: Matrix<Double>) {
        self.mean = mean
        self.covariance = covariance
    }
}

/// What one DDPM step does, as the exact law reads it: x̂₀ at `time` (with `guidance`, for sample
/// `row`), then xₜ₋₁ = c₁x̂₀ + c₂xₜ + z with z ~ N(0, `variance`·I).
///
/// The sampler's own steps come from `DDPMSampler.lawStep(_:)`; an audit builds other conventions'
/// steps (ᾱ read one index off, β doubled, noise at the last step) from the same parts.
public struct LawStep: Sendable {
    public let step: Int
    public let time: DiffusionTime
    /// The time the step lands at (where a guidance rule may place its correction, and where its
    /// recurrence re-noises from).
    public let target: DiffusionTime
    public let c1: Double
    public let c2: Double
    public let variance: Double
    public let guidance: (any AffineGuidanceTerm)?

    public init(step: Int, time: DiffusionTime, target: DiffusionTime, c1: Double, c2: Double, variance: Double, guidance: (any AffineGuidanceTerm)?) {
        self.step = step
        self.time = time
        self.target = target
        self.c1 = c1
        self.c2 = c2
        self.variance = variance
        self.guidance = guidance
    }
}

/// One DDPM step of an affine score model with affine guidance, written out: xₜ₋₁ = F xₜ + f + √v z.
public struct AffineStep: Sendable {
    public let step: Int
    /// F (D×D).
    public let map: Matrix<Double>
    /// f (D).
    public let offset: [Double]
    /// v, the variance of each coordinate of the step's noise (0 for a noiseless step).
    public let variance: Double

    public init(step: Int, map: Matrix<Double>, offset: [Double], variance: Double) {
        self.step = step
        self.map = map
        self.offset = offset
        self.variance = variance
    }

    /// F x + f + √v z for a batch (rows), z the same shape (nil: no noise).
    public func apply(_ x: Matrix<Double>, noise z: Matrix<Double>?) -> Matrix<Double> {
        var out = x.matmul(map, transposeOther: true)
        out.addToEachRow(offset)
        if let z, variance > 0 { out.add(z, scaledBy: variance.squareRoot()) }
        return out
    }
}

/// The exact output law of the DDPM sampler (or DDIM, any `AffineStepSampler`) for an affine score model
/// (Gaussian, exact or fitted) and affine guidance (SPEC §5). Every step is xₜ₋₁ = Fₜxₜ + fₜ + √β̃ₜ z, so from x_T ~ N(0, I) the mean
/// and covariance propagate as m ← Fm + f, C ← FCFᵀ + β̃I — no sampling. This separates the
/// discretisation error (a deterministic function of T) from the sampling error, and gives the
/// sampler's own draws a law to be tested against.
public enum DDPMExactLaw {
    /// The law of the output of sample `row` (its guidance parameters) under `sampler` (DDPM or DDIM).
    public static func output(sampler: any AffineStepSampler, model: any AffineScoreModel,
                              guidance: (any AffineGuidanceTerm)?, row: Int = 0) -> GaussianLaw {
        propagate(steps(sampler: sampler, model: model, guidance: guidance, row: row), dimension: model.dimension)
    }

    /// The sampler's steps, in sampling order, as affine maps: with a recurring guidance rule, each step
    /// `recurrence` times with the forward process's re-noising between passes.
    public static func steps(sampler: any AffineStepSampler, model: any AffineScoreModel, guidance: (any AffineGuidanceTerm)?, row: Int = 0) -> [AffineStep] {
        let passes = max(1, guidance?.recurrence ?? 1)
        return sampler.lawSteps(guidance: guidance).flatMap { s -> [AffineStep] in
            let update = affineStep(s, model: model, row: row)
            guard passes > 1 else { return [update] }
            let back = renoise(from: s.target, to: s.time, dimension: model.dimension, step: s.step)
            return (0..<passes).flatMap { pass in pass < passes - 1 ? [update, back] : [update] }
        }
    }

    /// The forward process from `target` back to `time`: x ← (αₜ/α_s)x + √(hₜ − (αₜ/α_s)²h_s) z.
    public static func renoise(from target: DiffusionTime, to time: DiffusionTime, dimension D: Int, step: Int) -> AffineStep {
        let ratio = time.alpha / target.alpha
        var map = Matrix<Double>(rows: D, columns: D)
        for i in 0..<D { map[i, i] = ratio }
        return AffineStep(step: step, map: map, offset: [Double](repeating: 0, count: D), variance: max(0, time.h - ratio * ratio * target.h))
    }

    /// F and f of one step: x̂₀ = Jx + c, plus the guidance rule's shift of x̂₀ at its placement
    /// (Γx + γ; (h/α)G for the paper's rules), then c₁x̂₀ + c₂x.
    public static func affineStep(_ s: LawStep, model: any AffineScoreModel, row: Int = 0) -> AffineStep {
        let D = model.dimension
        var (j, c) = model.affineDenoiser(at: s.time)
        if let guidance = s.guidance {
            let (gamma, g0) = guidance.affineShift(jacobian: j, offset: c, context: StepContext(time: s.time, target: s.target, c1: s.c1), row: row)
            j.add(gamma, scaledBy: 1)
            c = Vectors.add(c, g0, scaledBy: 1)
        }
        var f = s.c1 * j
        for i in 0..<D { f[i, i] += s.c2 }
        return AffineStep(step: s.step, map: f, offset: Vectors.scale(c, by: s.c1), variance: s.variance)
    }

    /// The law after `steps` (in order) from x_T ~ N(0, I).
    public static func propagate(_ steps: [AffineStep], dimension D: Int) -> GaussianLaw {
        var mean = [Double](repeating: 0, count: D)
        var cov = Matrix<Double>.identity(D)
        for s in steps {
            mean = Vectors.add(s.map.times(mean), s.offset)
            cov = s.map.matmul(cov).matmul(s.map, transposeOther: true)
            if s.variance > 0 && !FaultHook.isActive(.exactLawMissingNoise) { for i in 0..<D { cov[i, i] += s.variance } }
            cov = cov.symmetrized
        }
        return GaussianLaw(mean: mean, covariance: cov)
    }
}

extension DDPMSampler {
    /// Step t as the exact law reads it: `coefficients(t)`, the schedule's time, β̃ₜ as the noise's
    /// variance and none at the last step.
    public func lawStep(_ t: Int, guidance: (any AffineGuidanceTerm)?) -> LawStep {
        let (c1, c2, v) = coefficients(t)
        return LawStep(step: t, time: schedule.time(t), target: schedule.time(t - 1), c1: c1, c2: c2, variance: t > 1 ? v : 0, guidance: guidance)
    }
}
