import Foundation
import Experiments
import ScoreNetwork

/// Loading a trained ε-network for a setting: a checkpoint is usable only with the dimension, the
/// number of steps and the schedule it was trained for (a network trained for T = 200 on the cosine
/// schedule, asked at the linear schedule's noise levels, returns confident nonsense: rewards of −2.7e7).
public enum NetworkCheckpoints {
    /// The checkpoint's state for use (not for resuming): its `network` is the network to use — the
    /// parameters' moving average when the run kept one (`TrainingState.networkToUse`).
    public static func load(_ path: String, option: String, for experiment: ResolvedExperiment) throws -> (TrainingState, TrainingConfiguration) {
        var (state, config) = try read(path, option: option)
        try check(config, path: path, option: option, for: experiment)
        guard state.network.parameters.allSatisfy(\.isFinite) else {
            throw TrainingError.mismatch("\(option) \(path): the network's parameters contain NaN or infinity")
        }
        state.network = state.networkToUse
        return (state, config)
    }

    /// Reads a checkpoint; a missing or unreadable file is an `InputFileError` (exit 66), a malformed one a
    /// `TrainingError` (65).
    public static func read(_ path: String, option: String) throws -> (TrainingState, TrainingConfiguration) {
        try InputFiles.requireReadableFile(path, context: option)
        return try TrainingCheckpoint.read(path)
    }

    public static func check(_ config: TrainingConfiguration, path: String, option: String, for experiment: ResolvedExperiment) throws {
        let s = experiment.setting
        guard config.architecture.dimension == s.data.ambientDimension else {
            throw TrainingError.mismatch("\(option) \(path) is a network for D = \(config.architecture.dimension), the setting has D = \(s.data.ambientDimension)")
        }
        guard config.steps == experiment.schedule.steps else {
            throw TrainingError.mismatch("\(option) \(path) was trained for T = \(config.steps) diffusion steps, the setting has T = \(experiment.schedule.steps) (use --T \(config.steps) or retrain)")
        }
        guard config.schedule == s.diffusion.schedule else {
            throw TrainingError.mismatch("\(option) \(path) was trained on the \(config.schedule) schedule, the setting uses \(s.diffusion.schedule) (use --schedule \(config.schedule) or retrain)")
        }
    }
}

/// The first setting in which a checkpoint's training configuration differs from the one requested,
/// named by the option that sets it, so a refused --resume says what to change.
public enum TrainingDifference {
    public static func first(between saved: TrainingConfiguration, and requested: TrainingConfiguration) -> String? {
        let a = saved.architecture, b = requested.architecture
        let pairs: [(String, String, String)] = [
            ("D (the setting's dimension)", "\(a.dimension)", "\(b.dimension)"),
            ("--width", "\(a.width)", "\(b.width)"),
            ("--blocks", "\(a.blocks)", "\(b.blocks)"),
            ("--parameterization", a.parameterization.rawValue, b.parameterization.rawValue),
            ("--time-conditioning", a.timeConditioning.rawValue, b.timeConditioning.rawValue),
            ("--points", "\(saved.points)", "\(requested.points)"),
            ("--batch-size", "\(saved.batchSize)", "\(requested.batchSize)"),
            ("--lr", "\(saved.learningRate)", "\(requested.learningRate)"),
            ("Adam's betas", "\(saved.beta1)/\(saved.beta2)", "\(requested.beta1)/\(requested.beta2)"),
            ("--T", "\(saved.steps)", "\(requested.steps)"),
            ("--schedule", saved.schedule, requested.schedule),
            ("--seed", "\(saved.seed)", "\(requested.seed)"),
            ("--ema-decay", saved.emaDecay.map { "\($0)" } ?? "none", requested.emaDecay.map { "\($0)" } ?? "none"),
        ]
        for (option, was, now) in pairs where was != now {
            return "\(option) is \(now) here but \(was) in the checkpoint"
        }
        return saved == requested ? nil : "the configuration differs"
    }
}
