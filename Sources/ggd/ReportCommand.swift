import ArgumentParser
import Backends
import Foundation
import Experiments
import LinearAlgebra
import PropertyEngine
import Reporting
import TheoryReport

/// `ggd report`: the main job — each claim of the paper beside its measurement in this run, as a report
/// a reviewer reads in a browser.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Run the catalog and the reproduction, and write a theory-vs-empirics report.",
        discussion: """
            Writes, atomically, a folder with index.html (self-contained: inline SVG, no network), index.md,
            results.json (every verdict and number, with the drift each metric tolerates) and figures/*.svg.

            For each claim of the paper (SPEC §8): the statement, the settings sampled, the cases run, the statistic,
            predicted against measured (with confidence intervals), the verdict, the seed and the replay token of any
            failure. Then the paper's reported facts (SPEC §9) beside this run's reproduction with the linear score
            class; the training-free guidance methods side by side (as `ggd methods`); how much to trust the
            report (the catalog's kill matrix against deliberate faults, and its false-fail calibration); and the
            run's provenance.

            Profiles: ci (fixed seed, small budgets, a fifth of the paper's rounds: about a minute) and full (fresh
            seed, large budgets, the paper's round counts). Exits 1 when a claim fails (the report is still written).

            Examples:
              ggd report                                   # ci profile into Reports/latest
              ggd report --profile full --out Reports/full-run
              ggd compare Reports/baseline Reports/latest  # the regression gate
            """
    )

    @Option(name: .long, help: "ci or full.")
    var profile = "ci"

    @Option(name: .long, help: "The catalog's seed (default: fixed for ci, fresh for full).")
    var seed: UInt64?

    @Option(name: .long, help: "The reproduction section's seed.")
    var studySeed: UInt64 = 1234

    @Option(name: .long, parsing: .unconditional, help: "Multiplier on the paper's round counts (default: 0.2 for ci, 1 for full).")
    var roundScale: Double?

    @Option(name: .long, help: ArgumentHelp("Output folder (written atomically).", valueName: "folder"))
    var out = "Reports/latest"

    @Option(name: .long, help: ArgumentHelp("Where found failures are replayed from and kept.", valueName: "folder"))
    var regressions = "Properties/Regressions"

    @Flag(name: .long, help: "Do not replay or store found failures.")
    var noRegressions = false

    @Flag(name: .long, help: "Leave out the mutation tests of the trust section.")
    var noMutants = false

    @Flag(name: .long, help: "Leave out the sensitivity scan of the trust section (the graded faults).")
    var noSensitivity = false

    @Flag(name: .long, help: "Leave out the learned networks (the model-quality section and its kill in the trust section).")
    var noNetworks = false

    @Flag(name: .long, help: "Leave out the guidance methods side by side (the section `ggd methods` reruns).")
    var noMethods = false

    @Option(name: .long, parsing: .unconditional, help: "Hidden width of the two networks the model-quality section trains (default: 512, the paper's and the sweep's).")
    var networkWidth: Int?

    @Option(name: .long, parsing: .unconditional, help: "Calibration runs of the trust section (default: 20 for ci, 200 for full; 0 leaves it out).")
    var calibrationRuns: Int?

    @Option(name: .long, parsing: .unconditional, help: "Threads for BLAS.")
    var threads = 1

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    @OptionGroup var safety: SafetyOptions
    @OptionGroup var backendOptions: BackendOptions

    func validate() throws {
        guard profile == "ci" || profile == "full" else { throw ValidationError("--profile must be ci or full, got '\(profile)'") }
        if let calibrationRuns { guard calibrationRuns >= 0 && calibrationRuns <= 100_000 else { throw ValidationError("--calibration-runs must be between 0 and 100000") } }
        if let roundScale { guard roundScale > 0 && roundScale <= 10 else { throw ValidationError("--round-scale must be in (0, 10], got \(roundScale)") } }
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256") }
        if let networkWidth {
            guard networkWidth >= 1 && networkWidth <= 4096 else { throw ValidationError("--network-width must be between 1 and 4096, got \(networkWidth)") }
            guard !noNetworks else { throw ValidationError("--network-width sets the networks that --no-networks leaves out: give one") }
        }
    }

    func run() throws {
        var output = OutputFolder(path: out, command: "report", force: safety.force)
        try output.checkDestination()
        try backendOptions.requireAvailable()
        if !noRegressions, FilePaths.kind(of: regressions) == .file {
            throw InputFileError(path: regressions, reason: "--regressions must name a folder, not a file")
        }
        BLASEnvironment.setThreads(threads)
        let started = Date()
        let configuration = ReportConfiguration(profile: try Profile.named(profile, seed: seed), studySeed: studySeed, roundScale: roundScale,
                                                regressionsDirectory: noRegressions ? nil : regressions, mutants: !noMutants,
                                                sensitivity: !noSensitivity, calibrationRuns: calibrationRuns, backend: backendOptions.backend,
                                                networks: noNetworks ? .none : networkWidth.map { .plan(NetworkQualityMeasurement.Plan(width: $0)) } ?? .profileDefault,
                                                methods: !noMethods)
        note("ggd report: profile \(configuration.profile.name), catalog seed \(configuration.profile.seed), reproduction seed \(studySeed)", quiet: quiet)
        let measured = try ReportRun.measure(configuration) { note("· " + $0, quiet: quiet) }
        var command = "ggd report --profile \(profile) --seed \(configuration.profile.seed) --study-seed \(studySeed)"
        if let roundScale { command += " --round-scale \(roundScale)" }
        if noRegressions { command += " --no-regressions" }
        if noMutants { command += " --no-mutants" }
        if noSensitivity { command += " --no-sensitivity" }
        if let calibrationRuns { command += " --calibration-runs \(calibrationRuns)" }
        if noNetworks { command += " --no-networks" }
        if noMethods { command += " --no-methods" }
        if let networkWidth { command += " --network-width \(networkWidth)" }
        if let backend = backendOptions.backend { command += " --backend \(backend.rawValue)" }
        let provenance = Provenance(
            toolVersion: ToolVersion.string, gitCommit: RunEnvironment.gitCommit, command: command, profile: configuration.profile.name,
            catalogSeed: configuration.profile.seed, studySeed: studySeed, roundScale: configuration.roundScale, cpu: RunEnvironment.cpuModel,
            blasLibrary: BLASRuntime.configuration, blasCore: BLASRuntime.coreName, blasThreads: BLASRuntime.threadCount,
            falseFailRate: configuration.profile.falseFailRate, startedAt: ISO8601DateFormatter().string(from: started),
            wallSeconds: Date().timeIntervalSince(started), backend: backendOptions.backend?.rawValue)
        let report = try ReportAssembly(measured, provenance: provenance)
        for file in try ReportWriter.files(for: report.document) { try output.add(file.path, bytes: Array(file.contents)) }
        try output.add("results.json", bytes: Array(try report.results.encoded()) + [10])
        try output.commit()
        let failing = report.results.claims.filter { $0.verdict == .fail }
        print("\(report.results.claims.count - failing.count) of \(report.results.claims.count) claims hold; \(report.figures.count) figures")
        for c in failing { print("FAIL \(c.id): \(c.measured)" + (c.failureTokens.first.map { " — replay: ggd check --replay '\($0)'" } ?? "")) }
        print("wrote \(out)/index.html, index.md, results.json and figures/ (\(String(format: "%.0f", provenance.wallSeconds)) s)")
        if !failing.isEmpty { throw ExitCode(1) }
    }
}

/// Facts about the machine and checkout, for provenance.
enum RunEnvironment {
    /// The checkout's commit (with "+dirty" for uncommitted changes), or "unknown" outside a git checkout.
    static var gitCommit: String {
        guard let head = run(["git", "rev-parse", "HEAD"]) else { return "unknown" }
        let dirty = (run(["git", "status", "--porcelain", "--untracked-files=no"]) ?? "").isEmpty ? "" : "+dirty"
        return head + dirty
    }

    static var cpuModel: String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let name = line.split(separator: ":", maxSplits: 1).last else { return "unknown" }
        let cores = info.split(separator: "\n").filter { $0.hasPrefix("processor") }.count
        return name.trimmingCharacters(in: .whitespaces) + " (\(cores) logical CPUs)"
    }

    static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
