import Foundation
import Experiments
import LinearAlgebra
import ScoreNetwork

/// Training the ε-network, start or resume, in one place for `ggd train` and `ggd reproduce`: a
/// checkpoint continues only the configuration it was trained with (the difference is named when it
/// does not), and a run goes on the CPU trainer or resident on CUDA, checkpointed after every epoch.
public enum NetworkTraining {
    /// The state of `checkpoint`, to continue `configuration` (which may ask for more epochs).
    public static func resumeState(checkpoint: String, option: String = "--checkpoint", configuration: TrainingConfiguration) throws -> TrainingState {
        let (state, saved) = try NetworkCheckpoints.read(checkpoint, option: option)
        var comparable = saved
        comparable.epochs = configuration.epochs
        if let difference = TrainingDifference.first(between: comparable, and: configuration) {
            throw TrainingError.mismatch("\(option): \(checkpoint) cannot be continued with these options: \(difference)")
        }
        return state
    }

    /// One run of `configuration` on `data` from `start` (a new network when nil), on `backend`
    /// (openblas-float: the CPU trainer; cuda-float: resident on the GPU), checkpointed after every epoch.
    public static func train(configuration: TrainingConfiguration, data: Matrix<Float>, from start: TrainingState?, checkpoint: String,
                             backend: BackendChoice = .openBLASFloat,
                             progress: ((_ epoch: Int, _ batch: Int, _ batches: Int, _ loss: Double) -> Void)? = nil) throws -> TrainingState {
        let trainer = try ScoreTrainer(configuration: configuration, data: data)
        switch backend {
        case .openBLASFloat:
            return try trainer.train(from: start, checkpoint: checkpoint, progress: progress)
        case .cudaFloat:
            if let reason = backend.unavailableReason { throw BackendError.unavailable("cuda-float: \(reason)") }
            return try ResidentTraining<CUDAKernelBackend<Float>>.train(on: CUDAKernelBackend<Float>(), configuration: configuration, data: data,
                                                                         from: start ?? trainer.initialState(), checkpoint: checkpoint, progress: progress)
        default:
            throw BackendError.unknown("training runs in Float on openblas-float or cuda-float, not \(backend.rawValue)")
        }
    }

    /// The network for `experiment` at `checkpoint`: loaded when it holds a finished run for this setting's
    /// D, T and schedule; resumed when it holds an unfinished run of `configuration`; trained from scratch
    /// (on `seed`'s pre-training data) when there is none. A checkpoint of another configuration is an error.
    public static func network(for experiment: ResolvedExperiment, configuration: TrainingConfiguration, checkpoint: String, option: String,
                               seed: UInt64, note: ((String) -> Void)? = nil,
                               progress: ((_ epoch: Int, _ batch: Int, _ batches: Int, _ loss: Double) -> Void)? = nil) throws -> EpsilonNetwork<Float> {
        var start: TrainingState?
        if FilePaths.kind(of: checkpoint) != .absent {
            let (state, saved) = try NetworkCheckpoints.load(checkpoint, option: option, for: experiment)
            if state.epochsDone >= saved.epochs {
                note?("loaded \(checkpoint) (\(saved.architecture), \(state.epochsDone) epochs)")
                return state.network          // `load` gives the network to use (the average when kept)
            }
            var comparable = saved
            comparable.epochs = configuration.epochs
            if let difference = TrainingDifference.first(between: comparable, and: configuration) {
                throw TrainingError.mismatch("\(option) \(checkpoint) is an unfinished training run of another configuration (\(difference)); "
                                             + "finish it with ggd train --resume, or choose another \(option)")
            }
            start = try NetworkCheckpoints.read(checkpoint, option: option).0   // the raw parameters, not the average
        }
        let data = experiment.pretrainingData(count: configuration.points, seed: seed).converted(to: Float.self)
        return try train(configuration: configuration, data: data, from: start, checkpoint: checkpoint, progress: progress).networkToUse
    }
}
