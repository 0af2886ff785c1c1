import Compute
import Diffusion
import Guidance
import LinearAlgebra

/// A way of writing the DDPM sampler: the reference (this tool's shipped sampler) and the convention
/// errors an audit recognises, each with its own exact law, so a failed audit can say which one the
/// external implementation made.
///
/// Every variant stays affine in x plus Gaussian noise, so its law, its steps and its trajectory from the
/// shared noise are exact. The reference's steps are the shipped sampler's (`DDPMSampler.lawStep`); a
/// variant rebuilds c₁, c₂ and the noise variance from the schedule arrays as that mistake would.
public enum SamplerConvention: String, CaseIterable, Sendable, Codable {
    /// This tool's DDPM sampler (SPEC §5).
    case reference
    /// ᾱₜ₋₁ read as ᾱₜ (the "previous" array not shifted) in c₁, c₂ and β̃ₜ.
    case alphaBarOffByOne = "alpha-bar-off-by-one"
    /// Step noise with variance βₜ instead of the posterior β̃ₜ.
    case varianceBeta = "variance-beta"
    /// Noise added at the last step too, with variance β₁ (β̃₁ is 0).
    case noiseAtLastStep = "noise-at-last-step"
    /// The guidance strength βₜ doubled (the ½ dropped, or 2β applied twice).
    case betaDoubled = "beta-doubled"
    /// The code rule's βₜ = (αₜ²/2)/(αₜ²σ² + hₜ‖v‖²) with the α² missing from σ²'s term.
    case betaMissingAlphaSquared = "beta-missing-alpha-squared"
    /// ᾱ and β stored in float32 (rounded once), the arithmetic in float64.
    case float32Schedule = "float32-schedule"

    /// One line for a verdict.
    public var summary: String {
        switch self {
        case .reference: return "the reference DDPM sampler"
        case .alphaBarOffByOne: return "ᾱ off by one: ᾱₜ₋₁ read as ᾱₜ in c₁, c₂ and β̃ₜ"
        case .varianceBeta: return "step noise with variance βₜ instead of the posterior β̃ₜ"
        case .noiseAtLastStep: return "noise added at the last step (variance β₁)"
        case .betaDoubled: return "the guidance βₜ doubled"
        case .betaMissingAlphaSquared: return "βₜ missing α² in its σ² term: (αₜ²/2)/(σ² + hₜ‖v‖²)"
        case .float32Schedule: return "the schedule ᾱ, β held in float32"
        }
    }

    /// Whether the variant differs from the reference for this case's guidance.
    public func applies(to c: AuditCase) -> Bool {
        switch self {
        case .betaDoubled: return c.guidance != .none
        case .betaMissingAlphaSquared:
            if case .code = c.experiment.beta { return c.guidance == .lookahead }
            return false
        default: return true
        }
    }

    /// The conventions that differ from the reference for `c`.
    public static func variants(for c: AuditCase) -> [SamplerConvention] {
        allCases.filter { $0 != .reference && $0.applies(to: c) }
    }

    /// Steps T … 1 as this convention takes them, guidance for a batch of `rows`.
    public func lawSteps(_ c: AuditCase, rows: Int = 1) throws -> [LawStep] {
        let schedule = c.sampler.schedule
        let T = schedule.steps
        let guidance = try c.guidanceTerm(rows: rows, coefficientScale: self == .betaDoubled ? 2 : 1)
        if self == .reference || self == .betaDoubled {
            return stride(from: T, through: 1, by: -1).map { c.sampler.lawStep($0, guidance: guidance) }
        }
        var beta = schedule.beta, alphaBar = schedule.alphaBar
        if self == .float32Schedule {
            beta = beta.map { Double(Float($0)) }
            alphaBar = alphaBar.map { Double(Float($0)) }
        }
        return try stride(from: T, through: 1, by: -1).map { t in
            let b = beta[t], ab = alphaBar[t]
            let abPrev = self == .alphaBarOffByOne ? ab : alphaBar[t - 1]
            let c1 = b * abPrev.squareRoot() / (1 - ab)
            let c2 = (1 - abPrev) * (1 - b).squareRoot() / (1 - ab)
            let posterior = b * (1 - abPrev) / (1 - ab)
            let variance: Double
            switch self {
            case .varianceBeta: variance = t > 1 ? b : 0
            case .noiseAtLastStep: variance = t > 1 ? posterior : b
            default: variance = t > 1 ? posterior : 0
            }
            let time = DiffusionTime(step: t, alpha: ab.squareRoot(), h: 1 - ab)
            var stepGuidance = guidance
            if self == .betaMissingAlphaSquared, let g = c.gradient, case let .code(sigma) = c.experiment.beta {
                // The wrong βₜ over the right one, with v = (∂x̂₀/∂x)ᵀg fixed by t (the model is affine).
                let v = c.model.denoiseVJP(Matrix(rows: 1, columns: g.count, elements: g), at: time,
                                           cotangent: Matrix(rows: 1, columns: g.count, elements: g)).elements
                let hv = time.h * Vectors.dot(v, v)
                let ratio = (ab * sigma * sigma + hv) / (sigma * sigma + hv)
                stepGuidance = try c.guidanceTerm(rows: rows, coefficientScale: ratio)
            }
            let target = DiffusionTime(step: t - 1, alpha: abPrev.squareRoot(), h: 1 - abPrev)
            return LawStep(step: t, time: time, target: target, c1: c1, c2: c2, variance: variance, guidance: stepGuidance)
        }
    }

    /// The exact output law under this convention.
    public func law(_ c: AuditCase) throws -> GaussianLaw {
        DDPMExactLaw.propagate(try lawSteps(c).map { DDPMExactLaw.affineStep($0, model: c.model) }, dimension: c.dimension)
    }

    /// The affine steps T … 1 under this convention.
    public func affineSteps(_ c: AuditCase) throws -> [AffineStep] {
        try lawSteps(c).map { DDPMExactLaw.affineStep($0, model: c.model) }
    }
}
