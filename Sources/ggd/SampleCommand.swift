import ArgumentParser
import Backends
import Foundation
import LinearAlgebra
import Experiments
import Guidance
import Diffusion
import ScoreNetwork

/// `ggd sample`: draws from the (optionally guided) diffusion sampler.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw samples from the diffusion sampler, unguided or with one guidance query.",
        discussion: """
            Writes result.json (setting, seed, options, summary), samples.csv and samples.npy to --out.
            With --guided the guidance query is the setting's (g, y), or g = ∇f(μ̄) and y = δ + gᵀμ̄.
            """
    )

    @OptionGroup var settingOptions: SettingOptions
    @OptionGroup var scoreOptions: ScoreOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var backendOptions: BackendOptions

    @Option(name: .long, parsing: .unconditional, help: "Number of samples.")
    var count = 1000

    @Option(name: .long, help: ArgumentHelp("Sampler: ddpm (the default, the reference code's), ddim (--eta, --ddim-steps) or continuous (the backward SDE).", valueName: "name"))
    var sampler: SamplerChoice = .ddpm

    @OptionGroup var ddimOptions: DDIMOptions

    @Option(name: .long, help: ArgumentHelp("Integrator of the continuous sampler.", valueName: "method"))
    var method: ContinuousSampler.Method = .exponentialIntegrator

    @Flag(name: .long, help: "Sample with guidance.")
    var guided = false

    @Option(name: .long, help: ArgumentHelp("Guidance: lookahead (G_loss) or naive (G).", valueName: "kind"))
    var guidance: GuidanceKind = .lookahead

    @Option(name: .long, parsing: .unconditional, help: "δ for the default target y = δ + gᵀμ̄.")
    var delta = 0.2

    func validate() throws {
        guard count >= 1 && count <= 10_000_000 else { throw ValidationError("--count must be between 1 and 10000000, got \(count)") }
        guard delta.isFinite else { throw ValidationError("--delta must be finite") }
        try scoreOptions.requireDiscreteSampler(sampler)
        try ddimOptions.validate(for: sampler)
    }

    func run() throws {
        runOptions.applyThreads()
        let output = runOptions.out.map { OutputFolder(path: $0, command: "sample", force: runOptions.safety.force) }
        try output?.checkDestination()
        let experiment = try settingOptions.load(memory: runOptions.safety.memory)
        try runOptions.safety.memory.require(experiment.samplingEstimate(count: count, score: scoreOptions.score, guided: guided,
                                                                         outputs: runOptions.out != nil, work: "ggd sample --count \(count)"))
        let model = try scoreOptions.model(experiment, seed: runOptions.seed, memory: runOptions.safety.memory)
        try backendOptions.requireAvailable()
        let samplerObject = backendOptions.sampler(try sampler.make(experiment: experiment, method: method, ddim: ddimOptions, threads: runOptions.threads))
        let term: (any GuidanceTerm)? = guided ? try GuidanceQuery.make(experiment: experiment, model: model, kind: guidance, delta: delta, count: count) : nil
        let progress = ProgressReporter("sampling step", total: experiment.schedule.steps, quiet: runOptions.quiet)
        let samples: Matrix<Double>
        do {
            samples = try samplerObject.sampleChecked(model: model, guidance: term, count: count, noise: SamplingNoise(seed: runOptions.seed),
                                                      progress: { done, _ in progress.update(done) })
        } catch let DiffusionError.nonFinite(what) {
            progress.finish()
            throw CommandError(.numericalFailure, "sampling stopped \(what); nothing was written")
        }
        progress.finish()

        let result = SampleResult(samples: samples, experiment: experiment, seed: runOptions.seed, threads: runOptions.threads, options: .init(
            count: count, score: scoreOptions.description, pretrainingSize: scoreOptions.pretrainingSize, sampler: ddimOptions.name(sampler),
            method: method.rawValue, guided: guided, guidance: guidance.rawValue, delta: delta, backend: backendOptions.backend?.rawValue ?? "host"))
        let json = try ResultJSON.string(result)
        if var output {
            try output.add("result.json", text: json)
            try output.add("samples.csv", text: ResultEncoding.csv(samples))
            try output.add("samples.npy", bytes: try ResultEncoding.npy(samples))
            try output.commit()
            note("wrote \(output.path)/result.json, samples.csv, samples.npy", quiet: runOptions.quiet)
        } else {
            print(json, terminator: "")
        }
    }
}

/// The sampler choice on the command line.
enum SamplerChoice: String, ExpressibleByArgument, CaseIterable {
    case ddpm, ddim, continuous

    func make(experiment: ResolvedExperiment, method: ContinuousSampler.Method, ddim: DDIMOptions = DDIMOptions(), threads: Int) throws -> any PlannedSampler {
        switch self {
        case .ddpm: return DDPMSampler(schedule: experiment.schedule, threads: threads)
        case .ddim: return try ddim.make(experiment: experiment, threads: threads)
        case .continuous:
            let tMin = method == .eulerMaruyama ? 1e-3 : 0
            return try ContinuousSampler(grid: ContinuousSampler.quadraticGrid(tEnd: 10, steps: experiment.schedule.steps, tMin: tMin),
                                         method: method, threads: threads)
        }
    }
}

/// DDIM's η and step count (`--sampler ddim`).
struct DDIMOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("DDIM's noise level η in [0, 1] (0: deterministic; 1 over all steps: DDPM).", valueName: "eta"))
    var eta = 0.0

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("DDIM's steps: an evenly spaced sub-sequence of the schedule's T (default: all T).", valueName: "n"))
    var ddimSteps: Int?

    /// `--eta` and `--ddim-steps` belong to `--sampler ddim`.
    func validate(for sampler: SamplerChoice) throws {
        guard eta.isFinite, eta >= 0, eta <= 1 else { throw ValidationError("--eta must lie in [0, 1], got \(eta)") }
        if let ddimSteps { guard ddimSteps >= 1 else { throw ValidationError("--ddim-steps must be at least 1, got \(ddimSteps)") } }
        if sampler != .ddim && (eta != 0 || ddimSteps != nil) { throw ValidationError("--eta and --ddim-steps apply to --sampler ddim only") }
    }

    func make(experiment: ResolvedExperiment, threads: Int) throws -> DDIMSampler {
        do { return try DDIMSampler(schedule: experiment.schedule, eta: eta, steps: ddimSteps, threads: threads) } catch {
            throw SettingError("--sampler ddim: \(error)")
        }
    }

    /// The sampler as outputs record it.
    func name(_ sampler: SamplerChoice) -> String {
        sampler == .ddim ? "ddim(eta=\(eta), steps=\(ddimSteps.map(String.init) ?? "all"))" : sampler.rawValue
    }
}

extension ContinuousSampler.Method: ExpressibleByArgument {}
extension GuidanceKind: ExpressibleByArgument {}
extension GradientPoint: ExpressibleByArgument {}
extension OutputParameterization: ExpressibleByArgument {}
extension TimeConditioning: ExpressibleByArgument {}
