/// A fault with a size: a formula of the reference implementation off by a relative or absolute ε,
/// for the catalog's sensitivity curve (`ggd sensitivity`). Where a `Fault` asks "is this bug caught?",
/// a graded fault asks "how small an error is caught?": the smallest ε at which some property fails is
/// the catalog's resolution for that kind of error. Switched on only through `FaultHook`, like the
/// mutants, and inert (ε = 0) in every normal run.
public enum GradedFault: String, CaseIterable, Sendable, Codable {
    /// The DDPM step's noise standard deviation times 1 + ε (the output's spread off by about as much).
    case noiseScale = "noise-scale"
    /// Every βₜ of the look-ahead guidance times 1 + ε.
    case betaScale = "beta-scale"
    /// The guidance target y shifted by ε (absolute, in the objective's units).
    case targetShift = "target-shift"
    /// c₁ with ᾱ interpolated from ᾱₜ₋₁ towards its neighbour ᾱₜ by ε (ε = 1 is the mutant `alpha-bar-off-by-one`).
    case alphaBarInterpolation = "alpha-bar-interpolation"

    /// What is wrong, in a few words, at size ε.
    public var summary: String {
        switch self {
        case .noiseScale: return "the DDPM step's noise sd is √β̃ₜ·(1 + ε)"
        case .betaScale: return "the look-ahead strength is βₜ·(1 + ε)"
        case .targetShift: return "the guidance target is y + ε"
        case .alphaBarInterpolation: return "c₁ reads (1 − ε)ᾱₜ₋₁ + εᾱₜ where ᾱₜ₋₁ belongs"
        }
    }

    /// Where the fault sits (file and function).
    public var site: String {
        switch self {
        case .noiseScale: return "Diffusion/SamplerPlan.swift DDPMSampler.plan"
        case .betaScale: return "Compute/BetaRule.swift beta"
        case .targetShift: return "Guidance/GuidanceTarget.swift init"
        case .alphaBarInterpolation: return "Diffusion/DDPMSampler.swift coefficients"
        }
    }

    /// The sizes `ggd sensitivity` tries by default, smallest first. A spread is seen only statistically,
    /// so noise-scale starts at the percent level; β and y enter the exact laws that the closed forms are
    /// held to, so their scan starts at 10⁻⁸; the ᾱ interpolation moves c₁ by O(εβₜ²), an error that
    /// vanishes like ε/T, so the claims (limits in T) see it only when it is large.
    public var defaultSizes: [Double] {
        switch self {
        case .noiseScale: return [0.003, 0.01, 0.02, 0.03, 0.1, 0.3]
        case .betaScale, .targetShift: return [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1]
        case .alphaBarInterpolation: return [0.03, 0.1, 0.3, 0.5, 1]
        }
    }
}
