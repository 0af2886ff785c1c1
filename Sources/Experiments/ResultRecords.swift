import Foundation
import Guidance

/// The typed result records the commands write as result.json: one `Encodable` record per command, in
/// the layout every earlier output had (snake_case keys, sorted, non-finite numbers as null), so each
/// can be fed back as `--setting` and compared with older outputs.
public enum ResultJSON {
    /// `JSONWriter`'s layout (sorted keys, arrays of scalars on one line, a trailing newline): byte-identical
    /// for identical runs, numbers exactly as Swift's encoder writes them.
    public static func string<T: Encodable>(_ value: T) throws -> String { try JSONWriter.string(encoding: value) }
}

/// A JSON number, or null when the value is missing or not finite (JSON has no NaN).
public struct JSONNumber: Encodable, Sendable, Equatable {
    public let value: Double?

    public init(_ value: Double?) { self.value = value }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let v = value, v.isFinite { try c.encode(v) } else { try c.encodeNil() }
    }

    public static func list(_ xs: [Double]) -> [JSONNumber] { xs.map(JSONNumber.init) }
}

/// A value written as null when absent (instead of leaving the key out).
public struct JSONNullable<Value: Encodable & Sendable>: Encodable, Sendable {
    public let value: Value?

    public init(_ value: Value?) { self.value = value }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let value { try c.encode(value) } else { try c.encodeNil() }
    }
}

/// The setting in the JSON layout `SettingFile.fromJSON` reads ("D", "mu_u", "Sigma_u", ...), so every
/// output replays as `--setting`.
public struct SettingRecord: Encodable, Sendable {
    public let setting: ExperimentSetting

    public init(_ setting: ExperimentSetting) { self.setting = setting }

    enum Keys: String, CodingKey { case data, objective, guidance, diffusion, origin }
    enum DataKeys: String, CodingKey { case kind, D, d, A, basisSeed = "basis_seed", muU = "mu_u", sigmaU = "Sigma_u", mixture }
    enum MixtureKeys: String, CodingKey { case weights, means, covariances }
    enum ObjectiveKeys: String, CodingKey { case kind, theta, b, c, Q, target, peak }
    enum GuidanceKeys: String, CodingKey { case sigma, betaRule = "beta_rule", betaCoef = "beta_coef", beta, g, y }
    enum DiffusionKeys: String, CodingKey { case schedule, T }

    public func encode(to encoder: any Encoder) throws {
        let s = setting
        var c = encoder.container(keyedBy: Keys.self)
        var data = c.nestedContainer(keyedBy: DataKeys.self, forKey: .data)
        try data.encode(s.data.kind.rawValue, forKey: .kind)
        try data.encode(s.data.ambientDimension, forKey: .D)
        try data.encodeIfPresent(s.data.latentDimension, forKey: .d)
        try data.encodeIfPresent(s.data.basis, forKey: .A)
        try data.encodeIfPresent(s.data.basisSeed, forKey: .basisSeed)
        try data.encodeIfPresent(s.data.latentMean, forKey: .muU)
        try data.encodeIfPresent(s.data.latentCovariance, forKey: .sigmaU)
        if let w = s.data.mixtureWeights {
            var m = data.nestedContainer(keyedBy: MixtureKeys.self, forKey: .mixture)
            try m.encode(w, forKey: .weights)
            try m.encode(s.data.mixtureMeans ?? [], forKey: .means)
            try m.encode(s.data.mixtureCovariances ?? [], forKey: .covariances)
        }
        var objective = c.nestedContainer(keyedBy: ObjectiveKeys.self, forKey: .objective)
        try objective.encode(s.objective.kind, forKey: .kind)
        try objective.encodeIfPresent(s.objective.theta, forKey: .theta)
        try objective.encodeIfPresent(s.objective.center, forKey: s.objective.kind == "f2" ? .b : .c)
        try objective.encodeIfPresent(s.objective.curvature, forKey: .Q)
        try objective.encodeIfPresent(s.objective.target, forKey: .target)
        try objective.encodeIfPresent(s.objective.peak, forKey: .peak)
        var guidance = c.nestedContainer(keyedBy: GuidanceKeys.self, forKey: .guidance)
        try guidance.encode(s.guidance.sigma, forKey: .sigma)
        try guidance.encode(s.guidance.betaRule, forKey: .betaRule)
        try guidance.encode(s.guidance.betaCoefficient, forKey: .betaCoef)
        try guidance.encodeIfPresent(s.guidance.beta, forKey: .beta)
        try guidance.encodeIfPresent(s.guidance.gradient, forKey: .g)
        try guidance.encodeIfPresent(s.guidance.target, forKey: .y)
        var diffusion = c.nestedContainer(keyedBy: DiffusionKeys.self, forKey: .diffusion)
        try diffusion.encode(s.diffusion.schedule, forKey: .schedule)
        try diffusion.encode(s.diffusion.steps, forKey: .T)
        try c.encode(s.origin, forKey: .origin)
    }
}

/// One optimisation round as result.json lists it.
public struct RoundJSON: Encodable, Sendable {
    public let round: Int
    public let meanReward, top4Reward, meanROff, meanSphereDeviation, meanSignedSphereDeviation, meanNorm, meanTarget, fineTuningLoss: JSONNumber
    public let iterateMean: [JSONNumber]

    enum CodingKeys: String, CodingKey {
        case round, meanReward = "mean_reward", top4Reward = "top4_reward", meanROff = "mean_r_off",
             meanSphereDeviation = "mean_sphere_deviation", meanSignedSphereDeviation = "mean_signed_sphere_deviation", meanNorm = "mean_norm", meanTarget = "mean_target", fineTuningLoss = "fine_tuning_loss",
             iterateMean = "iterate_mean"
    }

    public init(_ r: RoundRecord) {
        round = r.round
        meanReward = JSONNumber(r.meanReward)
        top4Reward = JSONNumber(r.top4Reward)
        meanROff = JSONNumber(r.meanOffSupportRatio)
        meanSphereDeviation = JSONNumber(r.meanSphereDeviation)
        meanSignedSphereDeviation = JSONNumber(r.meanSignedSphereDeviation)
        meanNorm = JSONNumber(r.meanNorm)
        meanTarget = JSONNumber(r.meanTarget)
        fineTuningLoss = JSONNumber(r.fineTuningLoss)
        iterateMean = JSONNumber.list(r.iterateMean)
    }
}
