import ArgumentParser
import Backends
import Foundation
import Experiments
import Reproduction
import ScoreNetwork

/// `ggd diagnose`: where a trained network's draws go wrong, step by step.
struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Show where a trained ε-network's unguided draws go wrong, step by step, against the exact score.",
        discussion: """
            For a network trained on the paper's linear-latent data (ggd train), measures at each diagnosed step t
            its ε-error against the exact score of the data law, on and off span(A), beside the DDPM sampler's gain
            β_t/√(α_t h_t) on that error: the product is what the step puts into x_{t−1}. Then it draws unguided
            samples with the exact score in place of the network at the first k steps (k = 0, 1, 2) and counts the
            draws beyond twice the data's largest norm, which tells whether the first steps cause the outliers.

            With the cosine schedule's clipped β_T = 0.999 the gain of the first step is about 32: an ε-network as
            accurate there as elsewhere puts most of its error into x_{T−1} (Reports/networks/README.md).

            Examples:
              ggd diagnose --network runs/network.npz
              ggd diagnose --network runs/network.npz --out diagnosis.json
            """
    )

    @Option(name: .long, help: ArgumentHelp("The trained ε-network (from ggd train) to diagnose.", valueName: "file"))
    var network: String

    @Option(name: .long, parsing: .unconditional, help: "Noised data points per step for the ε-error.")
    var points = 4096

    @Option(name: .long, parsing: .unconditional, help: "Unguided draws per swap of the first steps.")
    var draws = 4096

    @Option(name: .long, help: "The seed of the points, the noise and the draws.")
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("Write the diagnosis as JSON here (atomically).", valueName: "file"))
    var out: String?

    @Option(name: .long, parsing: .unconditional, help: "BLAS threads.")
    var threads = 2

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    @OptionGroup var safety: SafetyOptions

    func validate() throws {
        guard points >= 1 && points <= 1_000_000 else { throw ValidationError("--points must be between 1 and 1000000, got \(points)") }
        guard draws >= 1 && draws <= 1_000_000 else { throw ValidationError("--draws must be between 1 and 1000000, got \(draws)") }
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256") }
    }

    func run() throws {
        let output = out.map { OutputFile(path: $0, force: safety.force) }
        try output?.checkDestination()
        BLASEnvironment.setThreads(threads)
        let experiment = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        guard let data = experiment.subspace else { throw ValidationError("the paper's linear setting has no subspace law") }
        let (state, configuration) = try NetworkCheckpoints.load(network, option: "--network", for: experiment)
        note("ggd diagnose: \(configuration.architecture) against the exact score, T = \(experiment.schedule.steps), seed \(seed)", quiet: quiet)
        let d = try NetworkDiagnosis.measure(model: NetworkScore(network: state.network, maximumBatch: 256), data: data, schedule: experiment.schedule,
                                             points: points, draws: draws, seed: seed) { note("· " + $0, quiet: quiet) }
        var lines = ["\(configuration.architecture.name): ε-error against the exact score at each step (\(points) noised data points)",
                     "     t      β_t     gain   ‖ε̂ − ε*‖   on span   off span   gain × error"]
        for r in d.steps {
            lines.append(String(format: "%6d %8.4f %8.3f %10.4f %9.4f %10.4f %14.4f", r.step, r.beta, r.gain, r.error, r.onSpan, r.offSpan, r.contribution))
        }
        lines.append(String(format: "unguided draws with the exact score at the first k steps (%d draws; 2·max‖data‖ = %.3g)", draws, 2 * d.dataLargestNorm))
        lines.append("     k   beyond   ‖x‖ 99.9%     max ‖x‖   mean r_off")
        for s in d.swaps {
            lines.append(String(format: "%6d %8d %11.3g %11.3g %12.4f", s.exactSteps, s.beyond, s.normQ999, s.normMax, s.meanOffSpanRatio))
        }
        if let output {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let body = try encoder.encode(DiagnosisFile(network: network, architecture: configuration.architecture.name, diagnosis: d))
            try output.write(Array(body))
            lines.append("wrote \(output.path)")
        }
        print(lines.joined(separator: "\n"))
    }
}

/// What `ggd diagnose --out` writes.
struct DiagnosisFile: Encodable {
    let network: String
    let architecture: String
    let diagnosis: NetworkDiagnosis

    enum CodingKeys: String, CodingKey { case network, architecture, steps, swaps, dataLargestNorm = "data_largest_norm", points, seed }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(network, forKey: .network)
        try c.encode(architecture, forKey: .architecture)
        try c.encode(diagnosis.steps, forKey: .steps)
        try c.encode(diagnosis.swaps, forKey: .swaps)
        try c.encode(diagnosis.dataLargestNorm, forKey: .dataLargestNorm)
        try c.encode(diagnosis.points, forKey: .points)
        try c.encode(diagnosis.seed, forKey: .seed)
    }
}
