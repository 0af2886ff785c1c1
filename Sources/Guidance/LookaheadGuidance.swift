import Compute
import LinearAlgebra
import FaultInjection

/// Look-ahead gradient guidance, "G_loss" (Definition 1; the reference code's v2):
/// G_loss(x, t) = −β ∇ₓ(y − gᵀx̂₀(x, t))² = 2β(y − gᵀx̂₀)(∂x̂₀/∂x)ᵀg.
///
/// One forward pass (x̂₀, which the sampler already has) and one vector–Jacobian product. Because the
/// VJP of a subspace score maps into span(A), G_loss stays in span(A) (Theorem 1).
public struct LookaheadGuidance: AffineGuidanceTerm {
    public let target: GuidanceTarget
    public let beta: BetaRule
    /// β_coef, a multiplier on β.
    public let coefficient: Double

    public init(target: GuidanceTarget, beta: BetaRule = .code(sigma: 0.1), coefficient: Double = 1) throws {
        try beta.validate()
        guard coefficient.isFinite else { throw GuidanceError.nonFinite("β_coef must be finite") }
        self.target = target
        self.beta = beta
        self.coefficient = coefficient
    }

    public func term(model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>, time: DiffusionTime) -> Matrix<Double> {
        precondition(target.gradients.rows == x.rows, "guidance holds \(target.gradients.rows) gradients for a batch of \(x.rows)")
        if FaultHook.isActive(.naiveInPlaceOfLookahead), let naive = try? NaiveGuidance(target: target) {
            return naive.term(model: model, x: x, denoised: denoised, time: time)
        }
        return combine(vjp: model.denoiseVJP(x, at: time, cotangent: target.gradients), denoised: denoised, time: time)
    }

    public func denoisedAndTerm(model: any ScoreModel, x: Matrix<Double>, time: DiffusionTime) -> (denoised: Matrix<Double>, term: Matrix<Double>)? {
        precondition(target.gradients.rows == x.rows, "guidance holds \(target.gradients.rows) gradients for a batch of \(x.rows)")
        if FaultHook.isActive(.naiveInPlaceOfLookahead) { return nil }
        let (x0, v) = model.denoiseWithVJP(x, at: time, cotangent: target.gradients)
        return (x0, combine(vjp: v, denoised: x0, time: time))
    }

    /// G = 2β(y − gᵀx̂₀)v from v = (∂x̂₀/∂x)ᵀg, row by row (`LookaheadRows`, the host kernels' own form).
    func combine(vjp: Matrix<Double>, denoised: Matrix<Double>, time: DiffusionTime) -> Matrix<Double> {
        let g = target.gradients
        var v = LookaheadRows.direction(vjp: vjp, gradients: g)
        var factors = [Double](repeating: 0, count: v.rows)
        let strength = LookaheadStrength(rule: beta, coefficient: coefficient)
        denoised.elements.withUnsafeBufferPointer { xp in
            v.elements.withUnsafeBufferPointer { vp in
                g.elements.withUnsafeBufferPointer { gp in
                    target.targets.withUnsafeBufferPointer { yp in
                        factors.withUnsafeMutableBufferPointer { fp in
                            guard let x = xp.baseAddress, let vv = vp.baseAddress, let gg = gp.baseAddress, let y = yp.baseAddress else { return }
                            LookaheadRows.factors(denoised: x, direction: vv, gradients: gg, targets: y, rows: v.rows, columns: v.columns,
                                                  strength: strength, alpha: time.alpha, h: time.h, into: fp.baseAddress!)
                        }
                    }
                }
            }
        }
        v.scaleRows(by: factors)
        return v
    }

    public func affineTerm(jacobian: Matrix<Double>, offset: [Double], time: DiffusionTime, row: Int) -> (linear: Matrix<Double>, constant: [Double]) {
        if FaultHook.isActive(.naiveInPlaceOfLookahead), let naive = try? NaiveGuidance(target: target) {
            return naive.affineTerm(jacobian: jacobian, offset: offset, time: time, row: row)
        }
        let g = target.gradients.row(row)
        let jg = jacobian.times(g, transposed: true)
        let v = FaultHook.isActive(.gLossWithoutJacobian) ? g : jg
        var b = coefficient * beta.beta(alpha: time.alpha, h: time.h, gDotV: Vectors.dot(g, v), vNormSquared: Vectors.dot(v, v))
        if FaultHook.isActive(.gLossSignFlipped) { b = -b }
        // G = 2β(y − gᵀ(Jx + c))v = 2β(y − gᵀc)v − 2β v (Jᵀg)ᵀx, and Jᵀg = v.
        let linear = (-2 * b) * Matrix.outer(v, jg)
        let constant = Vectors.scale(v, by: 2 * b * (target.targets[row] - Vectors.dot(g, offset)))
        return (linear, constant)
    }
}
