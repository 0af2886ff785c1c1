import FaultInjection

/// The strength βₜ of the look-ahead guidance (a compute-level formula: the host kernels, the CUDA
/// source and G_loss on the host all read it here or in its one CUDA twin, `ggd_beta`) G_loss = 2βₜ(y − gᵀx̂₀)(∂x̂₀/∂x)ᵀg (SPEC §4), given
/// v = (∂x̂₀/∂x)ᵀg.
public enum BetaRule: Sendable, Equatable, Codable {
    /// The reference code's rule, βₜ = (αₜ²/2)/(αₜ²σ² + hₜ‖v‖²) (the default, σ = 0.1).
    case code(sigma: Double)
    /// Lemma 1's rule, βₜ = 1/(2σ_y²) with σ_y² = σ² + gᵀCov(x₀|xₜ)g and Cov(x₀|xₜ) = (hₜ/αₜ)∂x̂₀/∂x
    /// (second-order Tweedie), so σ_y² = σ² + (hₜ/αₜ)gᵀv. With a Gaussian score this makes G_loss the
    /// exact ∇ log pₜ(y | x) and Lemma 3 hold; it equals the code's rule when Σ̄ is a projector.
    case theory(sigma: Double)
    /// A constant β.
    case constant(Double)

    /// βₜ for one sample.
    @inlinable
    public func beta(alpha: Double, h: Double, gDotV: Double, vNormSquared: Double) -> Double {
        let scale = 1 + FaultHook.size(.betaScale)
        return scale == 1 ? unscaledBeta(alpha: alpha, h: h, gDotV: gDotV, vNormSquared: vNormSquared)
            : scale * unscaledBeta(alpha: alpha, h: h, gDotV: gDotV, vNormSquared: vNormSquared)
    }

    @inlinable
    func unscaledBeta(alpha: Double, h: Double, gDotV: Double, vNormSquared: Double) -> Double {
        switch self {
        case let .code(sigma):
            let a2 = FaultHook.isActive(.codeBetaMissingAlphaSquared) ? 1 : alpha * alpha
            return (alpha * alpha / 2) / (a2 * sigma * sigma + h * vNormSquared)
        case let .theory(sigma):
            return 1 / (2 * (sigma * sigma + (FaultHook.isActive(.theoryBetaMissingInverseAlpha) ? h : h / alpha) * gDotV))
        case let .constant(b): return b
        }
    }

    public var name: String {
        switch self {
        case .code: return "code"
        case .theory: return "theory"
        case .constant: return "constant"
        }
    }

    /// The rule as the device kernels take it: a code (0: code, 1: theory, 2: constant) and its
    /// parameter (σ or β). The CUDA source's `ggd_beta` reads the same three formulas.
    public var kernelEncoding: (rule: Int32, parameter: Double) {
        switch self {
        case let .code(sigma): return (0, sigma)
        case let .theory(sigma): return (1, sigma)
        case let .constant(b): return (2, b)
        }
    }
}
