import Foundation
import LinearAlgebra
import Diffusion

/// A complete, self-describing experiment setting: the data law, the objective, the guidance's
/// observation model and the diffusion schedule. It is what `--setting FILE` reads (JSON or .npz, see
/// `SettingFile`), what `--paper-setting` builds, and what every output records, so a run can be
/// repeated from its output alone.
public struct ExperimentSetting: Codable, Sendable, Equatable {
    public enum DataKind: String, Codable, Sendable, CaseIterable { case subspace, sphere }

    /// The data law.
    public struct Data: Codable, Sendable, Equatable {
        public var kind: DataKind
        /// Ambient dimension D.
        public var ambientDimension: Int
        /// Latent dimension d (subspace data).
        public var latentDimension: Int?
        /// The D×d basis A (rows of the nested array are the D rows); absent → Haar-random from `basisSeed`.
        public var basis: [[Double]]?
        public var basisSeed: UInt64?
        /// Gaussian latent mean μ_u and covariance Σ_u (absent → 0 and I).
        public var latentMean: [Double]?
        public var latentCovariance: [[Double]]?
        /// Gaussian-mixture latent: weights πₖ, means mₖ, covariances Sₖ (present → mixture).
        public var mixtureWeights: [Double]?
        public var mixtureMeans: [[Double]]?
        public var mixtureCovariances: [[[Double]]]?
    }

    /// The reward to maximise.
    public struct Objective: Codable, Sendable, Equatable {
        /// "f1" (10 − (θᵀx − 3)²), "f2" (5 − ½‖x − b‖), "linear" (θᵀx), "quadratic" (−½(x − c)ᵀQ(x − c)).
        public var kind: String
        public var theta: [Double]?
        public var center: [Double]?
        public var curvature: [[Double]]?
        /// f1's target value a (default 3) and peak c (default 10); f2's peak (default 5).
        public var target: Double?
        public var peak: Double?
    }

    /// The observation model of the guidance.
    public struct Guidance: Codable, Sendable, Equatable {
        /// σ (default 0.1).
        public var sigma: Double
        /// "code" (default), "theory" or "constant".
        public var betaRule: String
        /// The constant β when `betaRule` is "constant".
        public var beta: Double?
        /// β_coef (default 1).
        public var betaCoefficient: Double
        /// A fixed guidance query (g, y) for `sample --guided` and `law --guided`; absent → g = ∇f(μ̄),
        /// y = δ + gᵀμ̄.
        public var gradient: [Double]?
        public var target: Double?
    }

    /// The forward process.
    public struct Diffusion: Codable, Sendable, Equatable {
        /// "cosine" (default) or "linear".
        public var schedule: String
        /// T (default 200).
        public var steps: Int
    }

    public var data: Data
    public var objective: Objective
    public var guidance: Guidance
    public var diffusion: Diffusion
    /// Where the setting came from ("paper", "default", or the file it was read from).
    public var origin: String

    public init(data: Data, objective: Objective, guidance: Guidance, diffusion: Diffusion, origin: String) {
        self.data = data
        self.objective = objective
        self.guidance = guidance
        self.diffusion = diffusion
        self.origin = origin
    }

    /// The guidance defaults of the reference code: σ = 0.1, the code's β, β_coef = 1.
    public static let defaultGuidance = Guidance(sigma: 0.1, betaRule: "code", beta: nil, betaCoefficient: 1, gradient: nil, target: nil)
    /// T = 200, cosine schedule.
    public static let defaultDiffusion = Diffusion(schedule: "cosine", steps: 200)

    /// A generated subspace setting: Haar-random A (D×d) from `seed`, u ~ N(0, I), f1 with θ = A·1/√d.
    public static func generated(ambient D: Int, latent d: Int, seed: UInt64) throws -> ExperimentSetting {
        guard D >= 1, d >= 1 else { throw SettingError.invalid("dimensions must be positive, got D = \(D), d = \(d)") }
        guard d <= D else { throw SettingError.invalid("latent dimension d = \(d) exceeds ambient dimension D = \(D)") }
        guard Double(seed) < SettingValidation.largestExactInteger else {
            throw SettingError.invalid("the basis seed must be below 2^53 so that the setting survives a JSON round trip, got \(seed)")
        }
        let a = try SubspaceDataModel.randomBasis(ambient: D, latent: d, seed: seed)
        let theta = a.times([Double](repeating: 1 / Double(d).squareRoot(), count: d))
        return ExperimentSetting(
            data: Data(kind: .subspace, ambientDimension: D, latentDimension: d, basis: nil, basisSeed: seed,
                       latentMean: nil, latentCovariance: nil, mixtureWeights: nil, mixtureMeans: nil, mixtureCovariances: nil),
            objective: Objective(kind: "f1", theta: theta, center: nil, curvature: nil, target: nil, peak: nil),
            guidance: defaultGuidance, diffusion: defaultDiffusion, origin: "generated(D=\(D), d=\(d), seed=\(seed))")
    }
}

/// Why a setting could not be read or used; one line naming the problem and, where known, the file.
public struct SettingError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
    public static func invalid(_ m: String) -> SettingError { SettingError(m) }
}
