import ArgumentParser
import Reporting
import Foundation
import LinearAlgebra
import Randomness
import Experiments
import Guidance
import ScoreNetwork
import Backends
import Benchmarks

/// `ggd bench`: timings of the hot paths, as a table. Speed is measured here, never asserted in tests.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the hot paths (Algorithm 1 end to end, sampler steps, noise) and print a table.",
        discussion: """
            The headline row is Algorithm 1 with the linear score class on the paper's setting (D = 64, d = 16;
            or --setting FILE), B = 32, T = 200, 1000 rounds. Each row is the median of --repeats runs. The OpenBLAS core and thread
            count are printed: a misdetected core (for example "Prescott" on a recent CPU) is a slow run.
            Then one round of Algorithm 1 with each guidance method of `ggd methods` in place of G_loss
            (--method-rounds rounds each), with its time as a ratio to G_loss's in the same run.
            """
    )

    @OptionGroup var settingOptions: SettingOptions

    @Option(name: .long, parsing: .unconditional, help: "Rounds of the Algorithm 1 benchmark.")
    var rounds = 1000

    @Option(name: .long, parsing: .unconditional, help: "Rounds of each guidance method's row (subspace settings).")
    var methodRounds = 50

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

    @Option(name: .long, help: ArgumentHelp("The network rows' output parameterisation: epsilon (the paper's), v or x0 (see ggd train).", valueName: "kind"))
    var parameterization: OutputParameterization = .epsilon

    @Option(name: .long, help: ArgumentHelp("The network rows' time conditioning: input or every-block (see ggd train).", valueName: "where"))
    var timeConditioning: TimeConditioning = .input

    @Option(name: .long, parsing: .unconditional, help: "Float threads for the network rows (BLAS).")
    var networkThreads = 2

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp(
        "Also time the learned network's G_loss round and training epoch resident on these backends (reference, "
            + "openblas-double, openblas-float, cuda-float, cuda-double; comma- or space-separated; an unavailable one is "
            + "listed with its reason).", valueName: "backend"))
    var backends: [BackendList] = []

    @Option(name: .long, help: ArgumentHelp("Batch sizes of the --backends rows (comma-separated).", valueName: "list"))
    var networkBatchSizes = "32"

    @Option(name: .long, parsing: .unconditional, help: "Points in the training epoch of the --backends rows.")
    var epochPoints = 65536

    @Option(name: .long, help: ArgumentHelp("Throughput of the mlp-512x4 G_loss round resident on openblas-float at these batch sizes (comma-separated, e.g. 32,256,1024,4096): samples·steps/s and GFLOP/s against the sgemm peak measured in the same run.", valueName: "list"))
    var batchSizes: String?

    @Flag(name: .long, help: "With --batch-sizes: where each round's time goes, kernel by kernel (gemm, SiLU, element-wise, sampler rows, noise, copies, the rest).")
    var profile = false

    @Option(name: .long, help: ArgumentHelp("With --batch-sizes: write the scaling figure (samples·steps per second and GFLOP/s against B) as SVG to this file (written atomically).", valueName: "file"))
    var figure: String?

    @Option(name: .long, help: ArgumentHelp("Write the table as JSON to this file as well.", valueName: "file"))
    var json: String?

    @OptionGroup var safety: SafetyOptions

    func scalingSizes() throws -> [Int]? {
        guard let batchSizes else { return nil }
        let sizes = batchSizes.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 != nil && $0! >= 1 && $0! <= 65536 }) else {
            throw ValidationError("--batch-sizes must be batch sizes from 1 to 65536 separated by commas, got '\(batchSizes)'")
        }
        return sizes.map { $0! }
    }

    func validate() throws {
        _ = try scalingSizes()
        if profile && batchSizes == nil { throw ValidationError("--profile breaks down the --batch-sizes rounds: give --batch-sizes") }
        if figure != nil && batchSizes == nil { throw ValidationError("--figure draws the --batch-sizes rounds: give --batch-sizes") }
        guard methodRounds >= 1, methodRounds <= 1_000_000 else { throw ValidationError("--method-rounds must be between 1 and 1000000, got \(methodRounds)") }
        guard rounds >= 1, repeats >= 1, threads >= 1, batchSize >= 1, epochPoints >= 1 else {
            throw ValidationError("--rounds, --repeats, --threads, --batch-size and --epoch-points must be positive")
        }
        guard rounds <= 10_000_000, repeats <= 1000, threads <= 256, blasThreads >= 1, blasThreads <= 256, networkThreads >= 1, networkThreads <= 256,
              batchSize <= 1_000_000, epochPoints <= 100_000_000 else {
            throw ValidationError("--rounds ≤ 10000000, --repeats ≤ 1000, threads in 1…256, --batch-size ≤ 1000000, --epoch-points ≤ 100000000")
        }
        for s in networkBatchSizes.split(separator: ",", omittingEmptySubsequences: false) where !(1...65_536).contains(Int(s.trimmingCharacters(in: .whitespaces)) ?? 0) {
            throw ValidationError("--network-batch-sizes: '\(s)' is not an integer between 1 and 65536")
        }
    }

    func run() throws {
        let output = json.map { OutputFile(path: $0, force: safety.force) }
        try output?.checkDestination()
        let figureOutput = figure.map { OutputFile(path: $0, force: safety.force || Self.isScalingFigure($0)) }
        try figureOutput?.checkDestination()
        BLASEnvironment.setThreads(blasThreads)
        let experiment = try settingOptions.load(memory: safety.memory)
        try safety.memory.require(experiment.pretrainingEstimate(count: 65536, work: "ggd bench's linear score"))
        try safety.memory.require(experiment.samplingEstimate(count: batchSize, score: .linear, outputs: false, work: "ggd bench --batch-size \(batchSize)"))
        var rows = try HotPathBenchmarks.rows(experiment: experiment, rounds: rounds, batchSize: batchSize, threads: threads, repeats: repeats)
        if experiment.geometry != nil {
            rows += try MethodBenchmarks.rows(experiment: experiment, rounds: methodRounds, batchSize: batchSize, threads: threads, repeats: repeats)
        }
        if !skipNetwork { rows += try NetworkBenchmarks.rows(threads: networkThreads, repeats: repeats, parameterization: parameterization,
                                                            timeConditioning: timeConditioning) }
        let chosen = backends.flatMap(\.choices)
        if !chosen.isEmpty {
            let sizes = networkBatchSizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            rows += try ResidentBenchmarks.rows(backends: chosen, sizes: sizes, epochPoints: epochPoints, threads: networkThreads, repeats: repeats)
        }
        if let sizes = try scalingSizes() {
            for B in sizes {
                try safety.memory.require(experiment.samplingEstimate(count: B, score: .linear, outputs: false, work: "ggd bench --batch-sizes \(B)"))
            }
            let scaling = try ScalingBenchmarks.run(on: .openBLASFloat, sizes: sizes, threads: networkThreads, repeats: repeats, profile: profile)
            rows += ScalingBenchmarks.rows(scaling)
            try figureOutput?.write(Array(SVGChart.render(try Self.scalingFigure(scaling)).utf8))
        }
        BLASEnvironment.setThreads(blasThreads)

        let audit = BLASEnvironment.audit(running: BLASRuntime.coreName)
        print("ggd bench — \(audit.summary); BLAS threads \(BLASRuntime.threadCount), noise threads \(threads), median of \(repeats)")
        if let fault = audit.fault { print("WARNING: \(fault); these timings are not this machine's") }
        print("OpenBLAS config: \(BLASRuntime.configuration)")
        let width = rows.map(\.name.count).max() ?? 10
        for row in rows {
            print(row.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(format: "%10.4f s", row.seconds) + "  " + row.detail)
        }
        if json != nil {
            let report = BenchmarkReport(toolVersion: ToolVersion.string, openblasCore: BLASRuntime.coreName, openblasCoreChosenBy: audit.chooser,
                                         openblasCoreFault: audit.fault, blasThreads: BLASRuntime.threadCount, repeats: repeats, rows: rows)
            try output?.write(Array(try ResultJSON.string(report).utf8))
        }
    }

    /// Whether `path` holds a scaling figure an earlier `ggd bench --figure` wrote (an SVG with its title), which a
    /// rerun may replace like any ggd output.
    static func isScalingFigure(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path), data.count < 1 << 22,
              let text = String(data: data, encoding: .utf8) else { return false }
        return text.hasPrefix("<?xml") && text.contains("<svg") && text.contains(scalingTitleSuffix)
    }

    static let scalingTitleSuffix = "G_loss round on"

    /// Throughput and gemm rate against the batch size, with the sgemm peak as a reference line.
    static func scalingFigure(_ r: ScalingBenchmarks.Result) throws -> Figure {
        let b = r.points.map { Double($0.batch) }
        return try Figure(id: "bench-scaling", title: "\(r.network) \(scalingTitleSuffix) \(r.backend): rate against batch size",
                          caption: String(format: "Median of repeated rounds (T = %d) at each batch size, %d BLAS threads; the sgemm peak (1024³) measured in the same run is %.0f GFLOP/s.", r.steps, r.threads, r.sgemmPeak),
                          xLabel: "batch size B", yLabel: "GFLOP/s (gemm work of the round)", xScale: .log10,
                          series: [try Series(name: "ggd \(r.backend)", x: b, y: r.points.map(\.gflops), style: .lineAndMarkers),
                                   try Series(name: "sgemm 1024³ peak", x: b, y: b.map { _ in r.sgemmPeak }, style: .line, dashed: true)])
    }
}
