import Diffusion
import Foundation
import Experiments
import Guidance
import LinearAlgebra
import ScoreNetwork

/// The learned network (mlp-512x4 or another architecture of that size, Float) on the host: the machine's sgemm peak and the network's shape,
/// one G_loss round (B = 32, T = 200, Algorithm 1) and a training batch with the 20-epoch time it implies,
/// as rates of `NetworkFlops`.
public enum NetworkBenchmarks {
    /// The learned network (mlp-512x4, Float): one G_loss round (B = 32, T = 200, Algorithm 1), a training
    /// batch (forward, backward, Adam) and the 20-epoch time it implies, beside the machine's sgemm peak.
    public static func rows(threads: Int, repeats: Int, parameterization: OutputParameterization = .epsilon,
                            timeConditioning: TimeConditioning = .input) throws -> [BenchmarkRow] {
        BLASRuntime.setThreadCount(threads)
        func median(_ body: () throws -> Void) rethrows -> Double { try medianTime(repeats: repeats, body) }
        var rows = [BenchmarkRow]()
        let experiment = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        let D = experiment.setting.data.ambientDimension
        let architecture = try NetworkArchitecture(dimension: D, width: 512, blocks: 3, parameterization: parameterization,
                                                   timeConditioning: timeConditioning)
        let network = EpsilonNetwork<Float>(architecture: architecture, seed: 7)
        let model = NetworkScore(network: network, maximumBatch: 256)
        // sgemm peak: a large square product, and the network's own shape.
        func sgemmRate(_ m: Int, _ k: Int, _ n: Int, repeats: Int) throws -> Double {
            let a = Matrix<Float>(rows: m, columns: k, repeating: 0.5), b = Matrix<Float>(rows: k, columns: n, repeating: 0.25)
            var c = Matrix<Float>(rows: m, columns: n)
            let t = median { for _ in 0..<repeats { Matrix.gemm(a, b, into: &c) } }
            return 2 * Double(m * k * n * repeats) / t / 1e9
        }
        let peak = try sgemmRate(1024, 1024, 1024, repeats: 10)
        let shaped = try sgemmRate(32, 512, 512, repeats: 2000)
        rows.append(BenchmarkRow("sgemm 1024³ (the machine's peak, \(threads) threads)", 0, String(format: "%.0f GFLOP/s", peak)))
        rows.append(BenchmarkRow("sgemm 32×512×512 (the network's shape)", 0, String(format: "%.0f GFLOP/s", shaped)))

        // One G_loss round of Algorithm 1 is a guided DDPM draw of B = 32 (the gradient query and the
        // round's bookkeeping are microseconds): time that draw, with per-sample gradients of f₁ at an
        // unguided batch as the guidance target, as the optimiser builds it.
        let sampler = DDPMSampler(schedule: experiment.schedule)
        let start = sampler.sample(model: model, guidance: nil, count: 32, noise: SamplingNoise(seed: 1234), progress: nil)
        let gradients = Matrix<Double>(rows: 32, columns: D) { i, j in experiment.objective.gradient(start.row(i))[j] }
        let targets = (0..<32).map { 0.2 + Vectors.dot(gradients.row($0), start.row($0)) }
        let guidance = try LookaheadGuidance(target: try GuidanceTarget(gradients: gradients, targets: targets), beta: .code(sigma: 0.1))
        var roundIndex = 0
        let round = median {
            roundIndex += 1
            _ = sampler.sample(model: model, guidance: guidance, count: 32, noise: SamplingNoise(seed: 1234, round: roundIndex), progress: nil)
        }
        let roundFlops = NetworkFlops.guidedRound(architecture, batch: 32, steps: experiment.schedule.steps)
        let trainingFlops = NetworkFlops.trainingBatch(architecture, batch: 32)
        rows.append(BenchmarkRow("G_loss round, \(architecture.name) Float, B = 32, T = 200", round,
                     String(format: "%.3f s/round, %.0f GFLOP/s (%.0f%% of the 32×512×512 sgemm rate)", round, roundFlops / round / 1e9,
                            100 * roundFlops / round / 1e9 / shaped)))

        let points = 32 * 200
        let config = TrainingConfiguration(architecture: architecture, points: points, epochs: 1, seed: 3)
        let data = experiment.pretrainingData(count: points, seed: 3).converted(to: Float.self)
        let trainer = try ScoreTrainer(configuration: config, data: data)
        let initial = try trainer.initialState()
        let epoch = try median {
            var state = initial
            try trainer.trainEpoch(&state)
        }
        let perBatch = epoch / 200
        let full = perBatch * Double(65536 / 32 * 20)
        rows.append(BenchmarkRow("training batch (forward, backward, Adam), \(architecture.name), batch 32", perBatch,
                     String(format: "%.2f ms/batch → 20 epochs of 65536 points ≈ %.1f min, %.0f GFLOP/s", perBatch * 1000, full / 60,
                            trainingFlops / perBatch / 1e9)))
        return rows
    }
}
