import Guidance
import LinearAlgebra
import Randomness
import TestSupport

/// Shared small problems of the Guidance tests: D = 8, d = 3 (see `SubspaceProblem`).
enum Fixture {
    static let problem = SubspaceProblem(ambient: 8, latent: 3, seed: 21)

    static func gaussian(_ p: SubspaceProblem = problem) throws -> GaussianScore {
        try GaussianScore.subspace(basis: p.basis, latentMean: p.latentMean, latentCovariance: p.latentCovariance)
    }

    /// Σ_u = I: Σ̄ = P is a projector (the paper's setting).
    static func standardGaussian(_ p: SubspaceProblem = problem) throws -> GaussianScore {
        try GaussianScore.subspace(basis: p.basis, latentMean: p.latentMean, latentCovariance: .identity(p.latent))
    }

    static func mixture(_ p: SubspaceProblem = problem) throws -> MixtureScore {
        try MixtureScore(basis: p.basis, components: (0..<p.mixtureWeights.count).map {
            MixtureScore.Component(weight: p.mixtureWeights[$0], mean: p.mixtureMeans[$0], covariance: p.mixtureCovariances[$0])
        })
    }

    /// The linear class fitted to 500 draws of the Gaussian-latent subspace model (rank d up to round-off).
    static func fittedToSubspaceData(_ p: SubspaceProblem = problem) throws -> GaussianScore {
        let data = try SubspaceDataModel(basis: p.basis, latent: .gaussian(mean: p.latentMean, covariance: p.latentCovariance))
            .sample(count: 500, key: TestRandom.key(900))
        return try GaussianScore.fitted(to: data)
    }

    static let cosine200 = try! NoiseSchedule(kind: .cosine(), steps: 200)

    static let times: [DiffusionTime] = [1, 5, 50, 150, 200].map { cosine200.time($0) } + [ContinuousVP.time(0.02)]

    /// n gradients with a large off-span part: g = Pw + 3(I − P)w' (so ‖g⊥‖/‖g‖ ≈ 0.95 on average).
    static func offSpanHeavyGradients(_ n: Int, key: StreamKey, p: SubspaceProblem = problem) -> Matrix<Double> {
        let w = TestRandom.gaussianMatrix(rows: n, columns: 2 * p.ambient, key: key)
        var g = Matrix<Double>(rows: n, columns: p.ambient)
        for i in 0..<n {
            let row = w.row(i)
            let first = Array(row[0..<p.ambient]), second = Array(row[p.ambient...])
            let off1 = Naive.offSpan(p.basis, first), off2 = Naive.offSpan(p.basis, second)
            g.setRow(i, (0..<p.ambient).map { (first[$0] - off1[$0]) + 3 * off2[$0] })
        }
        return g
    }

    static func row(_ v: [Double]) -> Matrix<Double> { Matrix(rows: 1, columns: v.count, elements: v) }
}
