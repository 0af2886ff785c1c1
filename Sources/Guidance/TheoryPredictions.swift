import LinearAlgebra

/// Closed forms the theory predicts, for the linear score class.
public enum TheoryPredictions {
    /// Lemma 3: with the linear score N(μ̄, Σ̄) and Lemma-1 β, the guided output is
    /// N(μ̄ + Σ̄g(y − gᵀμ̄)/(σ² + gᵀΣ̄g), Σ̄ − Σ̄ggᵀΣ̄/(σ² + gᵀΣ̄g)): the posterior of x₀ given the
    /// observation y = gᵀx₀ + N(0, σ²).
    public static func lemma3Law(mean: [Double], covariance: Matrix<Double>, gradient g: [Double], target y: Double, sigma: Double) -> GaussianLaw {
        let sg = covariance.times(g)
        let spread = sigma * sigma + Vectors.dot(g, sg)
        let m = Vectors.add(mean, sg, scaledBy: (y - Vectors.dot(g, mean)) / spread)
        let c = covariance - (1 / spread) * Matrix.outer(sg, sg)
        return GaussianLaw(mean: m, covariance: c.symmetrized)
    }

    /// Theorem 2's target x*_{A,λ} = argmax over span(Σ̄) of f(x) − (λ/2)‖x − μ̄‖²_{Σ̄⁻¹} for an objective with
    /// affine gradient ∇f = Hx + b: with x = μ̄ + Σ̄w, the optimality condition is
    /// Σ̄(Hx + b) = λ(x − μ̄), i.e. (λI − Σ̄H)x = λμ̄ + Σ̄b.
    public static func regularizedMaximizer(objective: any Objective, mean: [Double], covariance: Matrix<Double>, lambda: Double) throws -> [Double] {
        guard let (h, b) = objective.affineGradient else {
            throw GuidanceError.unsupported("the closed-form x* needs an objective with an affine gradient; \(objective.name) has none")
        }
        var system = -covariance.matmul(h)
        for i in 0..<system.rows { system[i, i] += lambda }
        let rhs = Vectors.add(Vectors.scale(mean, by: lambda), covariance.times(b))
        return try LinearSolve.solve(system, rhs)
    }
}
