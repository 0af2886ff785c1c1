import ArgumentParser
import Foundation
import LinearAlgebra
import Randomness
import Experiments
import Guidance

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

    @Option(name: .long, help: "Rounds of the Algorithm 1 benchmark.")
    var rounds = 1000

    @Option(name: .long, help: "Repetitions per row (the median is reported).")
    var repeats = 3

    @Option(name: .long, help: "Threads for the noise fill.")
    var threads = 1

    @Option(name: .long, help: "Threads for BLAS (the gemms here are small: one is usually fastest).")
    var blasThreads = 1

    @Option(name: .long, help: "Samples per round B.")
    var batchSize = 32

    @Option(name: .long, help: ArgumentHelp("Write the table as JSON to this file as well.", valueName: "file"))
    var json: String?

    func validate() throws {
        guard rounds >= 1, repeats >= 1, threads >= 1, batchSize >= 1 else {
            throw ValidationError("--rounds, --repeats, --threads and --batch-size must be positive")
        }
    }

    func run() throws {
        BLASEnvironment.setThreads(blasThreads)
        let experiment = try settingOptions.load()
        let model = try experiment.scoreModel(.linear, pretrainingSize: 65536, seed: 1234)
        let sampler = DDPMSampler(schedule: experiment.schedule, threads: threads)
        var rows: [(String, Double, String)] = []

        func median(_ body: () throws -> Void) rethrows -> Double {
            var times = [Double]()
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return times.sorted()[times.count / 2]
        }

        let settings = OptimizationSettings(algorithm: 1, rounds: rounds, batchSize: batchSize, guidance: .lookahead,
                                            beta: .code(sigma: 0.1), delta: 0.2, seed: 1234)
        let optimizer = try GenerativeOptimizer(sampler: sampler, objective: experiment.objective, settings: settings, geometry: experiment.geometry)
        let t1 = try median { _ = try optimizer.run(model: model) }
        rows.append(("Algorithm 1, linear score, G_loss, B = \(batchSize), T = \(experiment.schedule.steps), \(rounds) rounds", t1,
                     String(format: "%.2f ms/round", t1 / Double(rounds) * 1000)))

        let D = experiment.setting.data.ambientDimension
        let x = NoiseFill.normals(rows: batchSize, columns: D, key: StreamKey(seed: 1, purpose: .initialNoise))
        let time = experiment.schedule.time(100)
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

        print("ggd bench — OpenBLAS core \(BLASRuntime.coreName), BLAS threads \(BLASRuntime.threadCount), noise threads \(threads), median of \(repeats)")
        print("OpenBLAS config: \(BLASRuntime.configuration)")
        let width = rows.map { $0.0.count }.max() ?? 10
        for (name, seconds, detail) in rows {
            print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(format: "%10.4f s", seconds) + "  " + detail)
        }
        if let json {
            let object: [String: Any] = [
                "openblas_core": BLASRuntime.coreName, "blas_threads": BLASRuntime.threadCount, "repeats": repeats,
                "rows": rows.map { ["name": $0.0, "seconds": $0.1, "detail": $0.2] as [String: Any] },
            ]
            var output = AtomicOutput(directory: (json as NSString).deletingLastPathComponent.isEmpty ? "." : (json as NSString).deletingLastPathComponent)
            output.add((json as NSString).lastPathComponent, text: try ResultEncoding.json(object))
            try output.commit()
        }
    }
}
