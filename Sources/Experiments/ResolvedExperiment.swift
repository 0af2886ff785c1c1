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

    /// Validates `s` with `SettingValidation` (shapes, ranges, ignored fields, and the memory of resolving
    /// it against `memory`) before building anything, then builds the schedule, the data model (drawing a
    /// Haar basis when A is not given), the objective and the β rule. Every error is a `SettingError` naming
    /// the field, or a `ResourceLimitError`.
    public init(_ s: ExperimentSetting, memory: MemoryPolicy = .standard) throws {
        try self.init(s, memory: memory, layout: .json, validated: false)
    }

    init(_ s: ExperimentSetting, memory: MemoryPolicy, layout: SettingLayout, validated: Bool) throws {
        if !validated { try SettingValidation.check(s, memory: memory, layout: layout) }
        let n = layout.name
        setting = s
        let D = s.data.ambientDimension
        do {
            schedule = try NoiseSchedule(kind: s.diffusion.schedule == "linear" ? .linear() : .cosine(), steps: s.diffusion.steps)
        } catch { throw SettingError("\(n("diffusion")): \(error)") }

        switch s.data.kind {
        case .sphere:
            subspace = nil
            do { dataModel = try UnitSphereDataModel(dimension: D) } catch { throw SettingError("\(n("data")): \(error)") }
        case .subspace:
            let d = s.data.latentDimension ?? 16
            let basis: Matrix<Double>
            if let rows = s.data.basis {
                basis = Matrix(stacking: rows, columns: d)
            } else {
                do { basis = try SubspaceDataModel.randomBasis(ambient: D, latent: d, seed: s.data.basisSeed ?? 0) } catch {
                    throw SettingError("\(n("data.basis_seed")): cannot draw a basis: \(error)")
                }
            }
            let latent: LatentLaw
            if let w = s.data.mixtureWeights, let means = s.data.mixtureMeans, let covs = s.data.mixtureCovariances {
                latent = .mixture((0..<w.count).map { k in
                    MixtureScore.Component(weight: w[k], mean: means[k], covariance: Matrix(stacking: covs[k], columns: d))
                })
            } else {
                let mean = s.data.latentMean ?? [Double](repeating: 0, count: d)
                let cov = s.data.latentCovariance.map { Matrix(stacking: $0, columns: d) } ?? .identity(d)
                latent = .gaussian(mean: mean, covariance: cov)
            }
            do {
                let model = try SubspaceDataModel(basis: basis, latent: latent)
                subspace = model
                dataModel = model
            } catch { throw SettingError("\(n("data")): \(error)") }
        }

        let o = s.objective
        switch o.kind {
        case "f1":
            objective = TargetValueObjective(theta: o.theta!, target: o.target ?? 3, peak: o.peak ?? 10)
        case "f2":
            objective = DistanceObjective(center: o.center!, peak: o.peak ?? 5)
        case "linear":
            objective = LinearObjective(theta: o.theta!)
        default:   // "quadratic", the only other kind validation lets through
            do { objective = try ConcaveQuadraticObjective(center: o.center!, curvature: Matrix(stacking: o.curvature!, columns: D)) } catch {
                throw SettingError("\(n("objective.Q")) must be positive semi-definite, so that −½(x − c)ᵀQ(x − c) is concave (\(error))")
            }
        }

        let g = s.guidance
        switch g.betaRule {
        case "code": beta = .code(sigma: g.sigma)
        case "theory": beta = .theory(sigma: g.sigma)
        default: beta = .constant(g.beta!)
        }
    }

    /// What resolving `setting` holds (see `SettingValidation.resolvingEstimate`).
    public static func resolvingEstimate(_ setting: ExperimentSetting) -> MemoryEstimate { SettingValidation.resolvingEstimate(setting) }

    /// What sampling `count` points holds (see `SettingValidation.samplingEstimate`: the samples and six work
    /// copies with guidance, the score model, and samples.csv and samples.npy when `outputs`).
    public func samplingEstimate(count: Int, score: ScoreChoice = .exact, guided: Bool = true, outputs: Bool = true,
                                 work: String? = nil) -> MemoryEstimate {
        SettingValidation.samplingEstimate(setting, count: count, score: score, guided: guided, outputs: outputs, work: work)
    }

    /// What drawing `count` pre-training points, and fitting the linear class to them, holds (see
    /// `SettingValidation.pretrainingEstimate`).
    public func pretrainingEstimate(count: Int, fitsLinearScore: Bool = true, work: String? = nil) -> MemoryEstimate {
        SettingValidation.pretrainingEstimate(setting, count: count, fitsLinearScore: fitsLinearScore, work: work)
    }

    /// What the exact law of the DDPM output holds (see `SettingValidation.lawEstimate`).
    public func lawEstimate(outputs: Bool = true, work: String? = nil) -> MemoryEstimate {
        SettingValidation.lawEstimate(setting, outputs: outputs, work: work)
    }

    /// The score model: exact (subspace data only) or the linear class fitted to `pretrainingSize`
    /// points drawn with stream (seed, data). With `memory`, the linear class's `pretrainingEstimate` is
    /// held against it before anything is drawn.
    public func scoreModel(_ choice: ScoreChoice, pretrainingSize: Int = 65536, seed: UInt64, memory: MemoryPolicy? = nil) throws -> any ScoreModel {
        if choice == .linear, let memory { try memory.require(pretrainingEstimate(count: pretrainingSize)) }
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
