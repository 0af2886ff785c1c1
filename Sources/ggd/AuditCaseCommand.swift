import ArgumentParser
import Audit
import Experiments
import NumPyIO

/// `ggd audit-case`: everything an external sampler needs to be audited, as .npz and a JSON manifest.
struct AuditCaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-case",
        abstract: "Write an audit case: a setting, its closed-form ε-model, a guidance query, shared noise and the exact output law.",
        discussion: """
            The case is what someone else's sampler (PyTorch, JAX, NumPy) needs to be audited by ggd audit. CASE/case.npz holds float64 arrays: A; the ε-model's μ, B, λ; ᾱ, β and the posterior variances β̃ for t = 0 … T; g, y, σ, β_coef; the shared noise x_T and noise[t−1] (step t) of --trajectories draws; the exact law's mean and covariance. CASE/case.json holds the setting (with g and y fixed), the guidance, the seed and the formulas, so the external side can build the exact ε without this tool; it is also a setting file (--setting CASE/case.json).

            The setting must have a Gaussian latent: then every DDPM step is affine plus Gaussian noise and the output law is exact.

            Examples:
              ggd audit-case --guidance lookahead --out runs/case
              ggd audit-case --guidance naive --trajectories 16 --T 50 --out runs/naive-case
              python3 ci/examples/ddpm_numpy.py runs/case runs/samples.npy && ggd audit runs/case runs/samples.npy
            """
    )

    @OptionGroup var settingOptions: SettingOptions

    @Option(name: .long, help: ArgumentHelp("none, naive (G) or lookahead (G_loss, with the setting's β rule).", valueName: "kind"))
    var guidance: AuditGuidance = .lookahead

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Samples the external side is asked to draw (recorded in the manifest).", valueName: "n"))
    var count = 20000

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Trajectories of shared noise to export (0: none); a trajectory audit uses up to this many.", valueName: "n"))
    var trajectories = 64

    @Option(name: .long, parsing: .unconditional, help: "δ for the default target y = δ + gᵀμ (when the setting fixes no y).")
    var delta = 0.2

    @Option(name: .long, help: "The seed of the shared noise (the draws this tool's sampler uses).")
    var seed: UInt64 = 1234

    @Option(name: .long, help: ArgumentHelp("The case folder to write (written atomically).", valueName: "folder"))
    var out: String

    @Flag(name: .long, help: "No note on stderr.")
    var quiet = false

    @OptionGroup var safety: SafetyOptions

    func validate() throws {
        guard count >= 2 && count <= 100_000_000 else { throw ValidationError("--count must be between 2 and 100000000, got \(count)") }
        guard trajectories >= 0 && trajectories <= 1_000_000 else { throw ValidationError("--trajectories must be between 0 and 1000000, got \(trajectories)") }
        guard delta.isFinite else { throw ValidationError("--delta must be finite") }
        guard Double(seed) < SettingValidation.largestExactInteger else { throw ValidationError("--seed must be below 2^53 so that the manifest records it exactly") }
    }

    func run() throws {
        let output = OutputFolder(path: out, command: "audit-case", force: safety.force)
        try output.checkDestination()
        let experiment = try settingOptions.load(memory: safety.memory)
        try safety.memory.require(AuditCaseFiles.estimate(setting: experiment.setting, trajectories: trajectories))
        let auditCase = try AuditCase(experiment: experiment, guidance: guidance, count: count, trajectories: trajectories, seed: seed, delta: delta)
        let law = try auditCase.law()
        var folder = output
        try folder.add(AuditCaseFiles.arraysName, bytes: NPZArchive.bytes(try AuditCaseFiles.arrays(auditCase, law: law)))
        try folder.add(AuditCaseFiles.manifestName, text: AuditCaseFiles.manifest(auditCase, law: law))
        try folder.commit()
        note("wrote \(out)/case.json and case.npz: \(auditCase.summary), \(trajectories) shared-noise trajectories", quiet: quiet)
    }
}

extension AuditGuidance: ExpressibleByArgument {}
