import FaultInjection
import LinearAlgebra

/// The two gradients every training-free method is built from, batched, with their affine forms for
/// the exact law (x̂₀ = Jx + c, ∇ℓ(x) = Hx + b):
///
/// - through the model, ∇ₓℓ(x̂₀(x)) = (∂x̂₀/∂x)ᵀ∇ℓ(x̂₀): one VJP (DPS, FreeDoM, Universal Guidance's
///   forward guidance, TFG's variance guidance);
/// - in x̂₀-space, m gradient steps Δ ← Δ − κP∇ℓ(x̂₀ + Δ) from Δ = 0, P a projection or I: no Jacobian of
///   the model (Universal Guidance's backward guidance, MPGD, TFG's mean guidance).
public enum DenoisedGradientSteps {
    /// ∇ₓℓ(x̂₀(x)) for every row: the VJP of the model at `x` with cotangent ∇ℓ(x̂₀).
    public static func throughModel(loss: any GuidanceLoss, model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>,
                                    time: DiffusionTime) -> Matrix<Double> {
        model.denoiseVJP(x, at: time, cotangent: loss.gradients(denoised))
    }

    /// Its affine form for row `row`: Jᵀ(H(Jx + c) + b) = JᵀHJ x + Jᵀ(Hc + b).
    public static func throughModelAffine(loss: any GuidanceLoss, row: Int, jacobian j: Matrix<Double>, offset c: [Double])
        -> (linear: Matrix<Double>, constant: [Double]) {
        let (h, b) = affineGradient(loss, row: row)
        return (j.matmul(h.matmul(j), transposeSelf: true), j.times(Vectors.add(h.times(c), b), transposed: true))
    }

    /// Δ after `steps` steps of size `stepSize` from x̂₀ (rows), each step's gradient projected by
    /// `projection` (a D×D matrix applied to each row) when given.
    public static func inDenoisedSpace(loss: any GuidanceLoss, from x0: Matrix<Double>, steps: Int, stepSize: Double,
                                       projection: Matrix<Double>?) -> Matrix<Double> {
        var delta = Matrix<Double>(rows: x0.rows, columns: x0.columns)
        let sign: Double = FaultHook.isActive(.backwardGuidanceAscends) ? 1 : -1
        for _ in 0..<steps {
            var grad = loss.gradients(x0 + delta)
            if let projection { grad = grad.matmul(projection, transposeOther: true) }
            delta.add(grad, scaledBy: sign * stepSize)
        }
        return delta
    }

    /// Its affine form: with x̂₀ = Jx + c, Δ = Pₘx + pₘ by Pₖ₊₁ = Pₖ − κΠH(J + Pₖ), pₖ₊₁ = pₖ − κΠ(H(c + pₖ) + b).
    public static func inDenoisedSpaceAffine(loss: any GuidanceLoss, row: Int, jacobian j: Matrix<Double>, offset c: [Double], steps: Int,
                                             stepSize: Double, projection: Matrix<Double>?) -> (linear: Matrix<Double>, constant: [Double]) {
        let (h, b) = affineGradient(loss, row: row)
        let D = j.rows
        var p = Matrix<Double>(rows: D, columns: D)
        var q = [Double](repeating: 0, count: D)
        let sign: Double = FaultHook.isActive(.backwardGuidanceAscends) ? 1 : -1
        for _ in 0..<steps {
            var gradLinear = h.matmul(j + p)
            var gradConstant = Vectors.add(h.times(Vectors.add(c, q)), b)
            if let projection {
                gradLinear = projection.matmul(gradLinear)
                gradConstant = projection.times(gradConstant)
            }
            p.add(gradLinear, scaledBy: sign * stepSize)
            q = Vectors.add(q, gradConstant, scaledBy: sign * stepSize)
        }
        return (p, q)
    }

    static func affineGradient(_ loss: any GuidanceLoss, row: Int) -> (hessian: Matrix<Double>, constant: [Double]) {
        guard let a = loss.affineGradient(row: row) else {
            preconditionFailure("the exact law needs a loss with an affine gradient; \(loss.name) has none (check `hasExactLaw` first)")
        }
        return a
    }
}
