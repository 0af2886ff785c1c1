import Diffusion
import LinearAlgebra
import Randomness
import TestSupport

/// Shared small problems of the Diffusion tests: D = 8, d = 3, a non-projector latent covariance and a
/// three-component mixture (see `SubspaceProblem`).
enum Fixture {
    static let problem = SubspaceProblem(ambient: 8, latent: 3, seed: 7)

    static func gaussian(_ p: SubspaceProblem = problem) throws -> GaussianScore {
        try GaussianScore.subspace(basis: p.basis, latentMean: p.latentMean, latentCovariance: p.latentCovariance)
    }

    static func mixture(_ p: SubspaceProblem = problem) throws -> MixtureScore {
        try MixtureScore(basis: p.basis, components: (0..<p.mixtureWeights.count).map {
            MixtureScore.Component(weight: p.mixtureWeights[$0], mean: p.mixtureMeans[$0], covariance: p.mixtureCovariances[$0])
        })
    }

    static let cosine200 = try! NoiseSchedule(kind: .cosine(), steps: 200)

    /// Times across the whole schedule, from the smallest noise (h ≈ 4e-5) to pure noise, plus two
    /// continuous-time points.
    static let times: [DiffusionTime] = [1, 5, 50, 150, 200].map { cosine200.time($0) }
        + [ContinuousVP.time(0.01), ContinuousVP.time(1.5)]

    static func row(_ v: [Double]) -> Matrix<Double> { Matrix(rows: 1, columns: v.count, elements: v) }
}
