import Foundation
import LinearAlgebra
import Randomness
import Guidance

/// Which score model a run uses.
public enum ScoreChoice: String, Sendable, CaseIterable, Codable {
    /// The exact score of the data law (Gaussian or mixture latent).
    case exact
    /// The linear score class (eq. 12) fitted to pre-training data drawn from the data law.
    case linear
}

/// A setting turned into the objects that compute: schedule, data model, objective, β rule.
/// Building it validates the setting; every error names the offending field.
public struct ResolvedExperiment: Sendable {
    public let setting: ExperimentSetting
    public let schedule: NoiseSchedule
    public let dataModel: any DataModel
    /// The subspace model (nil for sphere data).
    public let subspace: SubspaceDataModel?
    public let objective: any Objective
    public let beta: BetaRule

    public init(_ s: ExperimentSetting) throws {
        setting = s
        let D = s.data.ambientDimension
        guard D >= 1 else { throw SettingError("ambient dimension D must be at least 1, got \(D)") }
        guard s.diffusion.steps >= 1 else { throw SettingError("the number of diffusion steps T must be at least 1, got \(s.diffusion.steps)") }
        guard s.diffusion.steps <= 100_000 else { throw SettingError("the number of diffusion steps T = \(s.diffusion.steps) is unreasonably large (max 100000)") }
        switch s.diffusion.schedule {
        case "cosine": schedule = try NoiseSchedule(kind: .cosine(), steps: s.diffusion.steps)
        case "linear": schedule = try NoiseSchedule(kind: .linear(), steps: s.diffusion.steps)
        default: throw SettingError("schedule must be 'cosine' or 'linear', got '\(s.diffusion.schedule)'")
        }

        switch s.data.kind {
        case .sphere:
            subspace = nil
            dataModel = try UnitSphereDataModel(dimension: D)
        case .subspace:
            let d = s.data.latentDimension ?? 16
            guard d >= 1 else { throw SettingError("latent dimension d must be at least 1, got \(d)") }
            guard d <= D else { throw SettingError("latent dimension d = \(d) exceeds ambient dimension D = \(D)") }
            let basis: Matrix<Double>
            if let rows = s.data.basis {
                guard rows.count == D, rows.allSatisfy({ $0.count == d }) else {
                    throw SettingError("A must be D×d = \(D)×\(d), got \(rows.count)×\(rows.first?.count ?? 0)")
                }
                basis = Matrix(stacking: rows, columns: d)
            } else {
                basis = try SubspaceDataModel.randomBasis(ambient: D, latent: d, seed: s.data.basisSeed ?? 0)
            }
            let latent: LatentLaw
            if let w = s.data.mixtureWeights {
                guard let means = s.data.mixtureMeans, let covs = s.data.mixtureCovariances, means.count == w.count, covs.count == w.count else {
                    throw SettingError("a mixture needs as many means and covariances as weights (\(w.count))")
                }
                latent = .mixture(try (0..<w.count).map { k in
                    guard means[k].count == d else { throw SettingError("mixture mean \(k) has \(means[k].count) entries, d = \(d)") }
                    guard covs[k].count == d, covs[k].allSatisfy({ $0.count == d }) else { throw SettingError("mixture covariance \(k) must be \(d)×\(d)") }
                    return MixtureScore.Component(weight: w[k], mean: means[k], covariance: Matrix(stacking: covs[k], columns: d))
                })
            } else {
                let mean = s.data.latentMean ?? [Double](repeating: 0, count: d)
                guard mean.count == d else { throw SettingError("mu_u has \(mean.count) entries, d = \(d)") }
                let cov: Matrix<Double>
                if let c = s.data.latentCovariance {
                    guard c.count == d, c.allSatisfy({ $0.count == d }) else { throw SettingError("Sigma_u must be \(d)×\(d)") }
                    cov = Matrix(stacking: c, columns: d)
                } else {
                    cov = .identity(d)
                }
                latent = .gaussian(mean: mean, covariance: cov)
            }
            do {
                let model = try SubspaceDataModel(basis: basis, latent: latent)
                subspace = model
                dataModel = model
            } catch { throw SettingError("\(error)") }
        }

        let o = s.objective
        func need<T>(_ v: T?, _ what: String) throws -> T {
            guard let v else { throw SettingError("objective '\(o.kind)' needs '\(what)'") }
            return v
        }
        func checkLength(_ v: [Double], _ what: String) throws {
            guard v.count == D else { throw SettingError("objective \(what) has \(v.count) entries, D = \(D)") }
            guard v.allSatisfy(\.isFinite) else { throw SettingError("objective \(what) contains NaN or infinity") }
        }
        switch o.kind {
        case "f1":
            let theta = try need(o.theta, "theta")
            try checkLength(theta, "theta")
            objective = TargetValueObjective(theta: theta, target: o.target ?? 3, peak: o.peak ?? 10)
        case "f2":
            let b = try need(o.center, "b")
            try checkLength(b, "b")
            objective = DistanceObjective(center: b, peak: o.peak ?? 5)
        case "linear":
            let theta = try need(o.theta, "theta")
            try checkLength(theta, "theta")
            objective = LinearObjective(theta: theta)
        case "quadratic":
            let c = try need(o.center, "c")
            try checkLength(c, "c")
            let q = try need(o.curvature, "Q")
            guard q.count == D, q.allSatisfy({ $0.count == D }) else { throw SettingError("objective Q must be \(D)×\(D)") }
            do { objective = try ConcaveQuadraticObjective(center: c, curvature: Matrix(stacking: q, columns: D)) } catch { throw SettingError("\(error)") }
        default:
            throw SettingError("objective kind must be f1, f2, linear or quadratic, got '\(o.kind)'")
        }

        let g = s.guidance
        guard g.sigma > 0, g.sigma.isFinite else { throw SettingError("σ must be positive and finite, got \(g.sigma)") }
        guard g.betaCoefficient.isFinite else { throw SettingError("beta_coef must be finite") }
        switch g.betaRule {
        case "code": beta = .code(sigma: g.sigma)
        case "theory": beta = .theory(sigma: g.sigma)
        case "constant":
            guard let b = g.beta, b.isFinite else { throw SettingError("beta_rule 'constant' needs a finite 'beta'") }
            beta = .constant(b)
        default: throw SettingError("beta_rule must be 'code', 'theory' or 'constant', got '\(g.betaRule)'")
        }
        if let grad = g.gradient {
            guard grad.count == D else { throw SettingError("guidance g has \(grad.count) entries, D = \(D)") }
            guard grad.allSatisfy(\.isFinite) else { throw SettingError("guidance g contains NaN or infinity") }
        }
        if let y = g.target, !y.isFinite { throw SettingError("guidance y is NaN or infinite") }
    }

    /// The score model: exact (subspace data only) or the linear class fitted to `pretrainingSize`
    /// points drawn with stream (seed, data).
    public func scoreModel(_ choice: ScoreChoice, pretrainingSize: Int = 65536, seed: UInt64) throws -> any ScoreModel {
        switch choice {
        case .exact:
            guard let subspace else { throw SettingError("the sphere has no closed-form score; use --score linear") }
            return try subspace.exactScore()
        case .linear:
            guard pretrainingSize >= 2 else { throw SettingError("the linear class needs at least 2 pre-training points, got \(pretrainingSize)") }
            let data = pretrainingData(count: pretrainingSize, seed: seed)
            return try GaussianScore.fitted(to: data)
        }
    }

    /// Pre-training data D₀.
    public func pretrainingData(count: Int, seed: UInt64) -> Matrix<Double> {
        dataModel.sample(count: count, key: StreamKey(seed: seed, purpose: .data))
    }

    /// r_off geometry (subspace data only).
    public var geometry: SubspaceGeometry? { subspace?.geometry }
}
