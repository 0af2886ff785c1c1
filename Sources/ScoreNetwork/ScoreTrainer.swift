import Compute
import Foundation
import Diffusion
import LinearAlgebra
import Randomness

/// Where a training run stands: the network, the optimiser, how many epochs are done, the mean loss of
/// each, and the parameters' moving average when the run keeps one. This is exactly what a checkpoint
/// holds, so a run resumed from one continues bit for bit.
public struct TrainingState: Sendable {
    public var network: EpsilonNetwork<Float>
    public var optimizer: Adam<Float>
    public var epochsDone: Int
    public var epochLosses: [Double]
    /// The exponential moving average of the parameters (`TrainingConfiguration.emaDecay`), or nil.
    public var averagedParameters: [Float]?

    public init(network: EpsilonNetwork<Float>, optimizer: Adam<Float>, epochsDone: Int, epochLosses: [Double],
                averagedParameters: [Float]? = nil) {
        self.network = network
        self.optimizer = optimizer
        self.epochsDone = epochsDone
        self.epochLosses = epochLosses
        self.averagedParameters = averagedParameters
    }

    /// The network to use (sample with, judge): the averaged parameters when the run keeps them, else the
    /// trained ones. Training itself always continues from `network`.
    public var networkToUse: EpsilonNetwork<Float> {
        guard let averaged = averagedParameters else { return network }
        return EpsilonNetwork<Float>(unchecked: network.architecture, parameters: averaged)
    }
}

/// Why training stopped.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case nonFinite(epoch: Int, batch: Int, quantity: String)
    case mismatch(String)
    /// The parameters or Adam's moments became NaN or infinite after an update (a loss and gradient that were
    /// still finite, then a step too large): the epoch is not checkpointed.
    case diverged(epoch: Int, quantity: String)

    public var description: String {
        switch self {
        case let .nonFinite(e, b, q): return "training stopped: \(q) became NaN or infinite at epoch \(e + 1), batch \(b + 1) (the last checkpoint is intact)"
        case let .mismatch(m): return m
        case let .diverged(e, q): return "training diverged: \(q) became NaN or infinite during epoch \(e + 1); nothing was written for it (the last checkpoint is intact)"
        }
    }
}

/// Trains the ε-network by denoising score matching (SPEC §2: t uniform on 1…T, ε-MSE) with Adam.
///
/// Every random draw is keyed by (seed, epoch, batch): the shuffle of epoch e by (seed, shuffle, e), the
/// times and noise of batch b by (seed, timesteps / trainingNoise, (e, b)). So an interrupted run resumed
/// from the checkpoint of its last finished epoch gives the same network as an uninterrupted one.
public final class ScoreTrainer {
    public let configuration: TrainingConfiguration
    /// The training data, one point per row (Float).
    public let data: Matrix<Float>
    let loss: DenoisingScoreMatching
    let workspace: NetworkWorkspace<Float>

    /// Trains on `backend` (the network passes and Adam both run there).
    public init(configuration: TrainingConfiguration, data: Matrix<Float>, backend: ComputeBackend = .openBLAS) throws {
        try configuration.validate()
        guard data.rows == configuration.points, data.columns == configuration.architecture.dimension else {
            throw TrainingError.mismatch("training data are \(data.rows)×\(data.columns), the configuration says \(configuration.points)×\(configuration.architecture.dimension)")
        }
        guard data.isFinite else { throw TrainingError.mismatch("training data contain NaN or infinity") }
        self.configuration = configuration
        self.data = data
        loss = DenoisingScoreMatching(schedule: try configuration.makeSchedule())
        workspace = NetworkWorkspace(architecture: configuration.architecture, maximumBatch: configuration.batchSize, backend: backend)
    }

    /// A fresh state: the network initialised from (seed, initialization), Adam at step 0.
    public func initialState() throws -> TrainingState {
        let c = configuration
        let network = EpsilonNetwork<Float>(architecture: c.architecture, seed: c.seed)
        let adam = try Adam<Float>(parameterCount: network.parameterCount, learningRate: c.learningRate, beta1: c.beta1, beta2: c.beta2)
        return TrainingState(network: network, optimizer: adam, epochsDone: 0, epochLosses: [],
                             averagedParameters: c.emaDecay == nil ? nil : network.parameters)
    }

    /// One epoch from `state`; `progress(batch, batches, running mean loss)` after each batch.
    public func trainEpoch(_ state: inout TrainingState, progress: ((Int, Int, Double) -> Void)? = nil) throws {
        let c = configuration
        let e = state.epochsDone
        var shuffler = SequentialGenerator(StreamKey(seed: c.seed, purpose: .shuffle, index: UInt64(e)))
        let order = shuffler.permutation(c.points)
        let D = c.architecture.dimension
        var gradient = [Float](repeating: 0, count: state.network.parameterCount)
        var batchData = Matrix<Float>(rows: c.batchSize, columns: D)
        var total = 0.0
        let batches = c.batchesPerEpoch
        for b in 0..<batches {
            let rows = min(c.batchSize, c.points - b * c.batchSize)
            if rows != batchData.rows { batchData = Matrix<Float>(rows: rows, columns: D) }
            data.elements.withUnsafeBufferPointer { src in
                batchData.elements.withUnsafeMutableBufferPointer { dst in
                    for r in 0..<rows {
                        let from = order[b * c.batchSize + r] * D
                        for j in 0..<D { dst[r * D + j] = src[from + j] }
                    }
                }
            }
            let (steps, noise) = loss.draws(rows: rows, dimension: D,
                                            timeKey: StreamKey(seed: c.seed, purpose: .timesteps, major: e, minor: b),
                                            noiseKey: StreamKey(seed: c.seed, purpose: .trainingNoise, major: e, minor: b), as: Float.self)
            let value = loss.lossAndGradient(state.network, data: batchData, steps: steps, noise: noise, workspace: workspace, gradient: &gradient)
            guard value.isFinite else { throw TrainingError.nonFinite(epoch: e, batch: b, quantity: "the loss") }
            guard Kernels.allFinite(gradient) else { throw TrainingError.nonFinite(epoch: e, batch: b, quantity: "the gradient") }
            state.optimizer.update(&state.network.parameters, gradient: gradient, backend: workspace.backend)
            if let d = c.emaDecay, state.averagedParameters != nil { Self.average(&state.averagedParameters!, toward: state.network.parameters, decay: d) }
            total += value
            progress?(b + 1, batches, total / Double(b + 1))
        }
        try Self.requireFinite(state, epoch: e)
        state.epochsDone += 1
        state.epochLosses.append(total / Double(batches))
    }

    /// average ← d·average + (1 − d)·parameters, in Float (d and 1 − d rounded once).
    static func average(_ average: inout [Float], toward parameters: [Float], decay: Double) {
        precondition(average.count == parameters.count, "the average has \(average.count) entries, the parameters \(parameters.count)")
        let (a, b) = (Float(decay), Float(1 - decay))
        average.withUnsafeMutableBufferPointer { m in
            parameters.withUnsafeBufferPointer { p in
                Kernels.exponentialAverage(m.baseAddress!, toward: p.baseAddress!, count: m.count, decay: a, weight: b)
            }
        }
    }

    /// Throws `TrainingError.diverged` when the network or Adam's state holds NaN or infinity.
    public static func requireFinite(_ state: TrainingState, epoch: Int) throws {
        guard Kernels.allFinite(state.network.parameters) else { throw TrainingError.diverged(epoch: epoch, quantity: "the network's parameters") }
        if let averaged = state.averagedParameters, !Kernels.allFinite(averaged) {
            throw TrainingError.diverged(epoch: epoch, quantity: "the parameters' moving average")
        }
        guard Kernels.allFinite(state.optimizer.firstMoment), Kernels.allFinite(state.optimizer.secondMoment) else {
            throw TrainingError.diverged(epoch: epoch, quantity: "Adam's state")
        }
    }

    /// Runs the remaining epochs, writing a checkpoint (atomically) after each when `checkpoint` is given.
    public func train(from start: TrainingState? = nil, checkpoint: String? = nil,
                      progress: ((_ epoch: Int, _ batch: Int, _ batches: Int, _ loss: Double) -> Void)? = nil) throws -> TrainingState {
        var state = try start ?? initialState()
        guard state.network.architecture == configuration.architecture else {
            throw TrainingError.mismatch("the checkpoint's network is \(state.network.architecture), the configuration's \(configuration.architecture)")
        }
        while state.epochsDone < configuration.epochs {
            let epoch = state.epochsDone
            try trainEpoch(&state) { b, n, l in progress?(epoch, b, n, l) }
            if let checkpoint { try TrainingCheckpoint.write(state, configuration: configuration, to: checkpoint) }
        }
        return state
    }

    /// The mean loss over the whole data set for a fixed draw of times and noise (for evaluation).
    public func evaluationLoss(_ network: EpsilonNetwork<Float>, seed: UInt64) -> Double {
        let c = configuration
        let eval = NetworkWorkspace<Float>(architecture: c.architecture, maximumBatch: 1024)
        let (steps, noise) = loss.draws(rows: c.points, dimension: c.architecture.dimension,
                                        timeKey: StreamKey(seed: seed, purpose: .timesteps, index: UInt64.max),
                                        noiseKey: StreamKey(seed: seed, purpose: .trainingNoise, index: UInt64.max), as: Float.self)
        return loss.loss(network, data: data, steps: steps, noise: noise, workspace: eval)
    }
}
