import Compute
import LinearAlgebra

/// A guidance rule as the sampler sees it: a correction of each step, for a batch.
///
/// The protocol lives beside the sampler; the concrete rules (naive, look-ahead G_loss, β rules and the
/// training-free methods) live in the Guidance module, so neither module imports the other.
public protocol GuidanceTerm: Sendable {
    /// The correction (n×D) at the batch `x`, given the model's x̂₀ there (already computed by the
    /// sampler), in the units of `placement`: G in score units for `.score`, Δ otherwise.
    func term(model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>, time: DiffusionTime) -> Matrix<Double>

    /// x̂₀ and G together, for rules that know their VJP's cotangent before the forward pass (G_loss):
    /// one forward and one backward pass through a network instead of two forwards. Nil when the rule
    /// has no such path (the sampler then calls `denoise` and `term`).
    func denoisedAndTerm(model: any ScoreModel, x: Matrix<Double>, time: DiffusionTime) -> (denoised: Matrix<Double>, term: Matrix<Double>)?

    /// Where the correction enters the step (`.score` by default: x̂₀ + (h/α)G). A rule that places
    /// corrections at more than one point (TFG) answers `guidedDenoise` itself, and this is unused.
    var placement: GuidancePlacement { get }

    /// How many times each step is taken, re-noising back to the step's time in between (time travel,
    /// FreeDoM's and Universal Guidance's self-recurrence, TFG's N_recur); 1 for none.
    var recurrence: Int { get }

    /// The x̂₀ the step reads: the model's, with the correction folded in at its placement. Rules with
    /// corrections at more than one place (TFG) answer it themselves.
    func guidedDenoise(model: any ScoreModel, x: Matrix<Double>, context: StepContext) -> Matrix<Double>
}

extension GuidanceTerm {
    public func denoisedAndTerm(model: any ScoreModel, x: Matrix<Double>, time: DiffusionTime) -> (denoised: Matrix<Double>, term: Matrix<Double>)? { nil }
    public var placement: GuidancePlacement { .score }
    public var recurrence: Int { 1 }

    /// x̂₀ shifted by the correction at its placement, through the fused path when the rule has one.
    public func guidedDenoise(model: any ScoreModel, x: Matrix<Double>, context: StepContext) -> Matrix<Double> {
        var (x0, g) = denoisedAndTerm(model: model, x: x, time: context.time) ?? {
            let d = model.denoise(x, at: context.time)
            return (d, term(model: model, x: x, denoised: d, time: context.time))
        }()
        x0.add(g, scaledBy: placement == .score ? LookaheadRows.shiftScale(alpha: context.time.alpha, h: context.time.h) : placement.scale(in: context))
        return x0
    }
}

/// A guidance rule that is affine in x whenever the model's x̂₀ is (x̂₀ = Jx + c): the correction is
/// Γx + γ for sample `row`. This makes every guided step affine and the output law exact (SPEC §5).
public protocol AffineGuidanceTerm: GuidanceTerm {
    /// Γ and γ of `term` (in the placement's units).
    func affineTerm(jacobian: Matrix<Double>, offset: [Double], time: DiffusionTime, row: Int) -> (linear: Matrix<Double>, constant: [Double])

    /// The shift of x̂₀ that `guidedDenoise` adds, as Γx + γ: `affineTerm` times the placement's scale by
    /// default; rules that answer `guidedDenoise` themselves answer this too.
    func affineShift(jacobian: Matrix<Double>, offset: [Double], context: StepContext, row: Int) -> (linear: Matrix<Double>, constant: [Double])

    /// Whether this instance is affine (true by default): a rule whose variant or loss is not (DPS's
    /// residual normalisation, the non-smooth f₂) says false, and has no exact law.
    var hasExactLaw: Bool { get }
}

extension AffineGuidanceTerm {
    public var hasExactLaw: Bool { true }

    public func affineShift(jacobian: Matrix<Double>, offset: [Double], context: StepContext, row: Int) -> (linear: Matrix<Double>, constant: [Double]) {
        let (gamma, g0) = affineTerm(jacobian: jacobian, offset: offset, time: context.time, row: row)
        let s = placement.scale(in: context)
        return (s * gamma, Vectors.scale(g0, by: s))
    }
}
