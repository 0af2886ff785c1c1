import Compute
import Foundation
import Backends
import Diffusion
import Experiments
import Guidance
import LinearAlgebra
import Randomness
import ScoreNetwork

/// The learned network's G_loss round and training epoch run resident on each backend (the whole
/// trajectory or epoch in the backend's memory, `ResidentSampler` / `ResidentTraining`), at each batch
/// size: how the GPU's times are measured beside the CPU's.
public enum ResidentBenchmarks {
    public static func rows(backends choices: [BackendChoice], sizes: [Int], epochPoints: Int, threads: Int, repeats: Int) throws -> [BenchmarkRow] {
        var rows = [BenchmarkRow]()
        BLASRuntime.setThreadCount(threads)
        for choice in choices {
            if let reason = choice.unavailableReason {
                rows.append(BenchmarkRow("\(choice.rawValue): unavailable", 0, reason))
                continue
            }
            let measured = try choice.with(FloatOrDouble(
                float: { try Self.measure($0, sizes: sizes, epochPoints: epochPoints, repeats: repeats) },
                double: { try Self.measure($0, sizes: sizes, epochPoints: epochPoints, repeats: repeats) }))
            for row in measured { rows.append(BenchmarkRow("\(choice.rawValue): " + row.name, row.seconds, row.detail)) }
        }
        return rows
    }

    /// The rows for one backend; each time is the median of `repeats` runs.
    static func measure<K: SamplerBackend>(_ k: K, sizes: [Int], epochPoints: Int, repeats: Int) throws -> [BenchmarkRow] {
        func median(_ body: () throws -> Void) rethrows -> Double { try medianTime(repeats: repeats, body) }
        let experiment = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        let D = experiment.setting.data.ambientDimension
        let T = experiment.schedule.steps
        let architecture = try NetworkArchitecture.mlp512x4(dimension: D)
        let network: EpsilonNetwork<K.Scalar> = EpsilonNetwork<Double>(architecture: architecture, seed: 7).converted()
        let data = try k.array(experiment.pretrainingData(count: epochPoints, seed: 3).converted(to: K.Scalar.self).elements)
        var out = [BenchmarkRow]()
        for B in sizes {
            let resident = try ResidentNetwork(network, steps: T, maximumBatch: B, on: k)
            let sampler = ResidentSampler(sampler: DDPMSampler(schedule: experiment.schedule))
            let start = try sampler.sample(resident, guidance: nil, count: B, noise: SamplingNoise(seed: 1234))
            let gradients = Matrix<Double>(rows: B, columns: D) { i, j in experiment.objective.gradient(start.row(i))[j] }
            let targets = (0..<B).map { 0.2 + Vectors.dot(gradients.row($0), start.row($0)) }
            let guidance = try LookaheadGuidance(target: GuidanceTarget(gradients: gradients, targets: targets), beta: .code(sigma: 0.1))
            var round = 0
            let tRound = try median {
                round += 1
                _ = try sampler.sample(resident, guidance: guidance, count: B, noise: SamplingNoise(seed: 1234, round: round))
            }
            out.append(BenchmarkRow("G_loss round, mlp-512x4, B = \(B), T = \(T)", tRound, String(format: "%.4f s/round (resident)", tRound)))
            let training = try ResidentTraining(network: ResidentNetwork(network, steps: T, maximumBatch: B, on: k),
                                                optimizer: Adam<K.Scalar>(parameterCount: network.parameterCount, learningRate: 1e-4),
                                                schedule: experiment.schedule)
            var epoch = 0
            let tEpoch = try median {
                _ = try training.epoch(data: data, points: epochPoints, batchSize: B, seed: 3, epoch: epoch)
                epoch += 1
            }
            let batches = (epochPoints + B - 1) / B
            out.append(BenchmarkRow("training epoch, \(epochPoints) points, batch \(B)", tEpoch,
                        String(format: "%.2f s/epoch, %.3f ms/batch → 20 epochs of 65536 ≈ %.2f min", tEpoch, tEpoch / Double(batches) * 1000, 20 * tEpoch * 65536 / Double(epochPoints) / 60)))
        }
        return out
    }
}
