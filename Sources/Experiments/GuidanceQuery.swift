import Diffusion
import Guidance
import LinearAlgebra

/// The one guidance query (g, y) of `ggd sample --guided` and `ggd law --guided`: the setting's own, or
/// g = ∇f(μ̄) and y = δ + gᵀμ̄ at the model's mean μ̄, as one G_loss or naive rule for `count` samples.
public enum GuidanceQuery {
    public static func gradientAndTarget(experiment: ResolvedExperiment, model: any ScoreModel, delta: Double) -> (g: [Double], y: Double) {
        // μ̄ is the model's mean: a Gaussian score's own; for a learned network (which reads only the integer
        // DDPM steps, so cannot be asked at t → ∞) the mean of the data law it was trained on; otherwise
        // E[x₀ | xₜ] as t → ∞ (α → 0, h → 1).
        let mean: [Double]
        if let gaussian = model as? GaussianScore {
            mean = gaussian.mean
        } else if model.readsDiscreteSteps {
            mean = experiment.dataMean
        } else {
            mean = model.denoise(Matrix(rows: 1, columns: model.dimension), at: DiffusionTime(alpha: 1e-12, h: 1)).elements
        }
        let g = experiment.setting.guidance.gradient ?? experiment.objective.gradient(mean)
        let y = experiment.setting.guidance.target ?? (delta + Vectors.dot(g, mean))
        return (g, y)
    }

    public static func make(experiment: ResolvedExperiment, model: any ScoreModel, kind: GuidanceKind, delta: Double, count: Int) throws -> any AffineGuidanceTerm {
        let (g, y) = gradientAndTarget(experiment: experiment, model: model, delta: delta)
        let target = try GuidanceTarget.shared(gradient: g, target: y, count: count)
        switch kind {
        case .lookahead:
            return try LookaheadGuidance(target: target, beta: experiment.beta, coefficient: experiment.setting.guidance.betaCoefficient)
        case .naive:
            return try NaiveGuidance(target: target, sigma: experiment.setting.guidance.sigma, coefficient: experiment.setting.guidance.betaCoefficient)
        }
    }
}
