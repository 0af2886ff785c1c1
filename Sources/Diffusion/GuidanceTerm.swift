import Compute
import LinearAlgebra

/// A guidance rule as the sampler sees it: the term G(x, t) added to the score, for a batch.
///
/// The protocol lives beside the sampler; the concrete rules (naive, look-ahead G_loss, β rules) live
/// in the Guidance module, so neither module imports the other.
public protocol GuidanceTerm: Sendable {
    /// G (n×D) at the batch `x`, given the model's x̂₀ there (already computed by the sampler).
    func term(model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>, time: DiffusionTime) -> Matrix<Double>

    /// x̂₀ and G together, for rules that know their VJP's cotangent before the forward pass (G_loss):
    /// one forward and one backward pass through a network instead of two forwards. Nil when the rule
    /// has no such path (the sampler then calls `denoise` and `term`).
    func denoisedAndTerm(model: any ScoreModel, x: Matrix<Double>, time: DiffusionTime) -> (denoised: Matrix<Double>, term: Matrix<Double>)?
}

extension GuidanceTerm {
    public func denoisedAndTerm(model: any ScoreModel, x: Matrix<Double>, time: DiffusionTime) -> (denoised: Matrix<Double>, term: Matrix<Double>)? { nil }

    /// x̂₀ shifted by the guidance, x̂₀ + (h/α)G, through the fused path when the rule has one.
    public func guidedDenoise(model: any ScoreModel, x: Matrix<Double>, time: DiffusionTime) -> Matrix<Double> {
        var (x0, g) = denoisedAndTerm(model: model, x: x, time: time) ?? {
            let d = model.denoise(x, at: time)
            return (d, term(model: model, x: x, denoised: d, time: time))
        }()
        x0.add(g, scaledBy: LookaheadRows.shiftScale(alpha: time.alpha, h: time.h))
        return x0
    }
}

/// A guidance rule that is affine in x whenever the model's x̂₀ is (x̂₀ = Jx + c): G = Γx + γ for
/// sample `row`. This makes every guided DDPM step affine and the output law exact (SPEC §5).
public protocol AffineGuidanceTerm: GuidanceTerm {
    func affineTerm(jacobian: Matrix<Double>, offset: [Double], time: DiffusionTime, row: Int) -> (linear: Matrix<Double>, constant: [Double])
}
