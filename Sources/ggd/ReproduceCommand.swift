import ArgumentParser
import Backends
import Foundation
import LinearAlgebra
import Experiments
import ScoreNetwork
import Reproduction
import TheoryReport

/// `ggd reproduce simulation`: the paper's simulation study with a trained network.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Reproduce the paper's simulation study (SPEC §9) with a trained ε-network.",
        discussion: """
            ggd reproduce simulation trains (or loads, with --checkpoint / --sphere-checkpoint) the mlp-512x4 network on the
            paper's linear-latent data (D = 64, d = 16) and on the sphere, then runs: the pre-trained r_off; G vs G_loss over
            rounds (f1 with θ₂); Algorithm 1 vs 2; the θ₁ and f₂ variants; the sphere's δ sweep; and the leak of the
            network's x̂₀ Jacobian off span(A). Writes results.json, one CSV per figure and paper.md (the paper's reported
            results beside this run's, each judged on the 95% interval over --seeds) to --out.
            --round-scale shrinks every round count (1 = the paper's).

            The paper's five seeds at its round counts take hours on a laptop. With --seed-results DIR each seed's results
            are stored in DIR as it finishes and reused when the command runs again with the same settings, so an
            interrupted study resumes, and the two parts can run in separate processes and then be combined:
              ggd reproduce simulation --seeds 1234,2345,3456,4567,5678 --no-sphere --seed-results runs/seeds --out /tmp/a
              ggd reproduce simulation --seeds 1234,2345,3456,4567,5678 --no-linear --seed-results runs/seeds --out /tmp/b
              ggd reproduce simulation --seeds 1234,2345,3456,4567,5678 --seed-results runs/seeds   # combines, measures nothing
            """
    )

    @Argument(help: "The study: simulation.")
    var study: String

    @Option(name: .long, help: ArgumentHelp("Linear-latent network checkpoint (trained there if missing).", valueName: "file"))
    var checkpoint = "runs/network-linear.npz"

    @Option(name: .long, help: ArgumentHelp("Sphere network checkpoint (trained there if missing).", valueName: "file"))
    var sphereCheckpoint = "runs/network-sphere.npz"

    @Option(name: .long, parsing: .unconditional, help: "Epochs when training is needed.")
    var epochs = 20

    @Option(name: .long, parsing: .unconditional, help: "Multiplier on every round count.")
    var roundScale = 1.0

    @Flag(name: .long, help: "Skip the sphere part.")
    var noSphere = false

    @Flag(name: .long, help: "Skip the linear-latent part (run the sphere sweep only).")
    var noLinear = false

    @Option(name: .long, help: ArgumentHelp("Keep each seed's results in this folder as it finishes and reuse those already there (same settings only): an interrupted study resumes, and parts run apart combine.", valueName: "folder"))
    var seedResults: String?

    @Option(name: .long, help: "The seed of the networks' training (and of the study's draws without --seeds).")
    var seed: UInt64 = 1234

    @Option(name: .long, help: ArgumentHelp("Seeds of the study's draws, comma-separated (the paper's code: 1234,2345,3456,4567,5678). Each number is then reported as its mean with *_lower/*_upper, a 95% t-interval over the seeds, and each figure with a band.", valueName: "list"))
    var seeds: String?

    @Option(name: .long, help: ArgumentHelp("The networks' output parameterisation when they are trained: epsilon (the paper's), v or x0 (see ggd train).", valueName: "kind"))
    var parameterization: OutputParameterization = .epsilon

    @Option(name: .long, help: ArgumentHelp("The networks' time conditioning when they are trained: input or every-block.", valueName: "where"))
    var timeConditioning: TimeConditioning = .input

    @Option(name: .long, help: ArgumentHelp("When the networks are trained: keep a moving average of the parameters with this decay (e.g. 0.999) and use it (see ggd train).", valueName: "decay"))
    var emaDecay: Double?

    @Option(name: .long, parsing: .unconditional, help: "Threads for BLAS.")
    var threads = 2

    @Option(name: .long, help: ArgumentHelp("Output folder.", valueName: "folder"))
    var out = "Reports/simulation/study"

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    @OptionGroup var safety: SafetyOptions
    @OptionGroup var backendOptions: BackendOptions

    func validate() throws {
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256, got \(threads)") }
        guard epochs <= 100_000 else { throw ValidationError("--epochs must be at most 100000, got \(epochs)") }
        guard checkpoint.lowercased().hasSuffix(".npz") else { throw ValidationError("--checkpoint must name a .npz file, got '\(checkpoint)'") }
        guard sphereCheckpoint.lowercased().hasSuffix(".npz") else { throw ValidationError("--sphere-checkpoint must name a .npz file, got '\(sphereCheckpoint)'") }
        guard study == "simulation" else { throw ValidationError("unknown study '\(study)' (available: simulation)") }
        guard roundScale > 0, roundScale <= 10 else { throw ValidationError("--round-scale must lie in (0, 10]") }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
        guard !(noSphere && noLinear) else { throw ValidationError("--no-sphere and --no-linear together leave nothing to run") }
        if let emaDecay, !(emaDecay > 0 && emaDecay < 1) { throw ValidationError("--ema-decay must lie in (0, 1), got \(emaDecay)") }
        if let seedResults {
            guard !seedResults.isEmpty else { throw ValidationError("--seed-results needs a folder") }
            // --out is replaced whole when the run ends: a store inside it would be lost.
            let (store, output) = (Self.lexicalAbsolute(seedResults), Self.lexicalAbsolute(out))
            guard store != output && !store.hasPrefix(output + "/") else {
                throw ValidationError("--seed-results '\(seedResults)' lies inside --out '\(out)', which the run replaces whole; keep the seeds beside it")
            }
        }
        _ = try studySeeds()
    }

    /// `path` made absolute with "." and ".." resolved by name (Foundation's `standardized` keeps a ".."
    /// that follows "."), so "./o/../o/x" is seen to lie inside "o".
    static func lexicalAbsolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/") where part != "." && !part.isEmpty {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The seeds of the study's draws: --seeds, or --seed alone.
    func studySeeds() throws -> [UInt64] {
        guard let seeds else { return [seed] }
        let parts = seeds.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap { UInt64($0) }
        guard values.count == parts.count, !values.isEmpty else {
            throw ValidationError("--seeds must be comma-separated non-negative integers, got '\(seeds)'")
        }
        guard Set(values).count == values.count else { throw ValidationError("--seeds lists a seed twice: '\(seeds)'") }
        guard values.count <= 100 else { throw ValidationError("--seeds lists \(values.count) seeds; at most 100") }
        return values
    }

    /// The trained network for `setting`: loaded from `checkpoint` when it holds a finished run for this
    /// setting's D, T and schedule; resumed when it holds an unfinished run of the same configuration;
    /// trained from scratch when there is none. A checkpoint of another configuration is an error.
    func network(for setting: ExperimentSetting, checkpoint: String, option: String) throws -> EpsilonNetwork<Float> {
        let experiment = try ResolvedExperiment(setting)
        let architecture = try NetworkArchitecture(dimension: setting.data.ambientDimension, width: 512, blocks: 3, parameterization: parameterization,
                                                   timeConditioning: timeConditioning)
        let config = TrainingConfiguration(architecture: architecture, epochs: epochs,
                                           steps: experiment.schedule.steps, schedule: setting.diffusion.schedule, seed: seed, emaDecay: emaDecay)
        let progress = ProgressReporter("train \(setting.data.kind.rawValue)", total: config.epochs * config.batchesPerEpoch, quiet: quiet)
        defer { progress.finish() }
        return try NetworkTraining.network(for: experiment, configuration: config, checkpoint: checkpoint, option: option, seed: seed,
                                           note: { note($0, quiet: quiet) }) { e, b, n, loss in
            progress.update(e * n + b, String(format: "epoch %d loss %.4f", e + 1, loss))
        }
    }

    func run() throws {
        BLASEnvironment.setThreads(threads)
        let output = OutputFolder(path: out, command: "reproduce", force: safety.force)
        try output.checkDestination()
        try backendOptions.requireAvailable()
        let parts = SeedResultStore.Part.allCases.filter { $0 == .linear ? !noLinear : !noSphere }
        let checkpoints = parts.map { $0 == .linear ? checkpoint : sphereCheckpoint }
        for path in checkpoints { try CheckpointDestination.prepare(path) }
        if let seedResults { try SeedResultStore(folder: seedResults, settings: [:]).prepare() }
        let began = Date()
        let linear = noLinear ? nil : try network(for: try PaperSetting.linear(objective: "f1", variant: .two), checkpoint: checkpoint, option: "--checkpoint")
        let sphereNetwork = noSphere ? nil : try network(for: try PaperSetting.sphere(), checkpoint: sphereCheckpoint, option: "--sphere-checkpoint")
        var networks: [String: String] = [:]
        if let linear { networks["linear"] = "\(linear.architecture)" }
        if let sphereNetwork { networks["sphere"] = "\(sphereNetwork.architecture)" }
        let stores = try Dictionary(uniqueKeysWithValues: parts.compactMap { part -> (SeedResultStore.Part, SeedResultStore)? in
            guard let seedResults else { return nil }
            let file = part == .linear ? checkpoint : sphereCheckpoint
            let settings = ["round_scale": "\(roundScale)", "backend": backendOptions.backend?.rawValue ?? "host",
                            "network": networks[part.rawValue] ?? "", "checkpoint_fnv1a": try SeedResultStore.fingerprint(ofFile: file)]
            return (part, SeedResultStore(folder: seedResults, settings: settings))
        })
        var linearRuns: [SimulationStudy.Results] = [], sphereRuns: [SimulationStudy.Results] = []
        var seedRuns: [[String: String]] = []
        for studySeed in try studySeeds() {
            var options = SimulationStudy.Options()
            options.roundScale = roundScale
            options.seed = studySeed
            options.backend = backendOptions.backend
            let study = SimulationStudy(options: options) { note("· seed \(studySeed): " + $0, quiet: quiet) }
            /// A stored result of this seed's part, or a fresh measurement (then stored).
            func measured(_ part: SeedResultStore.Part, _ body: () throws -> SimulationStudy.Results) throws -> SimulationStudy.Results {
                var run = ["seed": "\(studySeed)", "part": part.rawValue]
                if let kept = try stores[part]?.loadStored(seed: studySeed, part: part) {
                    note("· seed \(studySeed): \(part.rawValue) part read from \(stores[part]!.path(seed: studySeed, part: part))", quiet: quiet)
                    seedRuns.append(run.merging(kept.measured) { a, _ in a }.merging(["source": "stored"]) { $1 })
                    return kept.results
                }
                let started = Date()
                let results = try body()
                let measured = ["wall_seconds": String(format: "%.1f", Date().timeIntervalSince(started)), "openblas_core": BLASRuntimeInfo.core,
                                "threads": "\(threads)"]
                try stores[part]?.save(results, seed: studySeed, part: part, measured: measured)
                run.merge(measured) { $1 }
                run["source"] = "measured"
                seedRuns.append(run)
                return results
            }
            if let linear { linearRuns.append(try measured(.linear) { try study.runLinear(network: linear) }) }
            if let sphereNetwork { sphereRuns.append(try measured(.sphere) { try study.runSphere(network: sphereNetwork) }) }
        }
        let perSeed = (0..<max(linearRuns.count, sphereRuns.count)).map { k in
            (linearRuns.indices.contains(k) ? linearRuns[k] : SimulationStudy.Results())
                .merging(sphereRuns.indices.contains(k) ? sphereRuns[k] : SimulationStudy.Results())
        }
        let results = SeedSummary.combine(perSeed)
        var provenance = StudyProvenance(seed: seed, roundScale: roundScale, epochs: epochs, threads: threads,
                                         backend: backendOptions.backend?.rawValue ?? "host", checkpoint: noLinear ? nil : checkpoint,
                                         sphereCheckpoint: noSphere ? nil : sphereCheckpoint, wallSeconds: Date().timeIntervalSince(began),
                                         openblasCore: BLASRuntimeInfo.core)
        provenance.seeds = try studySeeds()
        provenance.networks = networks
        provenance.seedResults = seedResults
        provenance.seedRuns = seedRuns
        if let bad = results.numbers.first(where: { !$0.value.isFinite }) {
            throw CommandError(.numericalFailure, "the study produced a non-finite \(bad.key); nothing was written")
        }
        var folder = output
        for (name, text) in try StudyOutput.files(results, provenance: provenance, perSeed: perSeed) { try folder.add(name, text: text) }
        try folder.add("paper.md", text: PaperComparison.markdown(studies: linearRuns, spheres: sphereRuns, roundScale: roundScale,
                                                                  network: linear?.architecture.name ?? "—", sphereNetwork: sphereNetwork?.architecture.name ?? "—"))
        try folder.commit()
        for key in results.numbers.keys.sorted() { print(String(format: "%@ %.6g", key.padding(toLength: 40, withPad: " ", startingAt: 0), results.numbers[key]!)) }
        note("wrote \(out)/results.json, paper.md and \(results.figures.count) CSV files", quiet: quiet)
    }
}
