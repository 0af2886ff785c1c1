import Compute
import LinearAlgebra
import FaultInjection

/// Naive gradient guidance in the experiments' form ("G", the reference code's v1):
/// G = βₜ(y − gᵀx̂₀)g with βₜ = αₜ/(σ² + hₜ‖g‖²). It pushes along g itself, so when g has a component
/// off span(A) the samples leave the subspace (Proposition 1).
public struct NaiveGuidance: AffineGuidanceTerm {
    public let target: GuidanceTarget
    public let sigma: Double
    public let coefficient: Double

    public init(target: GuidanceTarget, sigma: Double = 0.1, coefficient: Double = 1) throws {
        guard sigma > 0, sigma.isFinite else { throw GuidanceError.invalidParameter("σ must be positive and finite, got \(sigma)") }
        self.target = target
        self.sigma = sigma
        self.coefficient = coefficient
    }

    func betas(_ time: DiffusionTime) -> [Double] {
        let gg = target.gradients.rowDots(target.gradients)
        return gg.map { coefficient * time.alpha / (sigma * sigma + time.h * $0) }
    }

    public func term(model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>, time: DiffusionTime) -> Matrix<Double> {
        var g = target.gradients
        precondition(g.rows == x.rows, "guidance holds \(g.rows) gradients for a batch of \(x.rows)")
        let residual = zip(target.targets, g.rowDots(denoised)).map { $0 - $1 }
        g.scaleRows(by: zip(betas(time), residual).map { $0 * $1 })
        return g
    }

    public func affineTerm(jacobian: Matrix<Double>, offset: [Double], time: DiffusionTime, row: Int) -> (linear: Matrix<Double>, constant: [Double]) {
        let g = target.gradients.row(row)
        let b = betas(time)[row]
        let v = jacobian.times(g, transposed: true)
        return ((-b) * Matrix.outer(g, v), Vectors.scale(g, by: b * (target.targets[row] - Vectors.dot(g, offset))))
    }
}
