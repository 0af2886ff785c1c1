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

    @Option(name: .long, help: ArgumentHelp("Sampler: ddpm (the default, the reference code's) or continuous (the backward SDE).", valueName: "name"))
    var sampler: SamplerChoice = .ddpm

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
        let samplerObject = backendOptions.sampler(try sampler.make(experiment: experiment, method: method, threads: runOptions.threads))
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

        let rewards = experiment.objective.values(samples)
        var summary: [String: Any] = [
            "count": count, "mean": ResultEncoding.numbers(samples.columnMeans),
            "mean_reward": ResultEncoding.number(rewards.reduce(0, +) / Double(count)),
        ]
        if let geometry = experiment.geometry {
            let r = geometry.offSupportRatio(samples)
            summary["mean_r_off"] = ResultEncoding.number(r.reduce(0, +) / Double(count))
            summary["max_r_off"] = ResultEncoding.number(r.max() ?? 0)
        }
        let result: [String: Any] = [
            "command": "sample", "tool_version": ToolVersion.string, "seed": runOptions.seed, "threads": runOptions.threads,
            "setting": SettingFile.jsonObject(experiment.setting),
            "options": ["count": count, "score": scoreOptions.description, "pretraining_size": scoreOptions.pretrainingSize,
                        "sampler": sampler.rawValue, "method": method.rawValue, "guided": guided, "guidance": guidance.rawValue,
                        "delta": delta, "backend": backendOptions.backend?.rawValue ?? "host"] as [String: Any],
            "summary": summary,
        ]
        let json = try ResultEncoding.json(result)
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
    case ddpm, continuous

    func make(experiment: ResolvedExperiment, method: ContinuousSampler.Method, threads: Int) throws -> any PlannedSampler {
        switch self {
        case .ddpm: return DDPMSampler(schedule: experiment.schedule, threads: threads)
        case .continuous:
            let tMin = method == .eulerMaruyama ? 1e-3 : 0
            return try ContinuousSampler(grid: ContinuousSampler.quadraticGrid(tEnd: 10, steps: experiment.schedule.steps, tMin: tMin),
                                         method: method, threads: threads)
        }
    }
}

extension ContinuousSampler.Method: ExpressibleByArgument {}
extension GuidanceKind: ExpressibleByArgument {}
extension GradientPoint: ExpressibleByArgument {}

/// The guidance query (g, y) of `sample --guided` and `law --guided`.
enum GuidanceQuery {
    static func gradientAndTarget(experiment: ResolvedExperiment, model: any ScoreModel, delta: Double) -> (g: [Double], y: Double) {
        // μ̄ is the model's mean: a Gaussian score's own; for a learned network (which reads only the integer
        // DDPM steps, so cannot be asked at t → ∞) the mean of the data law it was trained on; otherwise
        // E[x₀ | xₜ] as t → ∞ (α → 0, h → 1).
        let mean: [Double]
        if let gaussian = model as? GaussianScore {
            mean = gaussian.mean
        } else if model is NetworkScore<Float> || model is NetworkScore<Double> {
            mean = experiment.dataMean
        } else {
            mean = model.denoise(Matrix(rows: 1, columns: model.dimension), at: DiffusionTime(alpha: 1e-12, h: 1)).elements
        }
        let g = experiment.setting.guidance.gradient ?? experiment.objective.gradient(mean)
        let y = experiment.setting.guidance.target ?? (delta + Vectors.dot(g, mean))
        return (g, y)
    }

    static func make(experiment: ResolvedExperiment, model: any ScoreModel, kind: GuidanceKind, delta: Double, count: Int) throws -> any AffineGuidanceTerm {
        let (g, y) = gradientAndTarget(experiment: experiment, model: model, delta: delta)
        let target = try GuidanceTarget.shared(gradient: g, target: y, count: count)
        switch kind {
        case .lookahead:
            return try LookaheadGuidance(target: target, beta: experiment.beta, coefficient: experiment.setting.guidance.betaCoefficient)
        case .naive:
            return try NaiveGuidance(target: target, sigma: experiment.setting.guidance.sigma, coefficient: experiment.setting.guidance.betaCoefficient)
        }
    }
}
