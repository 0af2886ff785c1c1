import Foundation
import LinearAlgebra
import NumPyIO

/// The paper's exact simulation settings, read from the embedded copies of its parameter files.
public enum PaperSetting {
    /// Which θ of the paper's f₁, or which b of f₂.
    public enum Variant: Int, Sendable, CaseIterable { case one = 1, two = 2 }

    static func archive(_ base64: String, _ name: String) throws -> [String: NumPyArray] {
        guard let data = Foundation.Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
            throw SettingError("embedded \(name) is not valid base64")
        }
        return try NPZArchive.read([UInt8](data))
    }

    /// The raw arrays of linear_latent_hyperparameters.npz.
    public static func linearLatentArrays() throws -> [String: NumPyArray] {
        try archive(PaperFiles.linearLatentBase64, "linear_latent_hyperparameters.npz")
    }

    /// The raw arrays of unit_ball_hyperparameters.npz.
    public static func unitBallArrays() throws -> [String: NumPyArray] {
        try archive(PaperFiles.unitBallBase64, "unit_ball_hyperparameters.npz")
    }

    /// The linear-latent simulation (D = 64, d = 16, u ~ N(0, I)) with f₁(θ₁ or θ₂) or f₂(b₁ or b₂).
    public static func linear(objective: String = "f1", variant: Variant = .two) throws -> ExperimentSetting {
        let arrays = try linearLatentArrays()
        func get(_ key: String) throws -> NumPyArray {
            guard let a = arrays[key] else { throw SettingError("paper file lacks '\(key)'") }
            return a
        }
        let aT = try get("A")                               // stored d×D
        guard aT.shape.count == 2 else { throw SettingError("paper A must be 2-D, got shape \(aT.shape)") }
        let (d, D) = (aT.shape[0], aT.shape[1])
        let basis = Matrix(rows: d, columns: D, elements: aT.doubles).transposed
        let obj: ExperimentSetting.Objective
        switch objective {
        case "f1":
            let theta = try get(variant == .one ? "theta_1" : "theta_2").doubles
            obj = .init(kind: "f1", theta: theta, center: nil, curvature: nil, target: 3, peak: 10)
        case "f2":
            let b = try get(variant == .one ? "b_1" : "b_2")
            let center = b.count == 1 ? [Double](repeating: b.doubles[0], count: D) : b.doubles
            obj = .init(kind: "f2", theta: nil, center: center, curvature: nil, target: nil, peak: 5)
        default:
            throw SettingError("the paper's linear setting has objectives f1 and f2, not '\(objective)'")
        }
        return ExperimentSetting(
            data: .init(kind: .subspace, ambientDimension: D, latentDimension: d, basis: basis.rowVectors, basisSeed: nil,
                        latentMean: nil, latentCovariance: nil, mixtureWeights: nil, mixtureMeans: nil, mixtureCovariances: nil),
            objective: obj, guidance: ExperimentSetting.defaultGuidance, diffusion: ExperimentSetting.defaultDiffusion,
            origin: "paper:linear_latent_hyperparameters.npz:\(objective):\(variant == .one ? (objective == "f1" ? "theta_1" : "b_1") : (objective == "f1" ? "theta_2" : "b_2"))")
    }

    /// The sphere simulation (D = 64) with the linear reward θᵀx.
    public static func sphere() throws -> ExperimentSetting {
        let arrays = try unitBallArrays()
        guard let theta = arrays["theta"]?.doubles, let D = arrays["d_outer"]?.intScalar else {
            throw SettingError("paper sphere file lacks 'theta' or an integer 'd_outer'")
        }
        return ExperimentSetting(
            data: .init(kind: .sphere, ambientDimension: D, latentDimension: nil, basis: nil, basisSeed: nil,
                        latentMean: nil, latentCovariance: nil, mixtureWeights: nil, mixtureMeans: nil, mixtureCovariances: nil),
            objective: .init(kind: "linear", theta: theta, center: nil, curvature: nil, target: nil, peak: nil),
            guidance: ExperimentSetting.defaultGuidance, diffusion: ExperimentSetting.defaultDiffusion,
            origin: "paper:unit_ball_hyperparameters.npz")
    }
}
