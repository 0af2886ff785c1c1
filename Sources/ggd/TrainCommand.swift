import Compute
import ArgumentParser
import Foundation
import LinearAlgebra
import Experiments
import ScoreNetwork
import Backends

/// `ggd train`: trains the ε-network by denoising score matching on data from the setting.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the ε-network (mlp-512x4 by default) by denoising score matching.",
        discussion: """
            The paper's defaults: 65536 points drawn from the setting's data law, 20 epochs, batch 32, Adam lr 1e-4
            (betas 0.9/0.99), reshuffled each epoch from the seed. A checkpoint (.npz: parameters, optimiser state,
            configuration; loadable with numpy.load) is written atomically after every epoch; --resume continues from
            it and gives the same network as an uninterrupted run.

            --backend cuda-float trains on the GPU with everything resident in device memory (data, network, Adam's
            moments, each batch's noise drawn there from the same Philox streams): the same draws in the same order as
            the CPU trainer, so its checkpoints resume either way. Without a usable GPU it stops with the reason.
            """
    )

    @OptionGroup var settingOptions: SettingOptions

    @Option(name: .long, parsing: .unconditional, help: "Training points drawn from the data law.")
    var points = 65536

    @Option(name: .long, parsing: .unconditional, help: "Epochs.")
    var epochs = 20

    @Option(name: .long, parsing: .unconditional, help: "Batch size (default 32, or --points when fewer).")
    var batchSize: Int?

    /// The batch: --batch-size, or 32 (the paper's) capped at --points when it was not given.
    var batch: Int { batchSize ?? min(32, points) }

    @Option(name: .long, parsing: .unconditional, help: "Adam learning rate.")
    var lr = 1e-4

    @Option(name: .long, parsing: .unconditional, help: "Width of the hidden layers.")
    var width = 512

    @Option(name: .long, parsing: .unconditional, help: "Residual blocks.")
    var blocks = 3

    @Option(name: .long, help: ArgumentHelp("What the network's output stands for: epsilon (ε̂, the paper's), v (v-prediction: ε̂ = √h x + α F) or x0 (x̂₀ = F). The loss is ε-MSE either way; v keeps the first step's error from being amplified ~32× by the cosine schedule's β_T = 0.999 (Reports/networks).", valueName: "kind"))
    var parameterization: OutputParameterization = .epsilon

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Keep an exponential moving average of the parameters with this decay (e.g. 0.999) and use it as the network (ggd check, sample, optimize); training continues from the raw parameters. Off by default, as in the paper's code; the CPU and the resident (cuda-float) trainer keep the same average.", valueName: "decay"))
    var emaDecay: Double?

    @Option(name: .long, help: ArgumentHelp("Where the time embedding enters: input (the paper's MLP) or every-block (also each residual block, through a linear map of its own).", valueName: "where"))
    var timeConditioning: TimeConditioning = .input

    @Option(name: .long, help: "The seed of the data, the initialisation, the shuffles and the noise.")
    var seed: UInt64 = 1234

    @Option(name: .long, help: ArgumentHelp("Checkpoint file (.npz), written after every epoch.", valueName: "file"))
    var checkpoint = "runs/network.npz"

    @Flag(name: .long, help: "Continue the unfinished (or extend the finished) run in --checkpoint; it must exist and match these options.")
    var resume = false

    @Option(name: .long, parsing: .unconditional, help: "BLAS threads.")
    var threads = 2

    @Option(name: .long, help: ArgumentHelp("Where training runs: openblas-float (the CPU trainer) or cuda-float (resident on the GPU).",
                                            valueName: "backend"))
    var backend: BackendChoice = .openBLASFloat

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    @OptionGroup var safety: SafetyOptions

    func validate() throws {
        guard points >= 1, epochs >= 1, batch >= 1, width >= 1, blocks >= 0 else {
            throw ValidationError("--points, --epochs, --batch-size and --width must be positive and --blocks non-negative "
                                  + "(got --points \(points), --epochs \(epochs), --batch-size \(batch), --width \(width), --blocks \(blocks))")
        }
        guard points <= 100_000_000 else { throw ValidationError("--points must be at most 100000000, got \(points)") }
        guard epochs <= 100_000 else { throw ValidationError("--epochs must be at most 100000, got \(epochs)") }
        guard width <= 65_536, blocks <= 1_000 else { throw ValidationError("--width must be at most 65536 and --blocks at most 1000") }
        guard batch <= points else { throw ValidationError("--batch-size \(batch) is larger than --points \(points)") }
        if resume && safety.force { throw ValidationError("--resume continues the checkpoint and --force replaces it: choose one") }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be positive") }
        if let emaDecay {
            guard emaDecay > 0 && emaDecay < 1 else { throw ValidationError("--ema-decay must lie in (0, 1), got \(emaDecay)") }
        }
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256") }
        guard backend == .openBLASFloat || backend == .cudaFloat else {
            throw ValidationError("--backend must be openblas-float or cuda-float (training runs in Float), got '\(backend.rawValue)'")
        }
        guard checkpoint.lowercased().hasSuffix(".npz") else { throw ValidationError("--checkpoint must name a .npz file, got '\(checkpoint)'") }
    }

    func run() throws {
        if let reason = backend.unavailableReason {
            throw BackendError.unavailable("--backend cuda-float: \(reason)")
        }
        try CheckpointDestination.prepare(checkpoint)
        let exists = FilePaths.kind(of: checkpoint) == .file
        if resume && !exists {
            throw InputFileError(path: checkpoint, reason: "--resume: there is no checkpoint to resume; run without --resume to start a new one")
        }
        if exists && !resume && !safety.force {
            throw OutputError("'\(checkpoint)' already holds a checkpoint; pass --resume to continue it, --force to start over and replace it, "
                              + "or choose another --checkpoint")
        }
        BLASEnvironment.setThreads(threads)
        let experiment = try settingOptions.load(memory: safety.memory)
        let D = experiment.setting.data.ambientDimension
        let architecture = try NetworkArchitecture(dimension: D, width: width, blocks: blocks, parameterization: parameterization,
                                                   timeConditioning: timeConditioning)
        let config = TrainingConfiguration(architecture: architecture, points: points, epochs: epochs, batchSize: batch,
                                           learningRate: lr, steps: experiment.schedule.steps, schedule: experiment.setting.diffusion.schedule, seed: seed,
                                           emaDecay: emaDecay)
        try safety.memory.require(Self.memory(config))
        var start: TrainingState?
        if resume {
            let state = try NetworkTraining.resumeState(checkpoint: checkpoint, configuration: config)
            start = state
            note("resuming \(checkpoint) after epoch \(state.epochsDone)", quiet: quiet)
        }
        let data = experiment.pretrainingData(count: points, seed: seed).converted(to: Float.self)
        note("training \(architecture) on \(points) points of \(experiment.setting.origin), \(epochs) epochs, batch \(batch)", quiet: quiet)
        let totalBatches = max(1, (epochs - (start?.epochsDone ?? 0)) * config.batchesPerEpoch)
        let progress = ProgressReporter("train", total: totalBatches, quiet: quiet)
        let firstEpoch = start?.epochsDone ?? 0
        let began = Date()
        let report: (Int, Int, Int, Double) -> Void = { epoch, batch, batches, loss in
            progress.update((epoch - firstEpoch) * batches + batch, String(format: "epoch %d/%d loss %.4f", epoch + 1, epochs, loss))
        }
        let state = try NetworkTraining.train(configuration: config, data: data, from: start, checkpoint: checkpoint, backend: backend,
                                              progress: report)
        progress.finish()
        let seconds = Date().timeIntervalSince(began)
        let losses = state.epochLosses.map { String(format: "%.4f", $0) }.joined(separator: " ")
        print("trained \(architecture)\(emaDecay.map { " with a parameter average (EMA \($0), the network it saves for use)" } ?? ""): \(state.epochsDone) epochs, epoch losses \(losses)")
        print(String(format: "wall time %.1f s (%.1f ms per batch); checkpoint %@", seconds,
                     seconds * 1000 / Double(totalBatches), checkpoint))
    }
}

extension TrainCommand {
    /// Training's peak memory: the points (Double draw and Float copy), the parameters with their
    /// gradient and Adam's two moments, and the activations of one batch (a few width-wide buffers per
    /// layer, forward and backward).
    static func memory(_ c: TrainingConfiguration) -> MemoryEstimate {
        let a = c.architecture
        var e = MemoryEstimate("ggd train --points \(c.points) --width \(a.width) --blocks \(a.blocks) --batch-size \(c.batchSize)")
        e.add("training points", elements: Double(c.points) * Double(a.dimension), bytesEach: 12)
        e.add("parameters, gradient and Adam's moments", elements: 4 * Double(a.parameterCount), bytesEach: 4)
        e.add("batch activations", elements: 8 * Double(c.batchSize) * Double(a.width) * Double(2 * a.blocks + 2), bytesEach: 4)
        return e
    }
}
