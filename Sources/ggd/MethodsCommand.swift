import ArgumentParser
import Foundation
import Experiments
import Guidance
import Reporting
import TheoryReport

/// `ggd methods`: the training-free guidance methods side by side with G and G_loss.
struct MethodsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "methods",
        abstract: "Compare DPS, FreeDoM, Universal Guidance, MPGD and TFG with G and G_loss: structure, reward, speed.",
        discussion: """
            On the paper's linear-latent setting (f1, D = 64, d = 16, the exact Gaussian score), for each method and
            sampler (DDPM, and DDIM with --ddim-eta and --ddim-steps):
              keeps span(A)   the exact law's relative off-span mass for the first round's query, where the method is
                              affine (every method here but normalised DPS, whose draws decide instead);
              claim holds     whether the method's own paper's structure claim holds here (G_loss and MPGD claim to
                              keep the data's structure, Proposition 1 that naive G leaves it);
              reward, r_off   Algorithm 1 with the method in place of G_loss after K rounds (--rounds);
              ms / round      this machine's wall time per round.
            Then a reward–deviation frontier: each method at ×0.25 … ×4 its default strength (--scales).
            Each method descends ℓ(x̂₀) = ((y − gᵀx̂₀)/‖g‖)², the round's target hyperplane, with the settings in
            the table; the same section is in `ggd report`.

            Examples:
              ggd methods                                   # the table on stdout, progress on stderr
              ggd methods --rounds 200 --out Reports/methods
              ggd methods --method dps --method mpgd --json
            """
    )

    @Option(name: .long, parsing: .unconditional, help: "K, Algorithm 1's rounds per run.")
    var rounds = 40

    @Option(name: .long, parsing: .unconditional, help: "Samples per round B.")
    var batchSize = 32

    @Option(name: .long, help: ArgumentHelp("Only these methods (repeatable): \(GuidanceMethod.Kind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var method: [String] = []

    @Option(name: .long, help: ArgumentHelp("Strength multipliers of the frontier, comma-separated.", valueName: "list"))
    var scales = "0.25,0.5,1,2,4"

    @Option(name: .long, parsing: .unconditional, help: "δ of every method's targets y = gᵀz + δ.")
    var delta = 0.2

    @Option(name: .long, parsing: .unconditional, help: "DDIM's η for the DDIM column.")
    var ddimEta = 0.0

    @Option(name: .long, parsing: .unconditional, help: "DDIM's steps for the DDIM column.")
    var ddimSteps = 50

    @Flag(name: .long, help: "Print the comparison as JSON on stdout instead of the table.")
    var json = false

    @OptionGroup var runOptions: RunOptions

    func parsedScales() throws -> [Double] {
        let parts = scales.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.map(Double.init)
        guard !parts.isEmpty, values.allSatisfy({ $0 != nil && $0! > 0 && $0!.isFinite }) else {
            throw ValidationError("--scales must be positive numbers separated by commas, got '\(scales)'")
        }
        return values.map { $0! }
    }

    /// The chosen methods in the table's order, each once.
    func methods() throws -> [GuidanceMethod] {
        guard !method.isEmpty else { return GuidanceMethod.defaults }
        let kinds = try Set(method.map { name in
            guard let kind = GuidanceMethod.Kind(rawValue: name) else {
                throw ValidationError("unknown method '\(name)'; the methods are \(GuidanceMethod.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return kind
        })
        return GuidanceMethod.defaults.filter { kinds.contains($0.kind) }
    }

    func validate() throws {
        guard rounds >= 1, rounds <= 100_000 else { throw ValidationError("--rounds must be between 1 and 100000, got \(rounds)") }
        guard batchSize >= 1, batchSize <= 100_000 else { throw ValidationError("--batch-size must be between 1 and 100000, got \(batchSize)") }
        guard delta.isFinite else { throw ValidationError("--delta must be finite") }
        guard ddimEta.isFinite, ddimEta >= 0, ddimEta <= 1 else { throw ValidationError("--ddim-eta must lie in [0, 1], got \(ddimEta)") }
        guard ddimSteps >= 1 else { throw ValidationError("--ddim-steps must be at least 1, got \(ddimSteps)") }
        _ = try parsedScales()
        _ = try methods()
    }

    func run() throws {
        runOptions.applyThreads()
        let output = runOptions.out.map { OutputFolder(path: $0, command: "methods", force: runOptions.safety.force) }
        try output?.checkDestination()
        let experiment = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        try runOptions.safety.memory.require(experiment.samplingEstimate(count: batchSize, outputs: false, work: "ggd methods --batch-size \(batchSize)"))
        let options = MethodsComparison.Options(rounds: rounds, batchSize: batchSize, seed: runOptions.seed, scales: try parsedScales(),
                                                delta: delta, ddimEta: ddimEta, ddimSteps: ddimSteps, methods: try methods())
        let comparison: MethodsComparison
        do {
            comparison = try MethodsComparison.measure(options) { note($0, quiet: runOptions.quiet) }
        } catch let error as GuidanceError {
            throw CommandError(.usage, "\(error)")
        }
        let text = try ResultJSON.string(comparison)
        if var output {
            var doc = ReportDocument(title: "Guidance methods side by side", subtitle: "ggd methods · seed \(runOptions.seed)")
            doc.blocks = MethodsSection.blocks(comparison, figure: try MethodsSection.figure(comparison))
            for file in try ReportWriter.files(for: doc) { try output.add(file.path, bytes: Array(file.contents)) }
            try output.add("methods.json", text: text)
            try output.commit()
            note("wrote \(output.path)/index.html, index.md, methods.json, figures/", quiet: runOptions.quiet)
        }
        if json {
            print(text, terminator: "")
        } else {
            print(MarkdownRenderer.render(ReportDocument(title: "Guidance methods side by side", blocks: [.table(MethodsSection.table(comparison))])))
        }
    }
}
