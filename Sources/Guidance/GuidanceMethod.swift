import LinearAlgebra

/// A guidance method and its settings, by name: the paper's G and G_loss beside the training-free
/// methods, each built from a round's query (g, y) with the loss ℓ(x̂₀) = ((y − gᵀx̂₀)/‖g‖)², the squared
/// distance of x̂₀ to the target hyperplane gᵀx = y (the look-ahead loss of Definition 1, normalised so
/// that one strength suits any ‖g‖, as G_loss's βₜ is), so any of them can stand in for G_loss in
/// Algorithm 1. What `ggd methods` runs side by side and the catalog's method properties check.
public struct GuidanceMethod: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// G_loss (Definition 1), code β rule scaled by `strength` (β_coef).
        case gLoss = "g-loss"
        /// The paper's naive G, scaled by `strength`.
        case naive
        /// DPS with the constant step ζ = `strength`.
        case dps
        /// DPS with ζₜ = `strength`/√ℓ, the paper's normalisation (not affine: no exact law).
        case dpsNormalized = "dps-normalized"
        /// FreeDoM, ρ = `strength`, `recurrence` passes.
        case freedom
        /// Universal Guidance: forward s = `strength`, m = `innerSteps` backward steps of κ = `innerStepSize`, `recurrence` passes.
        case universal
        /// MPGD w/o projection: c = `innerStepSize`, m = `innerSteps`.
        case mpgd
        /// MPGD projected onto the known span(A).
        case mpgdProjected = "mpgd-projected"
        /// TFG: ρ = `strength` (schedule "increase"), μ = `innerStepSize`, N_iter = `innerSteps`, N_recur = `recurrence`, γ = `gamma`.
        case tfg
    }

    public var kind: Kind
    public var strength: Double
    public var innerSteps: Int
    public var innerStepSize: Double
    public var recurrence: Int
    public var gamma: Double

    public init(_ kind: Kind, strength: Double = 0, innerSteps: Int = 0, innerStepSize: Double = 0, recurrence: Int = 1, gamma: Double = 0) {
        self.kind = kind
        self.strength = strength
        self.innerSteps = innerSteps
        self.innerStepSize = innerStepSize
        self.recurrence = recurrence
        self.gamma = gamma
    }

    /// The methods side by side with settings for a unit-norm g (the catalog's and `ggd methods`' defaults).
    public static let defaults: [GuidanceMethod] = [
        GuidanceMethod(.gLoss, strength: 1),
        GuidanceMethod(.naive, strength: 1),
        GuidanceMethod(.dps, strength: 0.2),
        GuidanceMethod(.dpsNormalized, strength: 0.2),
        GuidanceMethod(.freedom, strength: 0.1, recurrence: 2),
        GuidanceMethod(.universal, strength: 0.5, innerSteps: 2, innerStepSize: 0.1, recurrence: 2),
        GuidanceMethod(.mpgd, innerSteps: 1, innerStepSize: 0.2),
        GuidanceMethod(.mpgdProjected, innerSteps: 1, innerStepSize: 0.2),
        GuidanceMethod(.tfg, strength: 0.1, innerSteps: 2, innerStepSize: 0.05, recurrence: 2, gamma: 0.1),
    ]

    /// The method's own paper, one line.
    public var source: String {
        switch kind {
        case .gLoss, .naive: return "Guo et al., NeurIPS 2024 (this package's paper)"
        case .dps, .dpsNormalized: return "Chung et al., ICLR 2023"
        case .freedom: return "Yu et al., ICCV 2023"
        case .universal: return "Bansal et al., 2023"
        case .mpgd, .mpgdProjected: return "He et al., ICLR 2024"
        case .tfg: return "Ye et al., NeurIPS 2024"
        }
    }

    /// Whether the method's correction moves x only through the model's VJP (or a projection onto
    /// span(A)): then, under a subspace score, it keeps span(A) whatever g is; otherwise only when
    /// ∇ℓ ∈ span(A).
    public var keepsSpanForAnyGradient: Bool {
        switch kind {
        case .gLoss, .dps, .dpsNormalized, .freedom, .mpgdProjected: return true
        case .naive, .mpgd: return false
        case .universal: return innerSteps == 0 || innerStepSize == 0
        case .tfg: return innerSteps == 0 || innerStepSize == 0
        }
    }

    /// What the method's paper claims about span(A) (the data's manifold here): true for a claim to keep
    /// it (G_loss, MPGD), false for a claim to leave it (Proposition 1's naive G), nil for no claim.
    public var claimsToKeepSpan: Bool? {
        switch kind {
        case .gLoss, .mpgd, .mpgdProjected: return true
        case .naive: return false
        default: return nil
        }
    }

    /// What the method's paper claims about the data's structure, and the condition under which it holds here.
    public var structureClaim: String {
        switch kind {
        case .gLoss: return "Theorem 1: stays in span(A); holds for any g"
        case .naive: return "Proposition 1: leaves span(A) when g has an off-span part"
        case .dps, .dpsNormalized: return "no claim; the VJP maps into span(A), so it holds for any g"
        case .freedom: return "no claim; gradient through x̂₀ (VJP), holds for any g"
        case .universal: return keepsSpanForAnyGradient ? "no claim; forward guidance only (VJP), holds for any g"
            : "no claim; backward steps move x̂₀ along ∇ℓ: holds only if ∇ℓ ∈ span(A)"
        case .mpgd: return "claims manifold preservation; holds only if ∇ℓ ∈ span(A) (the step is along ∇ℓ itself)"
        case .mpgdProjected: return "claims manifold preservation; holds for any g (the step is projected onto span(A))"
        case .tfg: return keepsSpanForAnyGradient ? "no claim; variance guidance only (VJP), holds for any g"
            : "no claim; mean guidance moves x̂₀ along ∇ℓ: holds only if ∇ℓ ∈ span(A)"
        }
    }

    public var description: String {
        switch kind {
        case .gLoss: return "g-loss(β_coef=\(strength))"
        case .naive: return "naive(β_coef=\(strength))"
        case .dps: return "dps(ζ=\(strength))"
        case .dpsNormalized: return "dps-normalized(ζ=\(strength))"
        case .freedom: return "freedom(ρ=\(strength), r=\(recurrence))"
        case .universal: return "universal(s=\(strength), m=\(innerSteps), κ=\(innerStepSize), k=\(recurrence))"
        case .mpgd: return "mpgd(c=\(innerStepSize), m=\(innerSteps))"
        case .mpgdProjected: return "mpgd-projected(c=\(innerStepSize), m=\(innerSteps))"
        case .tfg: return "tfg(ρ=\(strength), μ=\(innerStepSize), N_iter=\(innerSteps), N_recur=\(recurrence), γ=\(gamma))"
        }
    }

    /// The rule for a round's query. `geometry` is span(A) for the projected MPGD (required there).
    public func guidance(for target: GuidanceTarget, geometry: SubspaceGeometry? = nil) throws -> any AffineGuidanceTerm {
        let loss = MeasurementLoss(target: Self.normalized(target))
        switch kind {
        case .gLoss: return try LookaheadGuidance(target: target, beta: .code(sigma: 0.1), coefficient: strength)
        case .naive: return try NaiveGuidance(target: target, sigma: 0.1, coefficient: strength)
        case .dps: return try DPSGuidance(loss: loss, zeta: strength, rule: .constant)
        case .dpsNormalized: return try DPSGuidance(loss: loss, zeta: strength, rule: .normalized)
        case .freedom: return try FreeDoMGuidance(energy: loss, rho: strength, recurrence: recurrence)
        case .universal:
            return try UniversalGuidance(loss: loss, forwardStrength: strength, backwardSteps: innerSteps, backwardStepSize: innerStepSize,
                                         recurrence: recurrence)
        case .mpgd: return try MPGDGuidance(loss: loss, stepSize: innerStepSize, steps: innerSteps)
        case .mpgdProjected:
            guard let geometry else { throw GuidanceError.unsupported("projected MPGD needs the known subspace span(A) (subspace data)") }
            return try MPGDGuidance(loss: loss, stepSize: innerStepSize, steps: innerSteps, projectingOnto: geometry)
        case .tfg:
            return try TrainingFreeGuidance(loss: loss, rho: .scheduled(strength, .increase), mu: .scheduled(innerStepSize, .constant), gamma: gamma,
                                            recurrence: recurrence, iterations: innerSteps)
        }
    }

    /// The query scaled to unit ‖g‖ (y with it): the same hyperplane, a loss in squared distance. A row
    /// with g = 0 (a stationary point of f) has no hyperplane and stays zero, with y = 0: no correction.
    static func normalized(_ target: GuidanceTarget) -> GuidanceTarget {
        var g = target.gradients
        let norms = g.rowNorms
        g.scaleRows(by: norms.map { $0 > 0 ? 1 / $0 : 0 })
        return GuidanceTarget(derivedGradients: g, targets: zip(target.targets, norms).map { $1 > 0 ? $0 / $1 : 0 })
    }

    /// The method with every strength (ζ, ρ, s, c, μ, κ, β_coef) multiplied by `factor`: one point of a
    /// strength sweep.
    public func scaled(by factor: Double) -> GuidanceMethod {
        var m = self
        m.strength *= factor
        m.innerStepSize *= factor
        return m
    }

    /// The setting as a catalog or table label.
    public var name: String { kind.rawValue }
}
