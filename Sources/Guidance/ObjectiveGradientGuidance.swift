import Compute
import LinearAlgebra
import FaultInjection

/// Naive gradient guidance in Proposition 1's form: G = b(t)∇f(x), here with constant b(t) = b₀.
public struct ObjectiveGradientGuidance: AffineGuidanceTerm {
    public let objective: any Objective
    public let strength: Double

    public init(objective: any Objective, strength: Double) throws {
        guard strength.isFinite else { throw GuidanceError.nonFinite("guidance strength b₀ must be finite") }
        self.objective = objective
        self.strength = strength
    }

    public func term(model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>, time: DiffusionTime) -> Matrix<Double> {
        (FaultHook.isActive(.naiveStrengthSignFlipped) ? -strength : strength)
            * objective.gradients(FaultHook.isActive(.naiveGradientAtDenoised) ? denoised : x)
    }

    public func affineTerm(jacobian: Matrix<Double>, offset: [Double], time: DiffusionTime, row: Int) -> (linear: Matrix<Double>, constant: [Double]) {
        guard let (h, b) = objective.affineGradient else {
            preconditionFailure("the exact law needs an objective with an affine gradient; \(objective.name) has none")
        }
        let b0 = FaultHook.isActive(.naiveStrengthSignFlipped) ? -strength : strength
        if FaultHook.isActive(.naiveGradientAtDenoised) {
            // ∇f at x̂₀ = Jx + c: H(Jx + c) + b.
            return (b0 * h.matmul(jacobian), Vectors.scale(Vectors.add(h.times(offset), b), by: b0))
        }
        return (b0 * h, Vectors.scale(b, by: b0))
    }
}
