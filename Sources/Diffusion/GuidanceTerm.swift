import LinearAlgebra

/// A guidance rule as the sampler sees it: the term G(x, t) added to the score, for a batch.
///
/// The protocol lives beside the sampler; the concrete rules (naive, look-ahead G_loss, β rules) live
/// in the Guidance module, so neither module imports the other.
public protocol GuidanceTerm: Sendable {
    /// G (n×D) at the batch `x`, given the model's x̂₀ there (already computed by the sampler).
    func term(model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>, time: DiffusionTime) -> Matrix<Double>
}

/// A guidance rule that is affine in x whenever the model's x̂₀ is (x̂₀ = Jx + c): G = Γx + γ for
/// sample `row`. This makes every guided DDPM step affine and the output law exact (SPEC §5).
public protocol AffineGuidanceTerm: GuidanceTerm {
    func affineTerm(jacobian: Matrix<Double>, offset: [Double], time: DiffusionTime, row: Int) -> (linear: Matrix<Double>, constant: [Double])
}
