import Compute
import LinearAlgebra
import FaultInjection

/// The per-sample query of one guided round: gradient gᵢ (row i) and target yᵢ.
///
/// In the reference code each sample keeps its own trajectory with its own gᵢ = ∇f(zᵢ) and yᵢ; in the
/// paper's text one g at the batch mean is shared, which is the same type with equal rows.
public struct GuidanceTarget: Sendable, Equatable {
    public let gradients: Matrix<Double>
    public let targets: [Double]

    public init(gradients: Matrix<Double>, targets: [Double]) throws {
        guard gradients.rows == targets.count else {
            throw GuidanceError.dimensionMismatch("\(gradients.rows) gradients for \(targets.count) targets")
        }
        guard gradients.isFinite, targets.allSatisfy(\.isFinite) else {
            throw GuidanceError.nonFinite("guidance gradients or targets contain NaN or infinity")
        }
        self.gradients = gradients
        self.targets = targets
    }

    /// One (g, y) shared by `count` samples.
    public static func shared(gradient g: [Double], target y: Double, count: Int) throws -> GuidanceTarget {
        try GuidanceTarget(gradients: Matrix(broadcasting: g, rows: count), targets: [Double](repeating: y, count: count))
    }

    public var count: Int { targets.count }
}

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
