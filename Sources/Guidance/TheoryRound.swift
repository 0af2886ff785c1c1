import Foundation
import LinearAlgebra
import Diffusion
import FaultInjection

/// One round of Algorithms 1 and 2 under their theory presets (SPEC §6), as a pure function of the
/// previous round's sample mean z̄ₖ:
///
/// - the gradient gₖ = ∇f(z̄ₖ);
/// - the anchor: μ̄ for Algorithm 1; for Algorithm 2 the refit mean x̄ₖ = ηλμ̄₀ + (1 − ηλ)z̄ₖ, projected
///   onto the model's support (offset-only fine-tuning), and the model re-centred there;
/// - the target yₖ = η(σ² + gₖᵀΣ̄gₖ) + gₖᵀx̄ₖ (Lemma 3's mean then moves by ηΣ̄gₖ).
///
/// `GenerativeOptimizer` runs exactly this, and the catalog's T2 and T3 properties check it (through the
/// exact law or sampled rounds), so a fault in the shipped round is a fault the catalog sees.
public struct TheoryRound: Sendable {
    /// 1 or 2.
    public let algorithm: Int
    /// The pre-trained linear class (μ̄₀, Σ̄).
    public let model: GaussianScore
    public let objective: any Objective
    /// σ of the observation model.
    public let sigma: Double
    /// The step η and the regularisation λ.
    public let eta: Double
    public let lambda: Double

    public init(algorithm: Int, model: GaussianScore, objective: any Objective, sigma: Double, eta: Double, lambda: Double) throws {
        guard algorithm == 1 || algorithm == 2 else { throw GuidanceError.unsupported("the theory round is Algorithm 1 or 2, got \(algorithm)") }
        guard model.dimension == objective.dimension else {
            throw GuidanceError.dimensionMismatch("model dimension \(model.dimension), objective dimension \(objective.dimension)")
        }
        self.algorithm = algorithm
        self.model = model
        self.objective = objective
        self.sigma = sigma
        self.eta = eta
        self.lambda = lambda
    }

    /// The presets' steps: Algorithm 1 with η = 1/λ (`lambda` required); Algorithm 2 with λ = L log K/(4K)
    /// and η = 2/(L + 2λ) for K = `rounds` and the objective's smoothness L in the Σ̄-seminorm.
    public static func preset(algorithm: Int, model: GaussianScore, objective: any Objective, sigma: Double, lambda: Double?,
                              rounds: Int) throws -> TheoryRound {
        if algorithm == 1 {
            guard let lambda, lambda > 0 else { throw GuidanceError.unsupported("Algorithm 1's theory preset needs λ > 0") }
            return try TheoryRound(algorithm: 1, model: model, objective: objective, sigma: sigma,
                                   eta: TheoryPresets.algorithm1Step(lambda: lambda), lambda: lambda)
        }
        guard let L = try objective.smoothness(covariance: model.covariance), L > 0 else {
            throw GuidanceError.unsupported("Algorithm 2's theory preset needs an L-smooth objective with L > 0; \(objective.name) has none")
        }
        let lam = TheoryPresets.algorithm2Lambda(smoothness: L, rounds: rounds)
        return try TheoryRound(algorithm: 2, model: model, objective: objective, sigma: sigma,
                               eta: TheoryPresets.algorithm2Step(smoothness: L, lambda: lam), lambda: lam)
    }

    /// The round's guidance query and the model to sample from.
    public struct Query: Sendable {
        public let gradient: [Double]
        public let target: Double
        public let anchor: [Double]
        /// The model re-centred at the anchor (Algorithm 2) or the pre-trained one (Algorithm 1).
        public let model: GaussianScore
    }

    /// The query of the round that follows a round whose samples have mean `zbar`.
    public func query(after zbar: [Double]) throws -> Query {
        let g = objective.gradient(zbar)
        let spread = (FaultHook.isActive(.theorySpreadMissingSigma) ? 0 : sigma * sigma) + model.covariance.bilinear(g, g)
        var anchor = model.mean
        var centred = model
        if algorithm == 2 && !FaultHook.isActive(.theoryAnchorNotRefit) {
            let mix = Vectors.add(Vectors.scale(model.mean, by: eta * lambda), zbar, scaledBy: 1 - eta * lambda)
            anchor = Vectors.add(model.mean, projectOntoSupport(Vectors.subtract(mix, model.mean)))
            centred = try model.withMean(anchor)
        }
        return Query(gradient: g, target: eta * spread + Vectors.dot(g, anchor), anchor: anchor, model: centred)
    }

    /// v projected onto the span of the model's directions of non-negligible variance.
    func projectOntoSupport(_ v: [Double]) -> [Double] {
        let top = model.variances.max() ?? 0
        let keep = model.variances.map { $0 > 1e-10 * max(top, 1e-300) ? 1.0 : 0.0 }
        var coords = model.basis.times(v, transposed: true)
        coords = zip(coords, keep).map { $0 * $1 }
        return model.basis.times(coords)
    }
}
