import Foundation
import LinearAlgebra

/// `ggd sample`'s result.json: the run (seed, threads, setting, options) and a summary of the draws.
public struct SampleResult: Encodable, Sendable {
    public struct Options: Encodable, Sendable {
        public var count: Int
        public var score: String
        public var pretrainingSize: Int
        public var sampler: String
        public var method: String
        public var guided: Bool
        public var guidance: String
        public var delta: Double
        public var backend: String

        public init(count: Int, score: String, pretrainingSize: Int, sampler: String, method: String, guided: Bool, guidance: String,
                    delta: Double, backend: String) {
            (self.count, self.score, self.pretrainingSize, self.sampler, self.method) = (count, score, pretrainingSize, sampler, method)
            (self.guided, self.guidance, self.delta, self.backend) = (guided, guidance, delta, backend)
        }

        enum CodingKeys: String, CodingKey {
            case count, score, pretrainingSize = "pretraining_size", sampler, method, guided, guidance, delta, backend
        }
    }

    /// The draws' mean, mean reward and (with a subspace) the off-support ratio r_off.
    public struct Summary: Encodable, Sendable {
        public var count: Int
        public var mean: [JSONNumber]
        public var meanReward: JSONNumber
        public var meanROff: JSONNumber?
        public var maxROff: JSONNumber?

        enum CodingKeys: String, CodingKey { case count, mean, meanReward = "mean_reward", meanROff = "mean_r_off", maxROff = "max_r_off" }
    }

    public let command = "sample"
    public let toolVersion = ToolVersion.string
    public var seed: UInt64
    public var threads: Int
    public var setting: SettingRecord
    public var options: Options
    public var summary: Summary

    enum CodingKeys: String, CodingKey { case command, toolVersion = "tool_version", seed, threads, setting, options, summary }

    /// The record of `samples` drawn in `experiment`.
    public init(samples: Matrix<Double>, experiment: ResolvedExperiment, seed: UInt64, threads: Int, options: Options) {
        self.seed = seed
        self.threads = threads
        setting = SettingRecord(experiment.setting)
        self.options = options
        let rewards = experiment.objective.values(samples)
        let n = Double(samples.rows)
        var summary = Summary(count: samples.rows, mean: JSONNumber.list(samples.columnMeans), meanReward: JSONNumber(rewards.reduce(0, +) / n))
        if let geometry = experiment.geometry {
            let r = geometry.offSupportRatio(samples)
            summary.meanROff = JSONNumber(r.reduce(0, +) / n)
            summary.maxROff = JSONNumber(r.max() ?? 0)
        }
        self.summary = summary
    }
}
