import Foundation
import LinearAlgebra

/// A loss ℓ(x̂₀) that a training-free guidance method descends, for a batch: row i is sample i's loss
/// (a sample may carry its own query, as in Algorithm 1's rounds). Every method of the package (DPS,
/// Universal Guidance, MPGD, FreeDoM, TFG) takes one, so any of them runs on the paper's objectives,
/// on a measurement, or on a loss of the caller's.
public protocol GuidanceLoss: Sendable {
    /// A short name for outputs.
    var name: String { get }
    func values(_ x: Matrix<Double>) -> [Double]
    func gradients(_ x: Matrix<Double>) -> Matrix<Double>
    /// ∇ℓ = Hx + b of sample `row`, when affine (then every method's step is affine and its law exact).
    func affineGradient(row: Int) -> (hessian: Matrix<Double>, constant: [Double])?
    /// The loss of TFG's implicit dynamics, ℓ̃ = −log E_δ exp(−ℓ(x + γδ)), δ ~ N(0, I) (the limit of its
    /// Monte Carlo average). Closed form for quadratic losses: ∇ℓ̃ = (I + γ²H)⁻¹∇ℓ.
    func smoothed(by gamma: Double) throws -> any GuidanceLoss
}

extension GuidanceLoss {
    /// The smoothing of a loss whose Hessian is the same for every row (one factorisation of I + γ²H).
    public func smoothed(by gamma: Double) throws -> any GuidanceLoss {
        guard gamma.isFinite, gamma >= 0 else { throw GuidanceError.invalidParameter("the smoothing γ must be finite and ≥ 0, got \(gamma)") }
        if gamma == 0 { return self }
        guard let (h, _) = affineGradient(row: 0) else {
            throw GuidanceError.unsupported("implicit-dynamics smoothing γ > 0 needs a quadratic loss (closed-form Gaussian smoothing); \(name) is not quadratic")
        }
        var m = Matrix<Double>.identity(h.rows)
        m.add(h, scaledBy: gamma * gamma)
        let factor: Cholesky<Double>
        do { factor = try Cholesky(m) } catch {
            throw GuidanceError.invalidParameter("implicit-dynamics smoothing needs I + γ²H positive definite (a convex loss); \(name) is not")
        }
        return SmoothedLoss(base: self, gamma: gamma, inverse: factor.inverse, logDeterminant: factor.logDeterminant)
    }
}

/// ℓ̃ of a quadratic loss with a row-independent Hessian: ℓ̃(x) = ℓ(x) − ½γ²∇ℓᵀM∇ℓ + ½log det(I + γ²H),
/// ∇ℓ̃ = M∇ℓ with M = (I + γ²H)⁻¹.
struct SmoothedLoss: GuidanceLoss {
    let base: any GuidanceLoss
    let gamma: Double
    let inverse: Matrix<Double>
    let logDeterminant: Double

    var name: String { "\(base.name)~γ\(gamma)" }

    func values(_ x: Matrix<Double>) -> [Double] {
        let g = base.gradients(x)
        let mg = g.matmul(inverse)
        return zip(base.values(x), g.rowDots(mg)).map { $0 - 0.5 * gamma * gamma * $1 + 0.5 * logDeterminant }
    }

    func gradients(_ x: Matrix<Double>) -> Matrix<Double> { base.gradients(x).matmul(inverse) }

    func affineGradient(row: Int) -> (hessian: Matrix<Double>, constant: [Double])? {
        base.affineGradient(row: row).map { (inverse.matmul($0.hessian), inverse.times($0.constant)) }
    }

    func smoothed(by gamma: Double) throws -> any GuidanceLoss {
        throw GuidanceError.unsupported("a smoothed loss cannot be smoothed again")
    }
}

/// ℓ(x) = (y − gᵀx)² per sample: DPS's ‖y − A(x̂₀)‖² with a one-row measurement A = gᵀ, and the
/// look-ahead loss of Definition 1 (so a method run with a round's query (g, y) replaces G_loss in
/// Algorithm 1).
public struct MeasurementLoss: GuidanceLoss {
    public let target: GuidanceTarget

    public init(target: GuidanceTarget) { self.target = target }

    public var name: String { "measurement" }

    func residuals(_ x: Matrix<Double>) -> [Double] {
        precondition(x.rows == target.count && x.columns == target.gradients.columns,
                     "the loss holds \(target.count)×\(target.gradients.columns) queries for a \(x.rows)×\(x.columns) batch")
        return zip(target.targets, target.gradients.rowDots(x)).map { $0 - $1 }
    }

    public func values(_ x: Matrix<Double>) -> [Double] { residuals(x).map { $0 * $0 } }

    /// ∇ℓ = −2(y − gᵀx)g.
    public func gradients(_ x: Matrix<Double>) -> Matrix<Double> {
        var g = target.gradients
        g.scaleRows(by: residuals(x).map { -2 * $0 })
        return g
    }

    public func affineGradient(row: Int) -> (hessian: Matrix<Double>, constant: [Double])? {
        let g = target.gradients.row(row)
        return (2 * Matrix.outer(g, g), Vectors.scale(g, by: -2 * target.targets[row]))
    }

    /// Per row, H = 2ggᵀ, so (I + γ²H)⁻¹∇ℓ = ∇ℓ/(1 + 2γ²‖g‖²) (∇ℓ ∥ g): no factorisation.
    public func smoothed(by gamma: Double) throws -> any GuidanceLoss {
        guard gamma.isFinite, gamma >= 0 else { throw GuidanceError.invalidParameter("the smoothing γ must be finite and ≥ 0, got \(gamma)") }
        return gamma == 0 ? self : SmoothedMeasurementLoss(base: self, gamma: gamma)
    }
}

/// ℓ̃ of `MeasurementLoss`: ℓ̃ = r²/(1 + 2γ²‖g‖²) + ½log(1 + 2γ²‖g‖²).
struct SmoothedMeasurementLoss: GuidanceLoss {
    let base: MeasurementLoss
    let gamma: Double

    var name: String { "measurement~γ\(gamma)" }

    var damping: [Double] { base.target.gradients.rowDots(base.target.gradients).map { 1 + 2 * gamma * gamma * $0 } }

    func values(_ x: Matrix<Double>) -> [Double] {
        zip(base.values(x), damping).map { $0 / $1 + 0.5 * log($1) }
    }

    func gradients(_ x: Matrix<Double>) -> Matrix<Double> {
        var g = base.gradients(x)
        g.scaleRows(by: damping.map { 1 / $0 })
        return g
    }

    func affineGradient(row: Int) -> (hessian: Matrix<Double>, constant: [Double])? {
        base.affineGradient(row: row).map { h, b in
            let d = damping[row]
            return ((1 / d) * h, Vectors.scale(b, by: 1 / d))
        }
    }

    func smoothed(by gamma: Double) throws -> any GuidanceLoss {
        throw GuidanceError.unsupported("a smoothed loss cannot be smoothed again")
    }
}

/// ℓ = −f for a reward f to maximise: the package's objectives (linear, f₁, f₂, quadratics) as losses.
public struct RewardLoss: GuidanceLoss {
    public let objective: any Objective

    public init(objective: any Objective) { self.objective = objective }

    public var name: String { "-\(objective.name)" }
    public func values(_ x: Matrix<Double>) -> [Double] { objective.values(x).map { -$0 } }
    public func gradients(_ x: Matrix<Double>) -> Matrix<Double> { -1 * objective.gradients(x) }
    public func affineGradient(row: Int) -> (hessian: Matrix<Double>, constant: [Double])? {
        objective.affineGradient.map { (-1 * $0.hessian, Vectors.scale($0.constant, by: -1)) }
    }
}
