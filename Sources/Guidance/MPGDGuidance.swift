import FaultInjection
import LinearAlgebra

/// Manifold Preserving Guided Diffusion (He, Murata, Lai, Takida, Uesaka, Kim, Liao, Mitsufuji, Kolter,
/// Salakhutdinov and Ermon, ICLR 2024, Algorithm 1, "MPGD w/o projection" and with it): a gradient step
/// on x̂₀ itself, no Jacobian of the model,
///
///   x̂₀′ = x̂₀ − cₜ∇ℓ(x̂₀)   (m such steps),
///
/// then the DDIM step from x̂₀′ with the model's ε̂ kept: xₜ₋₁ = √ᾱₜ₋₁x̂₀′ + √(1 − ᾱₜ₋₁ − σₜ²)ε̂ + σₜz
/// (`.denoisedKeepingNoise`). Its claim of manifold preservation rests on the step staying on the data
/// manifold's tangent space; here the manifold is span(A), and the step leaves it whenever ∇ℓ has an
/// off-span part, unless projected (`projection`, P = AAᵀ, the "known subspace" standing in for the
/// paper's autoencoder projection).
public struct MPGDGuidance: AffineGuidanceTerm {
    public let loss: any GuidanceLoss
    /// cₜ = c.
    public let stepSize: Double
    public let steps: Int
    /// P (D×D) applied to each step, nil for MPGD w/o projection.
    public let projection: Matrix<Double>?

    public init(loss: any GuidanceLoss, stepSize: Double, steps: Int = 1, projection: Matrix<Double>? = nil) throws {
        try GuidanceMethodLimits.checkStep(stepSize, "MPGD's step size c")
        try GuidanceMethodLimits.checkInnerSteps(steps, "MPGD's steps m")
        if let projection, !projection.isSquare {
            throw GuidanceError.dimensionMismatch("MPGD's projection must be square, got \(projection.rows)×\(projection.columns)")
        }
        self.loss = loss
        self.stepSize = stepSize
        self.steps = steps
        self.projection = projection
    }

    /// The projected variant onto span(A) of `geometry`.
    public init(loss: any GuidanceLoss, stepSize: Double, steps: Int = 1, projectingOnto geometry: SubspaceGeometry) throws {
        try self.init(loss: loss, stepSize: stepSize, steps: steps, projection: geometry.basis.matmul(geometry.basis, transposeOther: true))
    }

    public var placement: GuidancePlacement { .denoisedKeepingNoise }
    public var hasExactLaw: Bool { loss.affineGradient(row: 0) != nil }

    var appliedProjection: Matrix<Double>? { FaultHook.isActive(.mpgdProjectionSkipped) ? nil : projection }

    /// Δ = x̂₀′ − x̂₀.
    public func term(model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>, time: DiffusionTime) -> Matrix<Double> {
        DenoisedGradientSteps.inDenoisedSpace(loss: loss, from: denoised, steps: steps, stepSize: stepSize, projection: appliedProjection)
    }

    public func affineTerm(jacobian j: Matrix<Double>, offset c: [Double], time: DiffusionTime, row: Int) -> (linear: Matrix<Double>, constant: [Double]) {
        DenoisedGradientSteps.inDenoisedSpaceAffine(loss: loss, row: row, jacobian: j, offset: c, steps: steps, stepSize: stepSize,
                                                    projection: appliedProjection)
    }
}
