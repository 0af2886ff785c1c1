import ArgumentParser
import Backends
import Foundation
import LinearAlgebra
import Experiments
import Guidance
import Diffusion
import ScoreNetwork

/// `ggd optimize`: Algorithms 1 and 2 (gradient-guided generative optimisation, with and without
/// adaptive fine-tuning).
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Run Algorithm 1 (guided optimisation) or Algorithm 2 (with adaptive fine-tuning).",
        discussion: """
            Round 0 samples unguided; each round k queries g = ∇f at the last samples, sets y, and samples with
            the guidance built from them. Defaults follow the paper's reference code: B = 32, δ = 0.2 for
            G_loss and 0.9 for naive G (f1), 1000 rounds for f1 and 50 for f2 (1200 for Algorithm 2), per-sample
            gradients, fine-tuning from round 60 (G_loss) or 40 (G) with lr 1e−6.
            --preset theory uses the theory presets of SPEC §6 (linear score class; λ via --lambda for Algorithm 1).
            Writes result.json (setting, seed, options, per-round metrics), rounds.csv, samples.csv and samples.npy.
            """
    )

    @OptionGroup var settingOptions: SettingOptions
    @OptionGroup var scoreOptions: ScoreOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var backendOptions: BackendOptions

    @Option(name: .long, help: "1 (guided optimisation) or 2 (with adaptive fine-tuning).")
    var algorithm = 1

    @Option(name: .long, help: ArgumentHelp("lookahead (G_loss, Definition 1) or naive (G).", valueName: "kind"))
    var guidance: GuidanceKind = .lookahead

    @Option(name: .long, parsing: .unconditional, help: "Rounds (default: 1000 for f1, 50 for f2, 1200 for Algorithm 2).")
    var rounds: Int?

    @Option(name: .long, parsing: .unconditional, help: "Samples per round B.")
    var batchSize = 32

    @Option(name: .long, parsing: .unconditional, help: "δ, the per-round increment of y = δ + gᵀz (default: 0.2 for G_loss, 0.9 for G; f2: 1).")
    var delta: Double?

    @Option(name: .long, help: ArgumentHelp("per-sample (the reference code) or batch-mean (the paper's text).", valueName: "mode"))
    var gradientPoint: GradientPoint = .perSample

    @Option(name: .long, help: ArgumentHelp("practice or theory.", valueName: "preset"))
    var preset: PresetChoice = .practice

    @Option(name: .long, parsing: .unconditional, help: "λ of Algorithm 1's theory preset (η = 1/λ).")
    var lambda: Double?

    @Option(name: .long, parsing: .unconditional, help: "Algorithm 2 (practice): first round with a fine-tuning step (default 60 for G_loss, 40 for G).")
    var fineTuneStart: Int?

    @Option(name: .long, parsing: .unconditional, help: "Algorithm 2 (practice): Adam learning rate of the fine-tuning step.")
    var fineTuneLR = OptimizationSettings.paperFineTuningRate

    @Option(name: .long, help: ArgumentHelp("Sampler: ddpm, ddim (--eta, --ddim-steps) or continuous.", valueName: "name"))
    var sampler: SamplerChoice = .ddpm

    @OptionGroup var ddimOptions: DDIMOptions

    @Option(name: .long, help: ArgumentHelp("Algorithm 2 with --network: reference (one Adam step on the round's samples) or weighted (the paper's w·L(round) + (1 − w)·L(D₀)).", valueName: "mode"))
    var fineTuneMode: FineTuneMode = .reference

    @Option(name: .long, parsing: .unconditional, help: "The weight w of the round's samples in --fine-tune-mode weighted.")
    var fineTuneWeight = 0.5

    enum PresetChoice: String, ExpressibleByArgument, CaseIterable { case practice, theory }
    enum FineTuneMode: String, ExpressibleByArgument, CaseIterable { case reference, weighted }

    func validate() throws {
        guard algorithm == 1 || algorithm == 2 else { throw ValidationError("--algorithm must be 1 or 2, got \(algorithm)") }
        if let rounds { guard rounds >= 0 && rounds <= 10_000_000 else { throw ValidationError("--rounds must be between 0 and 10000000, got \(rounds)") } }
        guard batchSize >= 1 && batchSize <= 1_000_000 else { throw ValidationError("--batch-size must be between 1 and 1000000, got \(batchSize)") }
        if let delta { guard delta.isFinite else { throw ValidationError("--delta must be finite") } }
        if preset == .theory && algorithm == 1 {
            guard let lambda, lambda > 0, lambda.isFinite else { throw ValidationError("--preset theory with --algorithm 1 needs --lambda > 0") }
        }
        guard fineTuneLR > 0, fineTuneLR.isFinite else { throw ValidationError("--fine-tune-lr must be positive") }
        guard fineTuneWeight >= 0, fineTuneWeight <= 1 else { throw ValidationError("--fine-tune-weight must lie in [0, 1], got \(fineTuneWeight)") }
        if let fineTuneStart { guard fineTuneStart >= 0 else { throw ValidationError("--fine-tune-start must be non-negative, got \(fineTuneStart)") } }
        if let lambda, preset != .theory || algorithm != 1 {
            throw ValidationError("--lambda \(lambda) is used only by --preset theory with --algorithm 1")
        }
        if algorithm == 1 && (fineTuneStart != nil || fineTuneMode != .reference) {
            throw ValidationError("--fine-tune-start and --fine-tune-mode apply to --algorithm 2 only")
        }
        try scoreOptions.requireDiscreteSampler(sampler)
        try ddimOptions.validate(for: sampler)
        if preset == .theory && scoreOptions.network != nil {
            throw ValidationError("--preset theory runs the linear score class (SPEC §6); it cannot use --network")
        }
    }

    func run() throws {
        runOptions.applyThreads()
        let output = runOptions.out.map { OutputFolder(path: $0, command: "optimize", force: runOptions.safety.force) }
        try output?.checkDestination()
        let experiment = try settingOptions.load(memory: runOptions.safety.memory)
        var estimate = experiment.samplingEstimate(count: batchSize, score: preset == .theory ? .linear : scoreOptions.score,
                                                   work: "ggd optimize --batch-size \(batchSize) --rounds \(rounds ?? 1200)")
        estimate.add("per-round records and rounds.csv", elements: Double(rounds ?? 1200) * Double(experiment.setting.data.ambientDimension + 8), bytesEach: 40)
        try runOptions.safety.memory.require(estimate)
        if fineTuneMode == .weighted || preset == .theory || scoreOptions.score == .linear {
            try runOptions.safety.memory.require(experiment.pretrainingEstimate(count: scoreOptions.pretrainingSize,
                                                                                work: "--pretraining-size \(scoreOptions.pretrainingSize)"))
        }
        let kind = experiment.setting.objective.kind
        let roundsUsed = rounds ?? OptimizationSettings.paperRounds(algorithm: algorithm, objective: kind)
        let deltaUsed = delta ?? OptimizationSettings.paperDelta(guidance: guidance, objective: kind)
        var settings = OptimizationSettings(
            algorithm: algorithm, rounds: roundsUsed, batchSize: batchSize, guidance: guidance, beta: experiment.beta,
            betaCoefficient: experiment.setting.guidance.betaCoefficient, sigma: experiment.setting.guidance.sigma,
            delta: deltaUsed, gradientPoint: gradientPoint, preset: preset == .theory ? .theory(lambda: lambda) : .practice,
            fineTuning: nil, seed: runOptions.seed)
        if algorithm == 2 {
            settings.fineTuning = preset == .theory
                ? .offsetRefit
                : .adam(learningRate: fineTuneLR, startRound: fineTuneStart ?? OptimizationSettings.paperFineTuningStart(guidance: guidance))
        }
        let model = preset == .theory
            ? try experiment.scoreModel(.linear, pretrainingSize: scoreOptions.pretrainingSize, seed: runOptions.seed)
            : try scoreOptions.model(experiment, seed: runOptions.seed, memory: runOptions.safety.memory)
        var fineTuner: (any ScoreFineTuner)?
        if algorithm == 2, preset == .practice, model is NetworkScore<Float> {
            switch fineTuneMode {
            case .reference:
                fineTuner = try NetworkFineTuner(mode: .referenceCode, schedule: experiment.schedule, seed: runOptions.seed, learningRate: fineTuneLR)
            case .weighted:
                fineTuner = try NetworkFineTuner(mode: .paperWeighted(weight: fineTuneWeight), schedule: experiment.schedule, seed: runOptions.seed,
                                                 learningRate: fineTuneLR,
                                                 pretraining: experiment.pretrainingData(count: scoreOptions.pretrainingSize, seed: runOptions.seed).converted(to: Float.self))
            }
        }
        try backendOptions.requireAvailable()
        let samplerObject = backendOptions.sampler(try sampler.make(experiment: experiment, method: .exponentialIntegrator, ddim: ddimOptions, threads: runOptions.threads))
        let optimizer = try GenerativeOptimizer(
            sampler: samplerObject, objective: experiment.objective, settings: settings, geometry: experiment.geometry,
            recordsSphereDeviation: experiment.setting.data.kind == .sphere, fineTuningSchedule: experiment.schedule, fineTuner: fineTuner)
        let progress = ProgressReporter("round", total: roundsUsed, quiet: runOptions.quiet)
        let result: OptimizationRun
        do {
            result = try optimizer.run(model: model) { k, _, record in
                var detail = String(format: "reward %.4f", record.meanReward)
                if let r = record.meanOffSupportRatio { detail += String(format: " r_off %.4f", r) }
                progress.update(k, detail)
            }
        } catch let DiffusionError.nonFinite(what) {
            progress.finish()
            throw CommandError(.numericalFailure, "the optimisation stopped \(what); nothing was written")
        }
        progress.finish()
        if let bad = result.records.first(where: { !$0.meanReward.isFinite || !($0.meanOffSupportRatio ?? 0).isFinite }) {
            throw CommandError(.numericalFailure, "round \(bad.round) produced a non-finite reward or r_off (reward \(bad.meanReward), r_off \(bad.meanOffSupportRatio ?? .nan)); nothing was written")
        }

        let last = result.records.last!
        let record = OptimizationResult(run: result, experiment: experiment, seed: runOptions.seed, threads: runOptions.threads, options: .init(
            algorithm: algorithm, guidance: guidance.rawValue, rounds: roundsUsed, batchSize: batchSize, delta: deltaUsed,
            gradientPoint: gradientPoint.rawValue, preset: preset.rawValue, lambda: lambda,
            score: preset == .theory ? ScoreChoice.linear.rawValue : scoreOptions.description, fineTuneMode: fineTuneMode.rawValue,
            pretrainingSize: scoreOptions.pretrainingSize, sampler: ddimOptions.name(sampler),
            fineTuneStart: algorithm == 2 && preset == .practice ? (fineTuneStart ?? OptimizationSettings.paperFineTuningStart(guidance: guidance)) : nil,
            fineTuneLR: fineTuneLR, backend: backendOptions.backend?.rawValue ?? "host"))
        let json = try ResultJSON.string(record)
        if var output {
            try output.add("result.json", text: json)
            try output.add("rounds.csv", text: ResultEncoding.roundsCSV(result.records))
            try output.add("samples.csv", text: ResultEncoding.csv(result.finalSamples))
            try output.add("samples.npy", bytes: try ResultEncoding.npy(result.finalSamples))
            try output.commit()
            note("wrote \(output.path)/result.json, rounds.csv, samples.csv, samples.npy", quiet: runOptions.quiet)
        } else {
            print(json, terminator: "")
        }
        var summary = String(format: "final round %d: mean reward %.4f, top-4 reward %.4f", last.round, last.meanReward, last.top4Reward)
        if let r = last.meanOffSupportRatio { summary += String(format: ", mean r_off %.3g", r) }
        note(summary, quiet: runOptions.quiet)
    }
}
