import ArgumentParser
import Experiments
import Diffusion
import ScoreNetwork

/// Where the setting comes from: a file, or the paper's simulation.
struct SettingOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A setting file (JSON or .npz): data law, objective, guidance, schedule.", valueName: "file"))
    var setting: String?

    @Flag(name: .long, help: "Use the paper's simulation setting (the default when no --setting is given).")
    var paperSetting = false

    @Option(name: .long, help: ArgumentHelp("Which of the paper's settings: f1-theta1, f1-theta2, f2-b1, f2-b2, sphere.", valueName: "name"))
    var paperVariant: PaperVariant = .f1Theta2

    @Option(name: .customLong("T"), help: ArgumentHelp("Override the number of diffusion steps T.", valueName: "steps"))
    var steps: Int?

    @Option(name: .long, help: ArgumentHelp("Override the schedule: cosine or linear.", valueName: "name"))
    var schedule: String?

    @Option(name: .long, help: ArgumentHelp("Override σ of the observation model (> 0).", valueName: "sigma"))
    var sigma: Double?

    @Option(name: .long, help: ArgumentHelp("Override the β rule: code, theory or constant.", valueName: "rule"))
    var betaRule: String?

    @Option(name: .long, help: ArgumentHelp("The constant β (with --beta-rule constant).", valueName: "beta"))
    var beta: Double?

    @Option(name: .long, help: ArgumentHelp("Multiplier β_coef on β.", valueName: "coef"))
    var betaCoef: Double?

    enum PaperVariant: String, ExpressibleByArgument, CaseIterable {
        case f1Theta1 = "f1-theta1", f1Theta2 = "f1-theta2", f2B1 = "f2-b1", f2B2 = "f2-b2", sphere
    }

    func validate() throws {
        if setting != nil && paperSetting { throw ValidationError("use either --setting FILE or --paper-setting, not both") }
    }

    /// The setting with the command-line overrides applied, validated.
    func load() throws -> ResolvedExperiment {
        var s: ExperimentSetting
        if let setting {
            s = try SettingFile.load(path: setting)
        } else {
            switch paperVariant {
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
        for (name, value) in [("sigma", sigma), ("beta", beta), ("beta-coef", betaCoef)] {
            if let value, !value.isFinite { throw ValidationError("--\(name) must be a finite number, got \(value)") }
        }
        return try ResolvedExperiment(s)
    }
}

/// Seed, threads, output folder, quiet.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: "The seed every random draw is keyed by.")
    var seed: UInt64 = 1234

    @Option(name: .long, help: ArgumentHelp("Threads for BLAS and the noise fill (results are bit-identical for a fixed count).", valueName: "n"))
    var threads: Int = 1

    @Option(name: .long, help: ArgumentHelp("Folder to write results into (written atomically).", valueName: "folder"))
    var out: String?

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256, got \(threads)") }
    }

    func applyThreads() { BLASEnvironment.setThreads(threads) }
}

/// Which score model, and for the linear class how many pre-training points.
struct ScoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Score model: exact (closed form) or linear (the linear class fitted to pre-training data).", valueName: "model"))
    var score: ScoreChoice = .exact

    @Option(name: .long, help: ArgumentHelp("Pre-training points for --score linear.", valueName: "n"))
    var pretrainingSize = 65536

    @Option(name: .long, help: ArgumentHelp("Use a trained ε-network from this checkpoint (from ggd train) instead of --score.", valueName: "file"))
    var network: String?

    func validate() throws {
        guard pretrainingSize >= 2 else { throw ValidationError("--pretraining-size must be at least 2, got \(pretrainingSize)") }
    }

    /// The score model: the network of --network, or the --score model of the setting.
    func model(_ experiment: ResolvedExperiment, seed: UInt64) throws -> any ScoreModel {
        if let network {
            let (state, config) = try TrainingCheckpoint.read(network)
            guard config.architecture.dimension == experiment.setting.data.ambientDimension else {
                throw ValidationError("\(network) is a network for D = \(config.architecture.dimension), the setting has D = \(experiment.setting.data.ambientDimension)")
            }
            guard config.steps == experiment.schedule.steps else {
                throw ValidationError("\(network) was trained for T = \(config.steps), the setting has T = \(experiment.schedule.steps)")
            }
            return NetworkScore(network: state.network, maximumBatch: 256)
        }
        return try experiment.scoreModel(score, pretrainingSize: pretrainingSize, seed: seed)
    }

    var description: String { network.map { "network:\($0)" } ?? score.rawValue }
}

extension ScoreChoice: ExpressibleByArgument {}
