import FaultInjection
import LinearAlgebra

/// TFG, the unified training-free guidance of Ye, Lin, Bai, Ying, Yang, Du, Liu, Xu, Ermon and Wang
/// ("TFG: Unified Training-Free Guidance for Diffusion Models", NeurIPS 2024, Algorithm 1), with the
/// paper's names and symbols. For each step t, N_recur times:
///
///   x̂₀ = the model's estimate at xₜ;
///   Δₜ = ρₜ ∇_{xₜ} log f̃(x̂₀(xₜ))                          (variance guidance, through the model);
///   Δ₀ = N_iter steps Δ₀ ← Δ₀ + μₜ ∇ log f̃(x̂₀ + Δ₀)       (mean guidance, in x̂₀-space);
///   xₜ₋₁ = the sampler's step from x̂₀ (ε̂ the model's) + Δₜ/√αₜ + √ᾱₜ₋₁ Δ₀,  αₜ = ᾱₜ/ᾱₜ₋₁;
///   xₜ = √αₜ xₜ₋₁ + √(1 − αₜ) z between passes (recurrence),
///
/// with log f = −ℓ for a `GuidanceLoss` ℓ and f̃ its implicit-dynamics smoothing, f̃(x) = E f(x + γδ),
/// δ ~ N(0, I) (closed form here, the limit of the code's Monte Carlo average; quadratic losses only).
/// ρₜ and μₜ are ρ·sₜ and μ·sₜ with sₜ ∈ {1, αₜ, 1 − αₜ} (`Schedule`), per step and without the
/// code's rescaling to mean 1 over the schedule, or any per-step rule (`Strength.perStep`), which the
/// presets use to reproduce DPS, FreeDoM, MPGD and Universal Guidance as TFG settings.
public struct TrainingFreeGuidance: AffineGuidanceTerm {
    /// TFG's schedules of ρₜ and μₜ.
    public enum Schedule: String, Sendable, Codable, CaseIterable {
        case constant
        /// sₜ = αₜ = ᾱₜ/ᾱₜ₋₁.
        case increase
        /// sₜ = 1 − αₜ = βₜ.
        case decrease
    }

    /// ρₜ or μₜ of a step.
    public enum Strength: Sendable {
        case scheduled(Double, Schedule)
        case perStep(@Sendable (StepContext) -> Double)

        public func value(in context: StepContext) -> Double {
            switch self {
            case let .scheduled(v, .constant): return v
            case let .scheduled(v, .increase): return v * context.stepAlphaSquared
            case let .scheduled(v, .decrease): return v * (1 - context.stepAlphaSquared)
            case let .perStep(f): return f(context)
            }
        }

        public static let zero = Strength.scheduled(0, .constant)
    }

    public let loss: any GuidanceLoss
    /// ℓ̃, the smoothed loss (ℓ when γ = 0).
    let smoothedLoss: any GuidanceLoss
    public let rho: Strength
    public let mu: Strength
    /// γ of the implicit dynamics.
    public let gamma: Double
    /// N_recur.
    public let recurrence: Int
    /// N_iter.
    public let iterations: Int

    public init(loss: any GuidanceLoss, rho: Strength = .zero, mu: Strength = .zero, gamma: Double = 0, recurrence: Int = 1,
                iterations: Int = 0) throws {
        for case let .scheduled(v, _) in [rho, mu] { try GuidanceMethodLimits.checkStep(v, "TFG's ρ and μ") }
        try GuidanceMethodLimits.checkRecurrence(recurrence)
        try GuidanceMethodLimits.checkInnerSteps(iterations, "TFG's N_iter")
        self.loss = loss
        self.smoothedLoss = try loss.smoothed(by: gamma)
        self.rho = rho
        self.mu = mu
        self.gamma = gamma
        self.recurrence = recurrence
        self.iterations = iterations
    }

    public var hasExactLaw: Bool { loss.affineGradient(row: 0) != nil }

    /// The two weights on x̂₀ of Δₜ and Δ₀ in a step with weight c₁ on x̂₀: 1/(√αₜ c₁) and √ᾱₜ₋₁/c₁.
    func weights(_ context: StepContext) -> (variance: Double, mean: Double) {
        let meanWeight = FaultHook.isActive(.meanGuidanceWeightConsistent) ? 1 : context.target.alpha / context.c1
        return (1 / (context.stepAlphaSquared.squareRoot() * context.c1), meanWeight)
    }

    /// Δₜ (in xₜ₋₁ units) and Δ₀ (in x̂₀ units) at a step.
    func corrections(model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>, context: StepContext) -> (Matrix<Double>?, Matrix<Double>?) {
        let rhoT = rho.value(in: context), muT = mu.value(in: context)
        let deltaT = rhoT == 0 ? nil
            : (-rhoT) * DenoisedGradientSteps.throughModel(loss: smoothedLoss, model: model, x: x, denoised: denoised, time: context.time)
        let delta0 = muT == 0 || iterations == 0 ? nil
            : DenoisedGradientSteps.inDenoisedSpace(loss: smoothedLoss, from: denoised, steps: iterations, stepSize: muT, projection: nil)
        return (deltaT, delta0)
    }

    public func guidedDenoise(model: any ScoreModel, x: Matrix<Double>, context: StepContext) -> Matrix<Double> {
        var x0 = model.denoise(x, at: context.time)
        let (deltaT, delta0) = corrections(model: model, x: x, denoised: x0, context: context)
        let (wv, wm) = weights(context)
        if let deltaT { x0.add(deltaT, scaledBy: wv) }
        if let delta0 { x0.add(delta0, scaledBy: wm) }
        return x0
    }

    /// Δₜ + αₜΔ₀ at `time`, the shift of a step that lands where it starts (c₁ = 1, no αₜ between):
    /// TFG places its two corrections at different points of a step, so samplers and the exact law read
    /// it through `guidedDenoise` and `affineShift`, which see the step.
    public func term(model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>, time: DiffusionTime) -> Matrix<Double> {
        guidedDenoise(model: model, x: x, context: StepContext(time: time, target: time, c1: 1)) - denoised
    }

    public func affineTerm(jacobian j: Matrix<Double>, offset c: [Double], time: DiffusionTime, row: Int) -> (linear: Matrix<Double>, constant: [Double]) {
        affineShift(jacobian: j, offset: c, context: StepContext(time: time, target: time, c1: 1), row: row)
    }

    public func affineShift(jacobian j: Matrix<Double>, offset c: [Double], context: StepContext, row: Int) -> (linear: Matrix<Double>, constant: [Double]) {
        let D = j.rows
        var linear = Matrix<Double>(rows: D, columns: D)
        var constant = [Double](repeating: 0, count: D)
        let (wv, wm) = weights(context)
        let rhoT = rho.value(in: context), muT = mu.value(in: context)
        if rhoT != 0 {
            let (l, k) = DenoisedGradientSteps.throughModelAffine(loss: smoothedLoss, row: row, jacobian: j, offset: c)
            linear.add(l, scaledBy: -rhoT * wv)
            constant = Vectors.add(constant, k, scaledBy: -rhoT * wv)
        }
        if muT != 0 && iterations > 0 {
            let (p, q) = DenoisedGradientSteps.inDenoisedSpaceAffine(loss: smoothedLoss, row: row, jacobian: j, offset: c, steps: iterations,
                                                                     stepSize: muT, projection: nil)
            linear.add(p, scaledBy: wm)
            constant = Vectors.add(constant, q, scaledBy: wm)
        }
        return (linear, constant)
    }
}

extension TrainingFreeGuidance {
    /// DPS (unnormalised, step ζ) as a TFG setting: N_recur = 1, N_iter = 0, ρₜ = ζ√αₜ (TFG divides Δₜ by √αₜ).
    public static func dps(loss: any GuidanceLoss, zeta: Double) throws -> TrainingFreeGuidance {
        try TrainingFreeGuidance(loss: loss, rho: .perStep { zeta * $0.stepAlphaSquared.squareRoot() })
    }

    /// FreeDoM (ρ, r passes) as a TFG setting: N_recur = r, ρₜ = ρ√αₜ.
    public static func freedom(energy: any GuidanceLoss, rho: Double, recurrence: Int) throws -> TrainingFreeGuidance {
        try TrainingFreeGuidance(loss: energy, rho: .perStep { rho * $0.stepAlphaSquared.squareRoot() }, recurrence: recurrence)
    }

    /// MPGD w/o projection (step c, m steps) as a TFG setting: ρ = 0, μ = c, N_iter = m.
    public static func mpgd(loss: any GuidanceLoss, stepSize: Double, steps: Int) throws -> TrainingFreeGuidance {
        try TrainingFreeGuidance(loss: loss, mu: .scheduled(stepSize, .constant), iterations: steps)
    }

    /// Universal Guidance as a TFG setting, where one exists: forward guidance alone (ρₜ = s·c₁(h/α)√αₜ),
    /// or backward guidance with one step alone (μₜ = κc₁/√ᾱₜ₋₁, N_iter = 1), with its recurrence.
    /// Universal Guidance corrects ε̂ with x̂₀ (weight c₁) where TFG keeps ε̂ (weight √ᾱₜ₋₁), so m > 1
    /// backward steps, or both kinds at once (its backward steps start from the forward-shifted x̂₀), are
    /// no TFG setting: that is refused, naming why.
    public static func universal(loss: any GuidanceLoss, forwardStrength s: Double, backwardSteps m: Int, backwardStepSize kappa: Double,
                                 recurrence: Int) throws -> TrainingFreeGuidance {
        let forward = s != 0, backward = m > 0 && kappa != 0
        if forward && backward {
            throw GuidanceError.unsupported("Universal Guidance with both forward and backward guidance is no TFG setting: its backward steps start from the forward-shifted x̂₀, TFG's mean guidance from the model's")
        }
        if backward && m > 1 {
            throw GuidanceError.unsupported("Universal Guidance with m = \(m) > 1 backward steps is no TFG setting: it weights Δ by c₁ (ε̂ recomputed), TFG by √ᾱₜ₋₁ (ε̂ kept), and m steps are not linear in their step size")
        }
        if forward {
            return try TrainingFreeGuidance(loss: loss, rho: .perStep { s * $0.c1 * $0.time.h / $0.time.alpha * $0.stepAlphaSquared.squareRoot() },
                                            recurrence: recurrence)
        }
        return try TrainingFreeGuidance(loss: loss, mu: .perStep { kappa * $0.c1 / $0.target.alpha }, recurrence: recurrence, iterations: backward ? 1 : 0)
    }
}
