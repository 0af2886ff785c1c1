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
        guard data.rows == c.points, data.columns == c.architecture.dimension else {
            throw TrainingError.mismatch("training data are \(data.rows)×\(data.columns), the configuration says \(c.points)×\(c.architecture.dimension)")
        }
        guard data.isFinite else { throw TrainingError.mismatch("training data contain NaN or infinity") }
        guard start.network.architecture == c.architecture else {
            throw TrainingError.mismatch("the checkpoint's network is \(start.network.architecture), the configuration's \(c.architecture)")
        }
        var state = start
        let resident = try ResidentNetwork(state.network, steps: c.steps, maximumBatch: c.batchSize, on: backend)
        let average = try c.emaDecay.map { decay -> (values: [Float], decay: Double) in
            // A run that starts keeping an average starts it at the current parameters, as ScoreTrainer does.
            let values = state.averagedParameters ?? state.network.parameters
            guard values.count == state.network.parameters.count else {
                throw TrainingError.mismatch("the checkpoint's moving average holds \(values.count) values, the network \(state.network.parameters.count) parameters")
            }
            return (values, decay)
        }
        let training = try ResidentTraining(network: resident, optimizer: state.optimizer, schedule: c.makeSchedule(), average: average)
        let residentData = try backend.array(data.elements)
        while state.epochsDone < c.epochs {
            let e = state.epochsDone
            let loss = try training.epoch(data: residentData, points: c.points, batchSize: c.batchSize, seed: c.seed, epoch: e) { b, n, l in
                progress?(e, b, n, l)
            }
            state.network = try resident.network()
            state.optimizer = try training.optimizerState()
            state.averagedParameters = try training.averagedParameters()
            state.epochsDone += 1
            state.epochLosses.append(loss)
            if let checkpoint { try TrainingCheckpoint.write(state, configuration: c, to: checkpoint) }
        }
        return state
    }
}
