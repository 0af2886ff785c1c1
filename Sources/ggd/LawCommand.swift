import ArgumentParser
import Foundation
import LinearAlgebra
import Experiments
import Guidance

/// `ggd law`: the exact output law of the DDPM sampler for a linear (Gaussian) score, guided or not.
struct LawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "law",
        abstract: "Print the exact law (mean, covariance) of the DDPM sampler's output for a linear score.",
        discussion: """
            With a Gaussian score (exact Gaussian latent, or the fitted linear class) and G_loss or naive G, every
            DDPM step is affine plus Gaussian noise, so the output law is Gaussian and propagates exactly, step by
            step, without sampling. With --guided and the theory β, Lemma 3's closed form is printed beside it.
            """
    )

    @OptionGroup var settingOptions: SettingOptions
    @OptionGroup var scoreOptions: ScoreOptions
    @OptionGroup var runOptions: RunOptions

    @Flag(name: .long, help: "The law under guidance with the setting's query (g, y), or g = ∇f(μ̄), y = δ + gᵀμ̄.")
    var guided = false

    @Option(name: .long, help: ArgumentHelp("lookahead (G_loss) or naive (G).", valueName: "kind"))
    var guidance: GuidanceKind = .lookahead

    @Option(name: .long, parsing: .unconditional, help: "δ for the default target.")
    var delta = 0.2

    @Option(name: .long, help: ArgumentHelp("The sampler whose law is computed: ddpm (the default) or ddim (--eta, --ddim-steps).", valueName: "name"))
    var sampler: SamplerChoice = .ddpm

    @OptionGroup var ddimOptions: DDIMOptions

    func validate() throws {
        guard delta.isFinite else { throw ValidationError("--delta must be finite") }
        if sampler == .continuous {
            throw ValidationError("--sampler continuous has no exact law here: its steps are not the discrete affine steps (use ddpm or ddim)")
        }
        try ddimOptions.validate(for: sampler)
        if scoreOptions.network != nil {
            throw ValidationError("the exact law needs a Gaussian score (--score exact with a Gaussian latent, or --score linear), not --network")
        }
    }

    func run() throws {
        runOptions.applyThreads()
        let output = runOptions.out.map { OutputFolder(path: $0, command: "law", force: runOptions.safety.force) }
        try output?.checkDestination()
        let experiment = try settingOptions.load(memory: runOptions.safety.memory)
        try runOptions.safety.memory.require(experiment.lawEstimate(outputs: runOptions.out != nil, work: "ggd law (D = \(experiment.setting.data.ambientDimension))"))
        let model = try scoreOptions.model(experiment, seed: runOptions.seed, memory: runOptions.safety.memory)
        guard let gaussian = model as? GaussianScore else {
            throw SettingError("the exact law needs a Gaussian score: this setting's latent is a mixture or the sphere; use --score linear")
        }
        let result = try LawResult(experiment: experiment, model: gaussian, guided: guided, guidance: guidance, delta: delta, seed: runOptions.seed,
                                   options: .init(guided: guided, guidance: guidance.rawValue, delta: delta, score: scoreOptions.description,
                                                  pretrainingSize: scoreOptions.pretrainingSize, sampler: ddimOptions.name(sampler)),
                                   sampler: sampler == .ddim ? try ddimOptions.make(experiment: experiment, threads: 1) : nil)
        let law = result.law
        var lines = ["exact law of the \(sampler == .ddim ? ddimOptions.name(sampler) : "DDPM") output (T = \(experiment.schedule.steps), \(experiment.setting.diffusion.schedule) schedule)"]
        lines.append(String(format: "  ‖mean‖ = %.6g, trace(covariance) = %.6g", Vectors.norm(law.mean), law.covariance.trace))
        if let geometry = experiment.geometry {
            let off = geometry.offSupport(Matrix(rows: 1, columns: law.mean.count, elements: law.mean)).elements
            lines.append(String(format: "  ‖(I − P) mean‖ = %.3g", Vectors.norm(off)))
        }
        if let lemma = result.lemma3 {
            lines.append(String(format: "  Lemma 3 (%@ β): ‖mean − predicted‖ = %.3g, ‖cov − predicted‖_F = %.3g",
                                experiment.setting.guidance.betaRule, lemma.meanError, lemma.covarianceError))
            lines.append(String(format: "  gᵀmean = %.6g (target y = %.6g, Lemma 3 predicts %.6g)",
                                Vectors.dot(lemma.gradient, law.mean), lemma.target, Vectors.dot(lemma.gradient, lemma.law.mean)))
        }
        let json = try ResultJSON.string(result)
        if var output {
            try output.add("law.json", text: json)
            try output.commit()
            lines.append("wrote \(output.path)/law.json")
        }
        print(lines.joined(separator: "\n"))
    }
}
