import ArgumentParser
import Foundation
import LinearAlgebra
import Randomness
import Experiments
import Guidance
import ScoreNetwork
import Backends

/// `ggd bench`: timings of the hot paths, as a table. Speed is measured here, never asserted in tests.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the hot paths (Algorithm 1 end to end, sampler steps, noise) and print a table.",
        discussion: """
            The headline row is Algorithm 1 with the linear score class on the paper's setting (D = 64, d = 16;
            or --setting FILE), B = 32, T = 200, 1000 rounds. Each row is the median of --repeats runs. The OpenBLAS core and thread
            count are printed: a misdetected core (for example "Prescott" on a recent CPU) is a slow run.
            """
    )

    @OptionGroup var settingOptions: SettingOptions

    @Option(name: .long, parsing: .unconditional, help: "Rounds of the Algorithm 1 benchmark.")
    var rounds = 1000

    @Option(name: .long, parsing: .unconditional, help: "Repetitions per row (the median is reported).")
    var repeats = 3

    @Option(name: .long, parsing: .unconditional, help: "Threads for the noise fill.")
    var threads = 1

    @Option(name: .long, parsing: .unconditional, help: "Threads for BLAS (the gemms here are small: one is usually fastest).")
    var blasThreads = 1

    @Option(name: .long, parsing: .unconditional, help: "Samples per round B.")
    var batchSize = 32

    @Flag(name: .long, help: "Skip the learned-network rows.")
    var skipNetwork = false

    @Option(name: .long, parsing: .unconditional, help: "Float threads for the network rows (BLAS).")
    var networkThreads = 2

    @Option(name: .long, help: ArgumentHelp("""
        Also time the learned network's G_loss round and training epoch resident on these backends (comma-separated:         reference, openblas-double, openblas-float, cuda-float, cuda-double; an unavailable one is listed with its reason).
        """, valueName: "list"))
    var backends = ""

    @Option(name: .long, help: ArgumentHelp("Batch sizes of the --backends rows (comma-separated).", valueName: "list"))
    var networkBatchSizes = "32"

    @Option(name: .long, parsing: .unconditional, help: "Points in the training epoch of the --backends rows.")
    var epochPoints = 65536

    @Option(name: .long, help: ArgumentHelp("Write the table as JSON to this file as well.", valueName: "file"))
    var json: String?

    @OptionGroup var safety: SafetyOptions

    func validate() throws {
        guard rounds >= 1, repeats >= 1, threads >= 1, batchSize >= 1, epochPoints >= 1 else {
            throw ValidationError("--rounds, --repeats, --threads, --batch-size and --epoch-points must be positive")
        }
        guard rounds <= 10_000_000, repeats <= 1000, threads <= 256, blasThreads >= 1, blasThreads <= 256, networkThreads >= 1, networkThreads <= 256,
              batchSize <= 1_000_000, epochPoints <= 100_000_000 else {
            throw ValidationError("--rounds ≤ 10000000, --repeats ≤ 1000, threads in 1…256, --batch-size ≤ 1000000, --epoch-points ≤ 100000000")
        }
        for name in backends.split(separator: ",") where BackendChoice(rawValue: name.trimmingCharacters(in: .whitespaces)) == nil {
            throw ValidationError("--backends: unknown backend '\(name)' (known: \(BackendChoice.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        for s in networkBatchSizes.split(separator: ",", omittingEmptySubsequences: false) where !(1...65_536).contains(Int(s.trimmingCharacters(in: .whitespaces)) ?? 0) {
            throw ValidationError("--network-batch-sizes: '\(s)' is not an integer between 1 and 65536")
        }
    }

    func run() throws {
        let output = json.map { OutputFile(path: $0, force: safety.force) }
        try output?.checkDestination()
        BLASEnvironment.setThreads(blasThreads)
        let experiment = try settingOptions.load(memory: safety.memory)
        try safety.memory.require(experiment.pretrainingEstimate(count: 65536, work: "ggd bench's linear score"))
        try safety.memory.require(experiment.samplingEstimate(count: batchSize, score: .linear, outputs: false, work: "ggd bench --batch-size \(batchSize)"))
        let model = try experiment.scoreModel(.linear, pretrainingSize: 65536, seed: 1234)
        let sampler = DDPMSampler(schedule: experiment.schedule, threads: threads)
        var rows: [(String, Double, String)] = []

        func median(_ body: () throws -> Void) rethrows -> Double { try medianTime(repeats: repeats, body) }

        let settings = OptimizationSettings(algorithm: 1, rounds: rounds, batchSize: batchSize, guidance: .lookahead,
                                            beta: .code(sigma: 0.1), delta: 0.2, seed: 1234)
        let optimizer = try GenerativeOptimizer(sampler: sampler, objective: experiment.objective, settings: settings, geometry: experiment.geometry)
        let t1 = try median { _ = try optimizer.run(model: model) }
        rows.append(("Algorithm 1, linear score, G_loss, B = \(batchSize), T = \(experiment.schedule.steps), \(rounds) rounds", t1,
                     String(format: "%.2f ms/round", t1 / Double(rounds) * 1000)))

        let D = experiment.setting.data.ambientDimension
        let x = NoiseFill.normals(rows: batchSize, columns: D, key: StreamKey(seed: 1, purpose: .initialNoise))
        let time = experiment.schedule.time(min(100, experiment.schedule.steps))
        let n = 20000
        let tDenoise = median { for _ in 0..<n { _ = model.denoise(x, at: time) } }
        rows.append(("linear score x̂₀, batch \(batchSize)×\(D)", tDenoise / Double(n), String(format: "%.2f µs/call", tDenoise / Double(n) * 1e6)))
        let target = try GuidanceTarget.shared(gradient: experiment.objective.gradient(x.row(0)), target: 1, count: batchSize)
        let guidance = try LookaheadGuidance(target: target)
        let x0 = model.denoise(x, at: time)
        let tGuide = median { for _ in 0..<n { _ = guidance.term(model: model, x: x, denoised: x0, time: time) } }
        rows.append(("G_loss term (VJP + β), batch \(batchSize)×\(D)", tGuide / Double(n), String(format: "%.2f µs/call", tGuide / Double(n) * 1e6)))
        var z = Matrix<Double>(rows: batchSize, columns: D)
        let tNoise = median { for i in 0..<n { NoiseFill.fill(&z, key: StreamKey(seed: 1, purpose: .stepNoise, index: UInt64(i)), threads: threads) } }
        rows.append(("Philox normals, \(batchSize)×\(D)", tNoise / Double(n), String(format: "%.1f ns/normal", tNoise / Double(n * batchSize * D) * 1e9)))

        if !skipNetwork { try networkRows(&rows, median: median) }
        if !backends.isEmpty { try residentRows(&rows) }
        BLASEnvironment.setThreads(blasThreads)

        let audit = BLASEnvironment.audit(running: BLASRuntime.coreName)
        print("ggd bench — \(audit.summary); BLAS threads \(BLASRuntime.threadCount), noise threads \(threads), median of \(repeats)")
        if let fault = audit.fault { print("WARNING: \(fault); these timings are not this machine's") }
        print("OpenBLAS config: \(BLASRuntime.configuration)")
        let width = rows.map { $0.0.count }.max() ?? 10
        for (name, seconds, detail) in rows {
            print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(format: "%10.4f s", seconds) + "  " + detail)
        }
        if let json {
            let object: [String: Any] = [
                "tool_version": ToolVersion.string, "openblas_core": BLASRuntime.coreName, "openblas_core_chosen_by": audit.chooser,
                "openblas_core_fault": audit.fault ?? NSNull(), "blas_threads": BLASRuntime.threadCount, "repeats": repeats,
                "rows": rows.map { ["name": $0.0, "seconds": $0.1, "detail": $0.2] as [String: Any] },
            ]
            try output?.write(Array(try ResultEncoding.json(object).utf8))
        }
    }

    /// The learned network (mlp-512x4, Float): one G_loss round (B = 32, T = 200, Algorithm 1), a training
    /// batch (forward, backward, Adam) and the 20-epoch time it implies, beside the machine's sgemm peak.
    func networkRows(_ rows: inout [(String, Double, String)], median: (() throws -> Void) throws -> Double) throws {
        BLASEnvironment.setThreads(networkThreads)
        let experiment = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        let D = experiment.setting.data.ambientDimension
        let architecture = try NetworkArchitecture.mlp512x4(dimension: D)
        let network = EpsilonNetwork<Float>(architecture: architecture, seed: 7)
        let model = NetworkScore(network: network, maximumBatch: 256)
        // sgemm peak: a large square product, and the network's own shape.
        func sgemmRate(_ m: Int, _ k: Int, _ n: Int, repeats: Int) throws -> Double {
            let a = Matrix<Float>(rows: m, columns: k, repeating: 0.5), b = Matrix<Float>(rows: k, columns: n, repeating: 0.25)
            var c = Matrix<Float>(rows: m, columns: n)
            let t = try median { for _ in 0..<repeats { Matrix.gemm(a, b, into: &c) } }
            return 2 * Double(m * k * n * repeats) / t / 1e9
        }
        let peak = try sgemmRate(1024, 1024, 1024, repeats: 10)
        let shaped = try sgemmRate(32, 512, 512, repeats: 2000)
        rows.append(("sgemm 1024³ (the machine's peak, \(networkThreads) threads)", 0, String(format: "%.0f GFLOP/s", peak)))
        rows.append(("sgemm 32×512×512 (the network's shape)", 0, String(format: "%.0f GFLOP/s", shaped)))

        // One G_loss round of Algorithm 1 is a guided DDPM draw of B = 32 (the gradient query and the
        // round's bookkeeping are microseconds): time that draw, with per-sample gradients of f₁ at an
        // unguided batch as the guidance target, as the optimiser builds it.
        let sampler = DDPMSampler(schedule: experiment.schedule)
        let start = sampler.sample(model: model, guidance: nil, count: 32, noise: SamplingNoise(seed: 1234), progress: nil)
        let gradients = Matrix<Double>(rows: 32, columns: D) { i, j in experiment.objective.gradient(start.row(i))[j] }
        let targets = (0..<32).map { 0.2 + Vectors.dot(gradients.row($0), start.row($0)) }
        let guidance = try LookaheadGuidance(target: try GuidanceTarget(gradients: gradients, targets: targets), beta: .code(sigma: 0.1))
        var roundIndex = 0
        let round = try median {
            roundIndex += 1
            _ = sampler.sample(model: model, guidance: guidance, count: 32, noise: SamplingNoise(seed: 1234, round: roundIndex), progress: nil)
        }
        // FLOPs of the gemms actually run. A G_loss step is one forward pass (the sampler's shared step folds
        // the time embedding into the first layer's bias, so that gemm runs over the D x-columns) and one
        // input VJP (the same products backwards, no parameter gradient).
        let (W, Din, blocks, Dd) = (Double(architecture.width), Double(architecture.inputWidth), Double(architecture.blocks), Double(D))
        let hidden = blocks * W * W + W * Dd
        let roundFlops = Double(experiment.schedule.steps) * 2 * 32 * ((Dd * W + hidden) + (hidden + Dd * W))
        // A training batch: forward with the embedding in the gemm, ∂h through the layers, parameter gradients.
        let trainingFlops = 2 * 32 * ((Din * W + hidden) + hidden + (hidden + Din * W))
        rows.append(("G_loss round, mlp-512x4 Float, B = 32, T = 200", round,
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
        rows.append(("training batch (forward, backward, Adam), batch 32", perBatch,
                     String(format: "%.2f ms/batch → 20 epochs of 65536 points ≈ %.1f min, %.0f GFLOP/s", perBatch * 1000, full / 60,
                            trainingFlops / perBatch / 1e9)))
    }
}
