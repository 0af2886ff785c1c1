import LinearAlgebra

/// Universal Guidance (Bansal, Chu, Schwarzschild, Sengupta, Goldblum, Geiping and Goldstein,
/// "Universal Guidance for Diffusion Models", ICLR 2024 / arXiv 2302.07121, Algorithm 1), per step:
///
/// - forward guidance: ε̂ ← ε̂ + s·√(1 − ᾱₜ)∇_{xₜ}ℓ(x̂₀(xₜ)), i.e. x̂₀ ← x̂₀ + (h/α)·G with G = −s∇ₓℓ;
/// - backward guidance: Δ = argmin ℓ(x̂₀ + Δ) by m gradient steps of size κ from Δ = 0, folded back
///   into ε̂ ← ε̂ − √(ᾱₜ/(1 − ᾱₜ))Δ, i.e. x̂₀ ← x̂₀ + Δ with ε̂ consistent;
/// - self-recurrence: the step repeated k times, re-noised back to t between passes.
///
/// Both corrections keep ε̂ consistent with the corrected x̂₀ (`.denoised`: xₜ₋₁ gains c₁ times the
/// shift). The backward steps start from the forward-corrected x̂₀, as in the paper's algorithm. With a
/// quadratic loss every part is affine and the law is exact. Backward guidance moves x̂₀ along ∇ℓ
/// itself, so it leaves span(A) when ∇ℓ does.
public struct UniversalGuidance: AffineGuidanceTerm {
    public let loss: any GuidanceLoss
    /// s, the forward guidance's strength (0: none).
    public let forwardStrength: Double
    /// m, the backward guidance's gradient steps (0: none).
    public let backwardSteps: Int
    /// κ, the backward guidance's step size.
    public let backwardStepSize: Double
    /// k, passes per step.
    public let recurrence: Int

    public init(loss: any GuidanceLoss, forwardStrength: Double, backwardSteps: Int = 0, backwardStepSize: Double = 0, recurrence: Int = 1) throws {
        try GuidanceMethodLimits.checkStep(forwardStrength, "Universal Guidance's forward strength s")
        try GuidanceMethodLimits.checkStep(backwardStepSize, "Universal Guidance's backward step size κ")
        try GuidanceMethodLimits.checkInnerSteps(backwardSteps, "Universal Guidance's backward steps m")
        try GuidanceMethodLimits.checkRecurrence(recurrence)
        self.loss = loss
        self.forwardStrength = forwardStrength
        self.backwardSteps = backwardSteps
        self.backwardStepSize = backwardStepSize
        self.recurrence = recurrence
    }

    public var placement: GuidancePlacement { .denoised }
    public var hasExactLaw: Bool { loss.affineGradient(row: 0) != nil }

    /// The shift of x̂₀: (h/α)(−s∇ₓℓ) + Δ.
    public func term(model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>, time: DiffusionTime) -> Matrix<Double> {
        var shift = Matrix<Double>(rows: x.rows, columns: x.columns)
        if forwardStrength != 0 {
            shift.add(DenoisedGradientSteps.throughModel(loss: loss, model: model, x: x, denoised: denoised, time: time),
                      scaledBy: -forwardStrength * time.h / time.alpha)
        }
        if backwardSteps > 0 {
            shift.add(DenoisedGradientSteps.inDenoisedSpace(loss: loss, from: denoised + shift, steps: backwardSteps, stepSize: backwardStepSize,
                                                            projection: nil))
        }
        return shift
    }

    public func affineTerm(jacobian j: Matrix<Double>, offset c: [Double], time: DiffusionTime, row: Int) -> (linear: Matrix<Double>, constant: [Double]) {
        let D = j.rows
        var linear = Matrix<Double>(rows: D, columns: D)
        var constant = [Double](repeating: 0, count: D)
        if forwardStrength != 0 {
            let (l, k) = DenoisedGradientSteps.throughModelAffine(loss: loss, row: row, jacobian: j, offset: c)
            let a = -forwardStrength * time.h / time.alpha
            linear.add(l, scaledBy: a)
            constant = Vectors.scale(k, by: a)
        }
        if backwardSteps > 0 {
            let (p, q) = DenoisedGradientSteps.inDenoisedSpaceAffine(loss: loss, row: row, jacobian: j + linear, offset: Vectors.add(c, constant),
                                                                     steps: backwardSteps, stepSize: backwardStepSize, projection: nil)
            linear.add(p)
            constant = Vectors.add(constant, q)
        }
        return (linear, constant)
    }
}
