import Compute
import Foundation
import Diffusion
import LinearAlgebra
import Randomness

/// Algorithm 2's update of a learned network after each round (SPEC §6), in the two forms wanted:
///
/// - `.referenceCode`: one Adam step (lr 1e−6, betas 0.9/0.99) on the score-matching loss of the
///   round's samples only, as the paper's reference code does;
/// - `.paperWeighted(weight:)`: one Adam step on the weighted loss w·L(round's samples) +
///   (1 − w)·L(an equally large batch of the pre-training data D₀), as the paper states it.
///
/// The times and noise of round k are keyed by (seed, fineTuning, k), the D₀ batch by (seed, shuffle, k).
public final class NetworkFineTuner: ScoreFineTuner {
    public enum Mode: Sendable, Equatable {
        case referenceCode
        case paperWeighted(weight: Double)
    }

    public let mode: Mode
    public let seed: UInt64
    let loss: DenoisingScoreMatching
    let pretraining: Matrix<Float>?
    var optimizer: Adam<Float>?
    let learningRate: Double

    public init(mode: Mode, schedule: NoiseSchedule, seed: UInt64, learningRate: Double = 1e-6, pretraining: Matrix<Float>? = nil) throws {
        if case let .paperWeighted(w) = mode {
            guard (0...1).contains(w) else { throw NetworkError.invalidParameter("fine-tuning weight must lie in [0, 1], got \(w)") }
            guard let p = pretraining, p.rows > 0 else { throw NetworkError.invalidParameter("the weighted fine-tuning loss needs the pre-training data") }
        }
        self.mode = mode
        self.seed = seed
        self.learningRate = learningRate
        self.pretraining = pretraining
        loss = DenoisingScoreMatching(schedule: schedule)
    }

    public func update(model: any ScoreModel, samples: Matrix<Double>, round: Int) throws -> (model: any ScoreModel, loss: Double) {
        guard let score = model as? NetworkScore<Float> else {
            throw NetworkError.invalidParameter("the network fine-tuner needs a Float network score, got \(type(of: model))")
        }
        var network = score.network
        if optimizer == nil {
            optimizer = try Adam<Float>(parameterCount: network.parameterCount, learningRate: learningRate, beta1: 0.9, beta2: 0.99)
        }
        let n = samples.rows, D = network.dimension
        let workspace = NetworkWorkspace<Float>(architecture: network.architecture, maximumBatch: max(n, 1))
        func lossAndGradient(_ data: Matrix<Float>, index: Int) -> (Double, [Float]) {
            let (steps, noise) = loss.draws(rows: data.rows, dimension: D,
                                            timeKey: StreamKey(seed: seed, purpose: .fineTuning, major: round, minor: 2 * index),
                                            noiseKey: StreamKey(seed: seed, purpose: .fineTuning, major: round, minor: 2 * index + 1), as: Float.self)
            var g = [Float](repeating: 0, count: network.parameterCount)
            let value = loss.lossAndGradient(network, data: data, steps: steps, noise: noise, workspace: workspace, gradient: &g)
            return (value, g)
        }
        let own = samples.converted(to: Float.self)
        var (value, gradient) = lossAndGradient(own, index: 0)
        if case let .paperWeighted(w) = mode, let d0 = pretraining {
            var pick = SequentialGenerator(StreamKey(seed: seed, purpose: .shuffle, index: UInt64(round)))
            var batch = Matrix<Float>(rows: n, columns: D)
            for i in 0..<n { batch.setRow(i, d0.row(pick.integer(below: d0.rows))) }
            let (v0, g0) = lossAndGradient(batch, index: 1)
            value = w * value + (1 - w) * v0
            let (a, b) = (Float(w), Float(1 - w))
            for i in 0..<gradient.count { gradient[i] = a * gradient[i] + b * g0[i] }
        }
        guard value.isFinite, Kernels.allFinite(gradient) else {
            throw NetworkError.nonFinite("fine-tuning loss or gradient became NaN/infinite at round \(round)")
        }
        optimizer!.update(&network.parameters, gradient: gradient)
        return (NetworkScore(network: network, maximumBatch: score.maximumBatch), value)
    }
}
