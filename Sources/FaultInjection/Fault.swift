/// A deliberate, plausible bug in the reference implementation, for mutation testing (`ggd mutants`):
/// each one is a mistake a careful person could make while implementing the paper, and the catalog of
/// properties should catch it. Faults are switched on only through `FaultHook` (see there).
public enum Fault: String, CaseIterable, Sendable, Codable {
    // Randomness and the noise schedule.
    case philoxCounterReused = "philox-counter-reused"
    case scheduleClippedLow = "schedule-clipped-low"
    // The DDPM step.
    case alphaBarOffByOne = "alpha-bar-off-by-one"
    case c2MissingSquareRoot = "c2-missing-square-root"
    case varianceUndamped = "variance-undamped"
    case noiseAtLastStep = "noise-at-last-step"
    case noiseScaledByVariance = "noise-scaled-by-variance"
    case ddimC2MissingSquareRoot = "ddim-c2-missing-square-root"
    case guidanceShiftMissingH = "guidance-shift-missing-h"
    case exactLawMissingNoise = "exact-law-missing-noise"
    // Score models.
    case denoiseMissingInverseAlpha = "denoise-missing-inverse-alpha"
    case jacobianEigenvaluesSquared = "jacobian-eigenvalues-squared"
    case mixtureVJPTransposed = "mixture-vjp-transposed"
    case mixtureVJPMissingCrossTerm = "mixture-vjp-missing-cross-term"
    case withMeanIgnored = "with-mean-ignored"
    // Guidance.
    case gLossSignFlipped = "gloss-sign-flipped"
    case gLossWithoutJacobian = "gloss-without-jacobian"
    case naiveInPlaceOfLookahead = "naive-in-place-of-lookahead"
    case codeBetaMissingAlphaSquared = "code-beta-missing-alpha-squared"
    case theoryBetaMissingInverseAlpha = "theory-beta-missing-inverse-alpha"
    case naiveStrengthSignFlipped = "naive-strength-sign-flipped"
    case naiveGradientAtDenoised = "naive-gradient-at-denoised"
    // The algorithms' theory presets.
    case algorithm1StepDoubled = "algorithm1-step-doubled"
    case algorithm2LambdaConstant = "algorithm2-lambda-constant"
    case theorySpreadMissingSigma = "theory-spread-missing-sigma"
    case theoryAnchorNotRefit = "theory-anchor-not-refit"
    // The compute layer's optimiser (training and fine-tuning on every backend).
    case adamBiasCorrectionMissing = "adam-bias-correction-missing"
    // Training-free guidance methods.
    case recurrenceWithoutRenoise = "recurrence-without-renoise"
    case dpsGradientAtDenoised = "dps-gradient-at-denoised"
    case mpgdProjectionSkipped = "mpgd-projection-skipped"
    case meanGuidanceWeightConsistent = "mean-guidance-weight-consistent"
    case backwardGuidanceAscends = "backward-guidance-ascends"

    /// What is wrong, in a few words.
    public var summary: String {
        switch self {
        case .philoxCounterReused: return "every DDPM step draws the same noise (the step is left out of the Philox key)"
        case .scheduleClippedLow: return "cosine βₜ clipped at 0.02 instead of 0.999"
        case .alphaBarOffByOne: return "c₁ uses ᾱₜ where ᾱₜ₋₁ belongs"
        case .c2MissingSquareRoot: return "c₂ = (1 − ᾱₜ₋₁)(1 − βₜ)/(1 − ᾱₜ), the square root of 1 − βₜ missing"
        case .varianceUndamped: return "the step's variance is βₜ instead of β̃ₜ = βₜ(1 − ᾱₜ₋₁)/(1 − ᾱₜ)"
        case .noiseAtLastStep: return "noise added at the last step too"
        case .noiseScaledByVariance: return "noise scaled by β̃ₜ instead of √β̃ₜ"
        case .guidanceShiftMissingH: return "the sampler shifts x̂₀ by G/α instead of (h/α)G"
        case .exactLawMissingNoise: return "the exact law's covariance leaves out the step noise β̃ₜI"
        case .ddimC2MissingSquareRoot: return "DDIM's ε̂ weight is (1 − ᾱₜ₋₁ − σ²)/√(1 − ᾱₜ), the square root of the numerator missing"
        case .denoiseMissingInverseAlpha: return "x̂₀ = x + h·s without the 1/α"
        case .jacobianEigenvaluesSquared: return "the Gaussian VJP scales by φ² instead of φ = αλ/(α²λ + h)"
        case .mixtureVJPTransposed: return "the mixture VJP's cross term transposed: Σ wₖ gᵀ(sₖ − s) x̂₀,ₖ"
        case .mixtureVJPMissingCrossTerm: return "the mixture VJP leaves out the responsibilities' derivative, Σ (gᵀx̂₀,ₖ)wₖ(sₖ − s)"
        case .withMeanIgnored: return "offset fine-tuning (withMean) keeps the old mean"
        case .gLossSignFlipped: return "G_loss with the opposite sign"
        case .gLossWithoutJacobian: return "G_loss pushes along g instead of (∂x̂₀/∂x)ᵀg"
        case .naiveInPlaceOfLookahead: return "naive G computed where G_loss is asked for"
        case .codeBetaMissingAlphaSquared: return "code βₜ = (αₜ²/2)/(σ² + hₜ‖v‖²), α² missing on σ²"
        case .theoryBetaMissingInverseAlpha: return "Lemma 1's σ_y² = σ² + h·gᵀv, the 1/α missing"
        case .naiveStrengthSignFlipped: return "Proposition 1's G = −b₀∇f"
        case .naiveGradientAtDenoised: return "Proposition 1's ∇f taken at x̂₀ instead of x"
        case .algorithm1StepDoubled: return "Algorithm 1's theory step η = 2/λ instead of 1/λ"
        case .algorithm2LambdaConstant: return "Algorithm 2's λ = L/4, not decaying as L log K/(4K)"
        case .theorySpreadMissingSigma: return "the theory round's target y = η·gᵀΣ̄g + gᵀx̄, σ² missing from the spread"
        case .theoryAnchorNotRefit: return "Algorithm 2's round anchors at μ̄₀ instead of the refit mean ηλμ̄₀ + (1 − ηλ)z̄ₖ"
        case .adamBiasCorrectionMissing: return "Adam's step size is lr, the first moment's bias correction 1/(1 − β₁ᵗ) left out"
        case .recurrenceWithoutRenoise: return "time travel repeats a step from its output without re-noising it back to the step's time"
        case .dpsGradientAtDenoised: return "DPS takes ∇ℓ at x̂₀ and skips the Jacobian (∂x̂₀/∂xₜ)ᵀ"
        case .mpgdProjectionSkipped: return "MPGD's projected variant leaves the x̂₀ step unprojected"
        case .meanGuidanceWeightConsistent: return "TFG's mean guidance Δ₀ enters with c₁ (ε̂ recomputed) instead of √ᾱₜ₋₁ (ε̂ kept)"
        case .backwardGuidanceAscends: return "backward guidance's inner steps climb the loss instead of descending it"
        }
    }

    /// Where the fault sits (file and function).
    public var site: String {
        switch self {
        case .philoxCounterReused: return "Diffusion/DDPMSampler.swift SamplingNoise.stepKey"
        case .scheduleClippedLow: return "Diffusion/NoiseSchedule.swift init"
        case .alphaBarOffByOne, .c2MissingSquareRoot, .varianceUndamped: return "Diffusion/DDPMSampler.swift coefficients"
        case .noiseAtLastStep, .noiseScaledByVariance: return "Diffusion/SamplerPlan.swift DDPMSampler.plan"
        case .guidanceShiftMissingH: return "Compute/LookaheadRows.swift shiftScale (guidedDenoise and the host kernels) and the CUDA source's lookaheadShift"
        case .exactLawMissingNoise: return "Diffusion/ExactLaw.swift output"
        case .ddimC2MissingSquareRoot: return "Diffusion/DDIMSampler.swift coefficients"
        case .denoiseMissingInverseAlpha, .jacobianEigenvaluesSquared, .withMeanIgnored: return "Diffusion/GaussianScore.swift"
        case .mixtureVJPTransposed, .mixtureVJPMissingCrossTerm: return "Diffusion/MixtureScore.swift denoiseVJP"
        case .gLossSignFlipped, .gLossWithoutJacobian: return "Compute/LookaheadRows.swift (LookaheadGuidance and the host kernels) and the CUDA source's lookaheadShift"
        case .naiveInPlaceOfLookahead: return "Guidance/LookaheadGuidance.swift; Compute/LookaheadRows.swift and the CUDA source's lookaheadShift"
        case .codeBetaMissingAlphaSquared, .theoryBetaMissingInverseAlpha: return "Compute/BetaRule.swift beta and the CUDA source's ggd_beta"
        case .naiveStrengthSignFlipped, .naiveGradientAtDenoised: return "Guidance/GuidanceTarget.swift ObjectiveGradientGuidance"
        case .algorithm1StepDoubled, .algorithm2LambdaConstant: return "Guidance/TheoryPresets.swift"
        case .theorySpreadMissingSigma, .theoryAnchorNotRefit: return "Guidance/TheoryRound.swift query"
        case .adamBiasCorrectionMissing: return "Compute/Adam.swift coefficients (every backend's Adam kernel takes them)"
        case .recurrenceWithoutRenoise: return "Diffusion/SamplerPlan.swift SamplerStep.renoising"
        case .dpsGradientAtDenoised: return "Guidance/DPSGuidance.swift"
        case .mpgdProjectionSkipped: return "Guidance/MPGDGuidance.swift"
        case .meanGuidanceWeightConsistent: return "Guidance/TrainingFreeGuidance.swift"
        case .backwardGuidanceAscends: return "Guidance/DenoisedGradientSteps.swift"
        }
    }
}
