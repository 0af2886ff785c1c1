import ArgumentParser

/// `ggd`: gradient-guided diffusion, and the verification of the paper's claims, from the command line.
/// The CLI only parses and wires; all numerics live in the library modules.
@main
struct GGD: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ggd",
        abstract: "Gradient-guided diffusion for generative optimisation, and a harness that verifies the paper's claims.",
        discussion: """
            Every command reads a setting: the paper's simulation by default (--paper-setting: D = 64, d = 16, f1 with θ₂), or your own with --setting FILE (JSON or .npz, or a result.json to replay; see README, "Settings files"). Every output records the setting, seed and options it ran with.

            Examples:
              ggd sample --count 1000 --out runs/unguided
              ggd optimize --algorithm 1 --guidance lookahead --rounds 200 --out runs/alg1
              ggd optimize --algorithm 2 --guidance naive --delta 0.9 --rounds 1200
              ggd law --guided --beta-rule theory --score linear
              ggd bench

            Outputs: a folder is written whole (a staging folder, then one rename) and replaces an existing folder only when that folder is an earlier output of the same command (it carries a .ggd-output marker) or is empty; anything else is refused unless --force is given. Single files are written to a temporary file and renamed. Sizes are checked against a memory limit before anything is allocated (the smaller of 4 GB and half the machine's memory; --max-memory changes it).

            \(ExitStatus.helpText)
            """,
        subcommands: [ReportCommand.self, CompareCommand.self, CheckCommand.self, MergeCommand.self, MutantsCommand.self, SensitivityCommand.self, CalibrateCommand.self, CrosscheckCommand.self, SampleCommand.self, OptimizeCommand.self, LawCommand.self, TrainCommand.self, DiagnoseCommand.self, ReproduceCommand.self, AuditCaseCommand.self, AuditCommand.self, MethodsCommand.self, BenchCommand.self]
    )

    static func main() {
        CPUCheck.requireVectorExtensions()
        BLASEnvironment.ensureCorrectCore()
        AllocatorTuning.apply()
        var name: String?
        do {
            var command = try parseAsRoot()
            name = type(of: command).configuration.commandName
            try command.run()
        } catch {
            ErrorClassification.exit(with: error, command: name)
        }
    }
}
