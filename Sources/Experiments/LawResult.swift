import Foundation
import Diffusion
import Guidance
import LinearAlgebra

/// The exact output law of the DDPM sampler for a Gaussian score (`DDPMExactLaw`), with, under guidance,
/// Lemma 3's closed form beside it and the distance between them: `ggd law`'s measurement and its
/// law.json record.
public struct LawResult: Encodable, Sendable {
    public struct Options: Encodable, Sendable {
        public var guided: Bool
        public var guidance: String
        public var delta: Double
        public var score: String
        public var pretrainingSize: Int
        /// "ddpm", or DDIM with its η and steps ("ddim(eta=0.5, steps=50)").
        public var sampler: String

        public init(guided: Bool, guidance: String, delta: Double, score: String, pretrainingSize: Int, sampler: String = "ddpm") {
            (self.guided, self.guidance, self.delta, self.score, self.pretrainingSize) = (guided, guidance, delta, score, pretrainingSize)
            self.sampler = sampler
        }

        enum CodingKeys: String, CodingKey { case guided, guidance, delta, score, pretrainingSize = "pretraining_size", sampler }
    }

    /// Lemma 3's prediction and how far the sampler's exact law lies from it.
    public struct LemmaThree: Sendable {
        public let law: GaussianLaw
        public let meanError: Double
        public let covarianceError: Double
        /// The query (g, y) the prediction conditions on.
        public let gradient: [Double]
        public let target: Double
    }

    public let command = "law"
    public let toolVersion = ToolVersion.string
    public var seed: UInt64
    public var setting: SettingRecord
    public var options: Options
    public let law: GaussianLaw
    public let lemma3: LemmaThree?

    enum CodingKeys: String, CodingKey {
        case command, toolVersion = "tool_version", seed, setting, options, mean, covariance, lemma3Mean = "lemma3_mean",
             lemma3Covariance = "lemma3_covariance", lemma3MeanError = "lemma3_mean_error", lemma3CovarianceError = "lemma3_covariance_error"
    }

    /// The law of `model`'s output under `sampler` (DDPM by default, or DDIM) in `experiment`, guided by the
    /// query of `GuidanceQuery` when `guided`.
    public init(experiment: ResolvedExperiment, model: GaussianScore, guided: Bool, guidance kind: GuidanceKind, delta: Double, seed: UInt64,
                options: Options, sampler: (any AffineStepSampler)? = nil) throws {
        self.seed = seed
        setting = SettingRecord(experiment.setting)
        self.options = options
        let sampler = sampler ?? DDPMSampler(schedule: experiment.schedule)
        let term = guided ? try GuidanceQuery.make(experiment: experiment, model: model, kind: kind, delta: delta, count: 1) : nil
        law = DDPMExactLaw.output(sampler: sampler, model: model, guidance: term)
        if guided {
            let (g, y) = GuidanceQuery.gradientAndTarget(experiment: experiment, model: model, delta: delta)
            let predicted = TheoryPredictions.lemma3Law(mean: model.mean, covariance: model.covariance, gradient: g, target: y,
                                                        sigma: experiment.setting.guidance.sigma)
            lemma3 = LemmaThree(law: predicted, meanError: Vectors.norm(Vectors.subtract(law.mean, predicted.mean)),
                                covarianceError: (law.covariance - predicted.covariance).frobeniusNorm, gradient: g, target: y)
        } else {
            lemma3 = nil
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(command, forKey: .command)
        try c.encode(toolVersion, forKey: .toolVersion)
        try c.encode(seed, forKey: .seed)
        try c.encode(setting, forKey: .setting)
        try c.encode(options, forKey: .options)
        try c.encode(JSONNumber.list(law.mean), forKey: .mean)
        try c.encode(law.covariance.rowVectors.map(JSONNumber.list), forKey: .covariance)
        if let lemma3 {
            try c.encode(JSONNumber.list(lemma3.law.mean), forKey: .lemma3Mean)
            try c.encode(lemma3.law.covariance.rowVectors.map(JSONNumber.list), forKey: .lemma3Covariance)
            try c.encode(JSONNumber(lemma3.meanError), forKey: .lemma3MeanError)
            try c.encode(JSONNumber(lemma3.covarianceError), forKey: .lemma3CovarianceError)
        }
    }
}
