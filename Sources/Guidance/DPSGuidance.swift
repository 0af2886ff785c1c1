import FaultInjection
import LinearAlgebra

/// Diffusion Posterior Sampling (Chung, Kim, McCann, Klasky and Ye, "Diffusion Posterior Sampling for
/// General Noisy Inverse Problems", ICLR 2023, Algorithm 1): after the sampler's step,
///
///   xₜ₋₁ ← xₜ₋₁ − ζₜ ∇_{xₜ} ℓ(x̂₀(xₜ)),   ℓ = ‖y − A(x̂₀)‖² (here any `GuidanceLoss`),
///
/// the gradient taken through the model (one VJP). The paper's experiments normalise the step,
/// ζₜ = ζ/‖y − A(x̂₀)‖ = ζ/√ℓ (`.normalized`), which is not affine in x; the unnormalised rule
/// (`.constant`) is, and has an exact law under a Gaussian score. Because the VJP of a subspace score
/// maps into span(A), DPS keeps span(A) exactly as G_loss does (Theorem 1's mechanism).
public struct DPSGuidance: AffineGuidanceTerm {
    public enum StepRule: String, Sendable, Codable, CaseIterable {
        /// ζₜ = ζ/√ℓ(x̂₀), the paper's.
        case normalized
        /// ζₜ = ζ.
        case constant
    }

    public let loss: any GuidanceLoss
    public let zeta: Double
    public let rule: StepRule

    public init(loss: any GuidanceLoss, zeta: Double, rule: StepRule = .normalized) throws {
        guard zeta.isFinite, zeta >= 0 else { throw GuidanceError.invalidParameter("DPS's step ζ must be finite and ≥ 0, got \(zeta)") }
        self.loss = loss
        self.zeta = zeta
        self.rule = rule
    }

    public var placement: GuidancePlacement { .sample }
    public var hasExactLaw: Bool { rule == .constant && loss.affineGradient(row: 0) != nil }

    /// −ζₜ∇ₓℓ(x̂₀(x)), added to xₜ₋₁.
    public func term(model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>, time: DiffusionTime) -> Matrix<Double> {
        var cotangent = loss.gradients(denoised)
        if rule == .normalized {
            cotangent.scaleRows(by: loss.values(denoised).map { $0 > 0 ? 1 / $0.squareRoot() : 0 })
        }
        let grad = FaultHook.isActive(.dpsGradientAtDenoised) ? cotangent : model.denoiseVJP(x, at: time, cotangent: cotangent)
        return (-zeta) * grad
    }

    public func affineTerm(jacobian j: Matrix<Double>, offset c: [Double], time: DiffusionTime, row: Int) -> (linear: Matrix<Double>, constant: [Double]) {
        precondition(rule == .constant, "normalised DPS is not affine in x: it has no exact law")
        if FaultHook.isActive(.dpsGradientAtDenoised) {
            let (h, b) = DenoisedGradientSteps.affineGradient(loss, row: row)
            return ((-zeta) * h.matmul(j), Vectors.scale(Vectors.add(h.times(c), b), by: -zeta))
        }
        let (l, k) = DenoisedGradientSteps.throughModelAffine(loss: loss, row: row, jacobian: j, offset: c)
        return ((-zeta) * l, Vectors.scale(k, by: -zeta))
    }
}
