import Diffusion
import Foundation
import Experiments
import Guidance
import LinearAlgebra
import Randomness

/// The closed-form hot paths: Algorithm 1 end to end with the linear score class (the headline row),
/// and its parts — x̂₀ of a batch, the G_loss term, the Philox normals of a step.
public enum HotPathBenchmarks {
    /// Rows for `experiment`: `rounds` rounds of B = `batchSize`, noise filled on `threads` threads, each
    /// the median of `repeats` runs.
    public static func rows(experiment: ResolvedExperiment, rounds: Int, batchSize: Int, threads: Int, repeats: Int) throws -> [BenchmarkRow] {
        let model = try experiment.scoreModel(.linear, pretrainingSize: 65536, seed: 1234)
        let sampler = DDPMSampler(schedule: experiment.schedule, threads: threads)
        var rows: [BenchmarkRow] = []

        func median(_ body: () throws -> Void) rethrows -> Double { try medianTime(repeats: repeats, body) }

        let settings = OptimizationSettings(algorithm: 1, rounds: rounds, batchSize: batchSize, guidance: .lookahead,
                                            beta: .code(sigma: 0.1), delta: 0.2, seed: 1234)
        let optimizer = try GenerativeOptimizer(sampler: sampler, objective: experiment.objective, settings: settings, geometry: experiment.geometry)
        let t1 = try median { _ = try optimizer.run(model: model) }
        rows.append(BenchmarkRow("Algorithm 1, linear score, G_loss, B = \(batchSize), T = \(experiment.schedule.steps), \(rounds) rounds", t1,
                     String(format: "%.2f ms/round", t1 / Double(rounds) * 1000)))

        let D = experiment.setting.data.ambientDimension
        let x = NoiseFill.normals(rows: batchSize, columns: D, key: StreamKey(seed: 1, purpose: .initialNoise))
        let time = experiment.schedule.time(min(100, experiment.schedule.steps))
        let n = 20000
        let tDenoise = median { for _ in 0..<n { _ = model.denoise(x, at: time) } }
        rows.append(BenchmarkRow("linear score x̂₀, batch \(batchSize)×\(D)", tDenoise / Double(n), String(format: "%.2f µs/call", tDenoise / Double(n) * 1e6)))
        let target = try GuidanceTarget.shared(gradient: experiment.objective.gradient(x.row(0)), target: 1, count: batchSize)
        let guidance = try LookaheadGuidance(target: target)
        let x0 = model.denoise(x, at: time)
        let tGuide = median { for _ in 0..<n { _ = guidance.term(model: model, x: x, denoised: x0, time: time) } }
        rows.append(BenchmarkRow("G_loss term (VJP + β), batch \(batchSize)×\(D)", tGuide / Double(n), String(format: "%.2f µs/call", tGuide / Double(n) * 1e6)))
        var z = Matrix<Double>(rows: batchSize, columns: D)
        let tNoise = median { for i in 0..<n { NoiseFill.fill(&z, key: StreamKey(seed: 1, purpose: .stepNoise, index: UInt64(i)), threads: threads) } }
        rows.append(BenchmarkRow("Philox normals, \(batchSize)×\(D)", tNoise / Double(n), String(format: "%.1f ns/normal", tNoise / Double(n * batchSize * D) * 1e9)))

        return rows
    }
}
