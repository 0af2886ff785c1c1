import Diffusion
import Experiments
import Guidance

/// One round of Algorithm 1 with each guidance method in place of G_loss, on the paper's setting with the
/// linear score class (the hot path of `ggd methods`): time per round, and its ratio to G_loss's in the
/// same run (recurrence and inner steps cost passes, every pass batched over B).
public enum MethodBenchmarks {
    public static func rows(experiment: ResolvedExperiment, rounds: Int, batchSize: Int, threads: Int, repeats: Int) throws -> [BenchmarkRow] {
        let model = try experiment.scoreModel(.linear, pretrainingSize: 65536, seed: 1234)
        let sampler = DDPMSampler(schedule: experiment.schedule, threads: threads)
        var times: [(GuidanceMethod, Double)] = []
        for method in GuidanceMethod.defaults {
            let settings = OptimizationSettings(algorithm: 1, rounds: rounds, batchSize: batchSize, delta: 0.2, seed: 1234, method: method)
            let optimizer = try GenerativeOptimizer(sampler: sampler, objective: experiment.objective, settings: settings, geometry: experiment.geometry)
            times.append((method, try medianTime(repeats: repeats) { _ = try optimizer.run(model: model) } / Double(rounds + 1)))
        }
        let reference = times.first { $0.0.kind == .gLoss }?.1 ?? times[0].1
        return times.map { method, t in
            BenchmarkRow("Algorithm 1 round, \(method), B = \(batchSize), T = \(experiment.schedule.steps)", t,
                         String(format: "%.2f ms/round, %.2f× G_loss", t * 1000, t / reference))
        }
    }
}
