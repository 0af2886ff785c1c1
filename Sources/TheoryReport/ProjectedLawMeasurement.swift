import Backends
import Foundation
import LinearAlgebra
import Randomness
import Diffusion
import Guidance
import Experiments
import Statistics

/// The guided sampler's draws against its exact law, seen through one-dimensional projections: the
/// empirical CDF of ⟨u, x⟩ beside the normal CDF the exact law of the discrete sampler predicts (SPEC §5),
/// and beside Lemma 3's continuous-time law, with the Kolmogorov–Smirnov statistic of each projection.
public struct ProjectedLawMeasurement: Sendable {
    public struct Projection: Sendable {
        public var name: String
        /// Sorted projected draws.
        public var sorted: [Double]
        /// Mean and standard deviation of the projection under the sampler's exact law and under Lemma 3.
        public var exactMean: Double, exactSD: Double
        public var lemmaMean: Double, lemmaSD: Double
        public var ks: KSResult
    }

    public var projections: [Projection]
    public var setting: String
    public var draws: Int

    /// G_loss with Lemma 1's β on the paper's linear-latent setting, exact subspace score, T = 200,
    /// g = ∇f₁ at the data mean, target y = gᵀμ̄ + 1; projections on g/‖g‖ and on a random direction in span(A).
    public static func measure(setting: ResolvedExperiment, draws: Int, seed: UInt64, backend: BackendChoice? = nil) throws -> ProjectedLawMeasurement {
        guard let subspace = setting.subspace else { throw ReportError.invalid("the projected-law figure needs subspace data") }
        guard let model = try subspace.exactScore() as? GaussianScore else { throw ReportError.invalid("the projected-law figure needs a Gaussian latent") }
        let sigma = 0.1
        let g = setting.objective.gradient(model.mean)
        let y = Vectors.dot(g, model.mean) + 1
        let sampler = DDPMSampler(schedule: setting.schedule)
        let guidance = try LookaheadGuidance(target: .shared(gradient: g, target: y, count: draws), beta: .theory(sigma: sigma))
        let exact = DDPMExactLaw.output(sampler: sampler, model: model, guidance: guidance)
        let lemma = TheoryPredictions.lemma3Law(mean: model.mean, covariance: model.covariance, gradient: g, target: y, sigma: sigma)
        let onBackend: any Sampler = backend.map { BackendSampler(sampler, on: $0) } ?? sampler
        let x = try onBackend.sampleChecked(model: model, guidance: guidance, count: draws, noise: SamplingNoise(seed: seed, round: 7777), progress: nil)
        var gen = SequentialGenerator(StreamKey(seed: seed, purpose: .setting, index: 77))
        let random = model.basis.times((0..<model.basis.columns).map { _ in gen.normal() })
        var projections = [Projection]()
        for (name, direction) in [("⟨g/‖g‖, x⟩", g), ("⟨u, x⟩, u random in span(A)", random)] {
            let norm = Vectors.norm(direction)
            guard norm > 0 else { continue }
            let u = Vectors.scale(direction, by: 1 / norm)
            let values = x.times(u).sorted()
            let em = Vectors.dot(u, exact.mean), es = exact.covariance.bilinear(u, u).squareRoot()
            let lm = Vectors.dot(u, lemma.mean), ls = lemma.covariance.bilinear(u, u).squareRoot()
            let ks = try KolmogorovSmirnov.oneSample(values, cdf: { 0.5 * erfc(-($0 - em) / (es * 2.0.squareRoot())) })
            projections.append(Projection(name: name, sorted: values, exactMean: em, exactSD: es, lemmaMean: lm, lemmaSD: ls, ks: ks))
        }
        return ProjectedLawMeasurement(projections: projections,
                                       setting: "\(setting.setting.origin), exact subspace score, G_loss with Lemma 1's β (σ = \(sigma)), T = \(setting.schedule.steps), y = gᵀμ̄ + 1, g = ∇f(μ̄)",
                                       draws: draws)
    }
}
