import Compute
import Diffusion
import LinearAlgebra
import ScoreNetwork

extension ResidentTraining where Backend.Scalar == Float {
    /// `ScoreTrainer.train` with every epoch resident on the backend: the data are uploaded once, and
    /// after each epoch the network and Adam's state come back for the checkpoint (written atomically,
    /// the same file `ScoreTrainer` writes, so either can resume the other's run). Same draws, same
    /// order: on a host backend the result equals `ScoreTrainer.train` bit for bit (tested).
    public static func train(on backend: Backend, configuration c: TrainingConfiguration, data: Matrix<Float>, from start: TrainingState,
                             checkpoint: String? = nil,
                             progress: ((_ epoch: Int, _ batch: Int, _ batches: Int, _ loss: Double) -> Void)? = nil) throws -> TrainingState {
        try c.validate()
        guard c.emaDecay == nil else {
            throw BackendError.invalid("the resident trainer does not keep the parameters' moving average (--ema-decay): train on openblas-float")
        }
        guard data.rows == c.points, data.columns == c.architecture.dimension else {
            throw TrainingError.mismatch("training data are \(data.rows)×\(data.columns), the configuration says \(c.points)×\(c.architecture.dimension)")
        }
        guard data.isFinite else { throw TrainingError.mismatch("training data contain NaN or infinity") }
        guard start.network.architecture == c.architecture else {
            throw TrainingError.mismatch("the checkpoint's network is \(start.network.architecture), the configuration's \(c.architecture)")
        }
        var state = start
        let resident = try ResidentNetwork(state.network, steps: c.steps, maximumBatch: c.batchSize, on: backend)
        let training = try ResidentTraining(network: resident, optimizer: state.optimizer, schedule: c.makeSchedule())
        let residentData = try backend.array(data.elements)
        while state.epochsDone < c.epochs {
            let e = state.epochsDone
            let loss = try training.epoch(data: residentData, points: c.points, batchSize: c.batchSize, seed: c.seed, epoch: e) { b, n, l in
                progress?(e, b, n, l)
            }
            state.network = try resident.network()
            state.optimizer = try training.optimizerState()
            state.epochsDone += 1
            state.epochLosses.append(loss)
            if let checkpoint { try TrainingCheckpoint.write(state, configuration: c, to: checkpoint) }
        }
        return state
    }
}
