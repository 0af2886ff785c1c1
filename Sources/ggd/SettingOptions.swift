import ArgumentParser
import Experiments
import Diffusion
import ScoreNetwork
import Backends
import Foundation

/// Where the setting comes from: a file, or the paper's simulation.
struct SettingOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A setting file (JSON or .npz): data law, objective, guidance, schedule.", valueName: "file"))
    var setting: String?

    @Flag(name: .long, help: "Use the paper's simulation setting (the default when no --setting is given).")
    var paperSetting = false

    @Option(name: .long, help: ArgumentHelp("Which of the paper's settings: f1-theta1, f1-theta2 (the default), f2-b1, f2-b2, sphere.", valueName: "name"))
    var paperVariant: PaperVariant?

    @Option(name: .customLong("T"), parsing: .unconditional, help: ArgumentHelp("Override the number of diffusion steps T.", valueName: "steps"))
    var steps: Int?

    @Option(name: .long, help: ArgumentHelp("Override the schedule: cosine or linear.", valueName: "name"))
    var schedule: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Override σ of the observation model (> 0).", valueName: "sigma"))
    var sigma: Double?

    @Option(name: .long, help: ArgumentHelp("Override the β rule: code, theory or constant.", valueName: "rule"))
    var betaRule: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("The constant β (with --beta-rule constant).", valueName: "beta"))
    var beta: Double?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Multiplier β_coef on β.", valueName: "coef"))
    var betaCoef: Double?

    enum PaperVariant: String, ExpressibleByArgument, CaseIterable {
        case f1Theta1 = "f1-theta1", f1Theta2 = "f1-theta2", f2B1 = "f2-b1", f2B2 = "f2-b2", sphere
    }

    func validate() throws {
        if setting != nil && paperSetting { throw ValidationError("use either --setting FILE or --paper-setting, not both") }
        if setting != nil, let paperVariant {
            throw ValidationError("--paper-variant \(paperVariant.rawValue) chooses one of the paper's settings; it cannot be combined with --setting FILE")
        }
        if let steps { guard steps >= 1 && steps <= 100_000 else { throw ValidationError("--T must be between 1 and 100000, got \(steps)") } }
        if let schedule { guard schedule == "cosine" || schedule == "linear" else { throw ValidationError("--schedule must be cosine or linear, got '\(schedule)'") } }
        if let betaRule {
            guard ["code", "theory", "constant"].contains(betaRule) else { throw ValidationError("--beta-rule must be code, theory or constant, got '\(betaRule)'") }
        }
        if let sigma { guard sigma > 0 && sigma.isFinite else { throw ValidationError("--sigma must be a positive finite number, got \(sigma)") } }
        for (name, value) in [("beta", beta), ("beta-coef", betaCoef)] {
            if let value, !value.isFinite { throw ValidationError("--\(name) must be a finite number, got \(value)") }
        }
    }

    /// The setting with the command-line overrides applied, validated (sizes against `memory` first).
    func load(memory: MemoryPolicy = .standard) throws -> ResolvedExperiment {
        var s: ExperimentSetting
        if let setting {
            s = try SettingFile.load(path: setting, memory: memory)
        } else {
            switch paperVariant ?? .f1Theta2 {
            case .f1Theta1: s = try PaperSetting.linear(objective: "f1", variant: .one)
            case .f1Theta2: s = try PaperSetting.linear(objective: "f1", variant: .two)
            case .f2B1: s = try PaperSetting.linear(objective: "f2", variant: .one)
            case .f2B2: s = try PaperSetting.linear(objective: "f2", variant: .two)
            case .sphere: s = try PaperSetting.sphere()
            }
        }
        if let steps { s.diffusion.steps = steps }
        if let schedule { s.diffusion.schedule = schedule }
        if let sigma { s.guidance.sigma = sigma }
        if let betaRule { s.guidance.betaRule = betaRule }
        if let beta { s.guidance.beta = beta }
        if let betaCoef { s.guidance.betaCoefficient = betaCoef }
        return try ResolvedExperiment(s, memory: memory)
    }
}

/// Seed, threads, output folder, quiet.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: "The seed every random draw is keyed by.")
    var seed: UInt64 = 1234

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Threads for BLAS and the noise fill (results are bit-identical for a fixed count).", valueName: "n"))
    var threads: Int = 1

    @Option(name: .long, help: ArgumentHelp("Folder to write results into (written atomically).", valueName: "folder"))
    var out: String?

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    @OptionGroup var safety: SafetyOptions

    func validate() throws {
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256, got \(threads)") }
    }

    func applyThreads() { BLASEnvironment.setThreads(threads) }
}

/// Which score model, and for the linear class how many pre-training points.
struct ScoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Score model: exact (closed form) or linear (the linear class fitted to pre-training data).", valueName: "model"))
    var score: ScoreChoice = .exact

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Pre-training points for --score linear.", valueName: "n"))
    var pretrainingSize = 65536

    @Option(name: .long, help: ArgumentHelp("Use a trained ε-network from this checkpoint (from ggd train) instead of --score.", valueName: "file"))
    var network: String?

    func validate() throws {
        guard pretrainingSize >= 2 && pretrainingSize <= 100_000_000 else {
            throw ValidationError("--pretraining-size must be between 2 and 100000000, got \(pretrainingSize)")
        }
    }

    /// The score model: the network of --network, or the --score model of the setting.
    func model(_ experiment: ResolvedExperiment, seed: UInt64, memory: MemoryPolicy = .standard) throws -> any ScoreModel {
        if let network {
            let (state, _) = try NetworkCheckpoints.load(network, option: "--network", for: experiment)
            return NetworkScore(network: state.network, maximumBatch: 256)
        }
        if score == .linear {
            try memory.require(experiment.pretrainingEstimate(count: pretrainingSize, work: "--score linear with --pretraining-size \(pretrainingSize)"))
        }
        return try experiment.scoreModel(score, pretrainingSize: pretrainingSize, seed: seed)
    }

    /// A learned network reads the integer DDPM step, so only the DDPM sampler can drive it.
    func requireDiscreteSampler(_ sampler: SamplerChoice) throws {
        if network != nil && sampler == .continuous {
            throw ValidationError("--sampler continuous cannot drive a learned network (--network): the ε-network reads the integer DDPM step t, "
                                  + "which the continuous sampler does not have; use --sampler ddpm, or --score exact|linear")
        }
    }

    var description: String { network.map { "network:\($0)" } ?? score.rawValue }
}

extension ScoreChoice: ExpressibleByArgument {}

/// What a run may replace (--force) and how much memory it may plan for (--max-memory).
struct SafetyOptions: ParsableArguments {
    @Flag(name: .long, help: "Replace an existing output even when it is not an earlier output of this command (a folder is replaced whole).")
    var force = false

    @Option(name: .long, help: ArgumentHelp("The memory a run may plan for, e.g. 8G or 512M (default: the smaller of 4 GB and half the machine's memory).",
                                            valueName: "size"))
    var maxMemory: String?

    func validate() throws {
        if let maxMemory { do { _ = try MemoryPolicy.parse(maxMemory) } catch { throw ValidationError("\(error)") } }
    }

    var memory: MemoryPolicy { maxMemory.flatMap { try? MemoryPolicy.parse($0) } ?? .standard }
}

/// `--backend` of the commands that sample (sample, optimize, reproduce, report): where the sampler's
/// state, its step and its noise live (`BackendSampler`). Without it, the host path. One parser for
/// every backend name (`BackendChoice` as an argument).
struct BackendOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Run the samplers on this backend: reference, openblas-double, openblas-float, cuda-float or cuda-double "
            + "(default: the host path). Closed-form scores give the default's draws bit for bit on every host backend; a "
            + "learned network lives on the backend in its precision (openblas-float equals the default bit for bit).", valueName: "backend"))
    var backend: BackendChoice?

    /// Fails (exit 69) when the chosen backend cannot run here.
    func requireAvailable() throws {
        if let backend, let reason = backend.unavailableReason { throw BackendError.unavailable("--backend \(backend.rawValue): \(reason)") }
    }

    /// `base` on the chosen backend (itself without one).
    func sampler(_ base: any PlannedSampler) -> any Sampler {
        backend.map { BackendSampler(base, on: $0) } ?? base
    }
}

extension BackendChoice: ExpressibleByArgument {}

/// One `--backends` value: a backend name, or several separated by commas (`reference,openblas-float`).
struct BackendList: ExpressibleByArgument {
    let choices: [BackendChoice]

    init?(argument: String) {
        let names = argument.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let parsed = names.compactMap { BackendChoice(argument: $0) }
        guard !names.isEmpty, parsed.count == names.count else { return nil }
        choices = parsed
    }

    static var allValueStrings: [String] { BackendChoice.allCases.map(\.rawValue) }
}
