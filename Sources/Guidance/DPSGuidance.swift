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
///
/// `.posterior(sigma:)` is the step DPS derives from the posterior it targets, p(x₀ | y) for the
/// observation y = A(x₀) + N(0, σ²) with ℓ = ‖y − A(x)‖²: ∇ₓ log p(y | xₜ) ≈ ∇ₓ log p(y | x̂₀) = −∇ₓℓ/(2σ²),
/// added to the score (ζₜ = c₁hₜ/(2σ²αₜ) = βₜ/(2σ²√(1 − βₜ)) on xₜ₋₁ for DDPM). With A = gᵀ that is
/// G_loss with the constant β = 1/(2σ²), where Lemma 1's β = 1/(2(σ² + hₜgᵀv/αₜ)) accounts for the
/// spread of x₀ given xₜ: the catalog's M6 measures how far DPS's law stays from Lemma 3's posterior.
public struct DPSGuidance: AffineGuidanceTerm {
    public enum StepRule: Sendable, Codable, Equatable {
        /// ζₜ = ζ/√ℓ(x̂₀), the paper's.
        case normalized
        /// ζₜ = ζ.
        case constant
        /// The score correction −∇ₓℓ/(2σ²) of the posterior p(x₀ | y) with noise σ (ζ is then a multiplier).
        case posterior(sigma: Double)

        public static let allCases: [StepRule] = [.normalized, .constant, .posterior(sigma: 0.5)]
    }

    public let loss: any GuidanceLoss
    public let zeta: Double
    public let rule: StepRule

    public init(loss: any GuidanceLoss, zeta: Double, rule: StepRule = .normalized) throws {
        guard zeta.isFinite, zeta >= 0 else { throw GuidanceError.invalidParameter("DPS's step ζ must be finite and ≥ 0, got \(zeta)") }
        if case let .posterior(sigma) = rule, !(sigma > 0 && sigma.isFinite) {
            throw GuidanceError.invalidParameter("DPS's observation noise σ must be positive and finite, got \(sigma)")
        }
        self.loss = loss
        self.zeta = zeta
        self.rule = rule
    }

    /// On xₜ₋₁ (`.sample`), or on the score for the posterior step.
    public var placement: GuidancePlacement {
        if case .posterior = rule { return .score }
        return .sample
    }

    public var hasExactLaw: Bool { rule != .normalized && loss.affineGradient(row: 0) != nil }

    /// The factor on −∇ₓℓ(x̂₀(x)): ζ, or ζ/(2σ²) for the posterior step.
    var factor: Double {
        if case let .posterior(sigma) = rule { return zeta / (2 * sigma * sigma) }
        return zeta
    }

    /// −ζₜ∇ₓℓ(x̂₀(x)), added to xₜ₋₁ (the posterior rule: −ζ∇ₓℓ/(2σ²), added to the score).
    public func term(model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>, time: DiffusionTime) -> Matrix<Double> {
        var cotangent = loss.gradients(denoised)
        if rule == .normalized {
            cotangent.scaleRows(by: loss.values(denoised).map { $0 > 0 ? 1 / $0.squareRoot() : 0 })
        }
        let grad = FaultHook.isActive(.dpsGradientAtDenoised) ? cotangent : model.denoiseVJP(x, at: time, cotangent: cotangent)
        return (-factor) * grad
    }

    public func affineTerm(jacobian j: Matrix<Double>, offset c: [Double], time: DiffusionTime, row: Int) -> (linear: Matrix<Double>, constant: [Double]) {
        precondition(rule != .normalized, "normalised DPS is not affine in x: it has no exact law")
        if FaultHook.isActive(.dpsGradientAtDenoised) {
            let (h, b) = DenoisedGradientSteps.affineGradient(loss, row: row)
            return ((-factor) * h.matmul(j), Vectors.scale(Vectors.add(h.times(c), b), by: -factor))
        }
        let (l, k) = DenoisedGradientSteps.throughModelAffine(loss: loss, row: row, jacobian: j, offset: c)
        return ((-factor) * l, Vectors.scale(k, by: -factor))
    }
}
