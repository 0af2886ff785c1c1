import LinearAlgebra

/// FreeDoM (Yu, Wang, Zhao, Shan and Zhang, "FreeDoM: Training-Free Energy-Guided Conditional
/// Diffusion Model", ICCV 2023, Algorithm 1): the energy's gradient through x̂₀ corrects the sampler's
/// step, xₜ₋₁ ← xₜ₋₁ − ρₜ∇_{xₜ}E(x̂₀(xₜ)), and each step is repeated r times with time travel between
/// passes: the forward process from t − 1 back to t, xₜ = √(1 − βₜ)xₜ₋₁ + √βₜ z.
///
/// E is any `GuidanceLoss`; ρₜ = ρ is constant (FreeDoM's code rescales it per task). The step is
/// affine, so with the re-noising (itself affine plus noise) the law is exact under a Gaussian score.
public struct FreeDoMGuidance: AffineGuidanceTerm {
    public let energy: any GuidanceLoss
    public let rho: Double
    public let recurrence: Int

    public init(energy: any GuidanceLoss, rho: Double, recurrence: Int = 1) throws {
        guard rho.isFinite, rho >= 0 else { throw GuidanceError.invalidParameter("FreeDoM's ρ must be finite and ≥ 0, got \(rho)") }
        try GuidanceMethodLimits.checkRecurrence(recurrence)
        self.energy = energy
        self.rho = rho
        self.recurrence = recurrence
    }

    public var placement: GuidancePlacement { .sample }
    public var hasExactLaw: Bool { energy.affineGradient(row: 0) != nil }

    /// −ρ∇ₓE(x̂₀(x)), added to xₜ₋₁.
    public func term(model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>, time: DiffusionTime) -> Matrix<Double> {
        (-rho) * model.denoiseVJP(x, at: time, cotangent: energy.gradients(denoised))
    }

    public func affineTerm(jacobian j: Matrix<Double>, offset c: [Double], time: DiffusionTime, row: Int) -> (linear: Matrix<Double>, constant: [Double]) {
        let (l, k) = DenoisedGradientSteps.throughModelAffine(loss: energy, row: row, jacobian: j, offset: c)
        return ((-rho) * l, Vectors.scale(k, by: -rho))
    }
}

/// The bounds every method checks its settings against.
enum GuidanceMethodLimits {
    /// Passes per step (the noise streams key a pass in 11 bits).
    static let maximumRecurrence = 1000
    /// Inner gradient steps in x̂₀-space.
    static let maximumInnerSteps = 10_000

    static func checkRecurrence(_ r: Int) throws {
        guard r >= 1, r <= maximumRecurrence else {
            throw GuidanceError.invalidParameter("the recurrence (passes per step) must lie in 1 … \(maximumRecurrence), got \(r)")
        }
    }

    static func checkInnerSteps(_ m: Int, _ what: String) throws {
        guard m >= 0, m <= maximumInnerSteps else {
            throw GuidanceError.invalidParameter("\(what) must lie in 0 … \(maximumInnerSteps), got \(m)")
        }
    }

    static func checkStep(_ v: Double, _ what: String) throws {
        guard v.isFinite, v >= 0 else { throw GuidanceError.invalidParameter("\(what) must be finite and ≥ 0, got \(v)") }
    }
}
