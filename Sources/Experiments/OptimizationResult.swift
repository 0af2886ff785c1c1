import Foundation
import Guidance

/// `ggd optimize`'s result.json: the run (seed, threads, setting, options), every round's metrics and the
/// final round's.
public struct OptimizationResult: Encodable, Sendable {
    public struct Options: Encodable, Sendable {
        public var algorithm: Int
        public var guidance: String
        public var rounds: Int
        public var batchSize: Int
        public var delta: Double
        public var gradientPoint: String
        public var preset: String
        public var lambda: JSONNumber
        public var score: String
        public var fineTuneMode: String
        public var pretrainingSize: Int
        public var sampler: String
        public var fineTuneStart: JSONNullable<Int>
        public var fineTuneLR: Double
        public var backend: String

        public init(algorithm: Int, guidance: String, rounds: Int, batchSize: Int, delta: Double, gradientPoint: String, preset: String,
                    lambda: Double?, score: String, fineTuneMode: String, pretrainingSize: Int, sampler: String, fineTuneStart: Int?,
                    fineTuneLR: Double, backend: String) {
            (self.algorithm, self.guidance, self.rounds, self.batchSize, self.delta) = (algorithm, guidance, rounds, batchSize, delta)
            (self.gradientPoint, self.preset, self.lambda, self.score) = (gradientPoint, preset, JSONNumber(lambda), score)
            (self.fineTuneMode, self.pretrainingSize, self.sampler) = (fineTuneMode, pretrainingSize, sampler)
            (self.fineTuneStart, self.fineTuneLR, self.backend) = (JSONNullable(fineTuneStart), fineTuneLR, backend)
        }

        enum CodingKeys: String, CodingKey {
            case algorithm, guidance, rounds, batchSize = "batch_size", delta, gradientPoint = "gradient_point", preset, lambda, score,
                 fineTuneMode = "fine_tune_mode", pretrainingSize = "pretraining_size", sampler, fineTuneStart = "fine_tune_start",
                 fineTuneLR = "fine_tune_lr", backend
        }
    }

    public struct Final: Encodable, Sendable {
        public var meanReward, top4Reward, meanROff: JSONNumber
        enum CodingKeys: String, CodingKey { case meanReward = "mean_reward", top4Reward = "top4_reward", meanROff = "mean_r_off" }
    }

    public let command = "optimize"
    public let toolVersion = ToolVersion.string
    public var seed: UInt64
    public var threads: Int
    public var setting: SettingRecord
    public var options: Options
    public var rounds: [RoundJSON]
    public var final: Final

    enum CodingKeys: String, CodingKey { case command, toolVersion = "tool_version", seed, threads, setting, options, rounds, final }

    public init(run: OptimizationRun, experiment: ResolvedExperiment, seed: UInt64, threads: Int, options: Options) {
        self.seed = seed
        self.threads = threads
        setting = SettingRecord(experiment.setting)
        self.options = options
        rounds = run.records.map(RoundJSON.init)
        let last = run.records.last
        final = Final(meanReward: JSONNumber(last?.meanReward), top4Reward: JSONNumber(last?.top4Reward), meanROff: JSONNumber(last?.meanOffSupportRatio))
    }
}
