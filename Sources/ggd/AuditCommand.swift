import ArgumentParser
import Audit
import Experiments
import Foundation

/// `ggd audit`: someone else's sampler judged against the exact law, by its samples, its trajectory or its step.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Judge an external sampler against an audit case: its samples, its trajectory from the shared noise, or its step.",
        discussion: """
            ggd audit CASE SAMPLES.npy: an (n, D) array of outputs. In the exact law's support: Hotelling's T² (mean), the likelihood-ratio test (covariance), the χ² test of the spread along g and Kolmogorov–Smirnov on projections (along g, off span(A), random); r_off against the law's; no draw outside the support beyond round-off. Bonferroni at --false-fail-rate, printed with the smallest mean shift, spread change and CDF distance it detects with probability 0.95.

            ggd audit CASE TRAJECTORY.npz: an array 'x' of shape (T+1, N, D), x[t] the state x_t, from the case's shared noise. Every external step from its own x_t against this tool's step with the same noise (far below sampling error), and the whole path against the shipped sampler's.

            ggd audit CASE --step-command "CMD": runs CMD once; for each step it reads x (B, D), t and noise (B, D) as .npy on stdin and writes x_{t−1} as .npy on stdout. The step's affine map, offset and noise scale are recovered exactly.

            On a failure the verdict names the first step and quantity that departs and, where one explains it, the convention error (ᾱ off by one, variance β instead of β̃, noise at the last step, β doubled or missing α², float32 schedule), found by auditing against each error's own exact law or steps. Exit status 0: pass; 1: fail; 65: a bad case, input or step command.

            Examples:
              ggd audit-case --guidance lookahead --out runs/case
              python3 ci/examples/ddpm_numpy.py runs/case runs/samples.npy
              ggd audit runs/case runs/samples.npy
              ggd audit runs/case --step-command "python3 ci/examples/ddpm_numpy.py runs/case --serve-steps"
              ggd audit runs/case --calibrate 200
            """
    )

    @Argument(help: ArgumentHelp("The case folder ggd audit-case wrote (or its case.json).", valueName: "case"))
    var casePath: String

    @Argument(help: ArgumentHelp("Samples (n, D) or a trajectory (T+1, N, D), as .npy or .npz.", valueName: "input"))
    var input: String?

    @Option(name: .long, help: ArgumentHelp("Audit the step of this program instead (run with /bin/sh -c).", valueName: "command"))
    var stepCommand: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Seconds the step command may take for one step.", valueName: "seconds"))
    var stepTimeout = 60.0

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("The samples audit's false-fail rate (Bonferroni over its tests).", valueName: "rate"))
    var falseFailRate = 1e-3

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Instead of an input: audit this many sets of draws from the exact law itself and count the failures (the audit's own false-fail rate).", valueName: "runs"))
    var calibrate: Int?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Draws per calibration run (default: the case's --count).", valueName: "n"))
    var draws: Int?

    @Option(name: .long, help: "The seed of a calibration's draws.")
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("Also write the verdict as JSON to this file (atomically).", valueName: "file"))
    var json: String?

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    @OptionGroup var safety: SafetyOptions

    func validate() throws {
        let modes = [input != nil, stepCommand != nil, calibrate != nil].filter { $0 }.count
        if modes != 1 {
            throw ValidationError("give one of: an input file (samples or a trajectory), --step-command, or --calibrate RUNS (got \(modes == 0 ? "none" : "\(modes)"))")
        }
        if let calibrate { guard calibrate >= 1 && calibrate <= 1_000_000 else { throw ValidationError("--calibrate must be between 1 and 1000000, got \(calibrate)") } }
        if let draws { guard draws >= 2 && draws <= 10_000_000 else { throw ValidationError("--draws must be between 2 and 10000000, got \(draws)") } }
        if draws != nil && calibrate == nil { throw ValidationError("--draws sets the draws of --calibrate; give --calibrate RUNS too") }
        guard falseFailRate > 0 && falseFailRate < 1 else { throw ValidationError("--false-fail-rate must lie in (0, 1), got \(falseFailRate)") }
        guard stepTimeout > 0 && stepTimeout <= 86_400 else { throw ValidationError("--step-timeout must lie in (0, 86400] seconds, got \(stepTimeout)") }
        if let stepCommand, stepCommand.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--step-command is empty") }
    }

    func run() throws {
        let output = json.map { OutputFile(path: $0, force: safety.force) }
        try output?.checkDestination()
        let auditCase = try AuditCaseFiles.load(casePath, memory: safety.memory)
        if let calibrate {
            let n = draws ?? auditCase.count
            var estimate = MemoryEstimate("ggd audit --calibrate with \(n) draws (D = \(auditCase.dimension))")
            estimate.add("the draws and their whitened copy", elements: 3 * Double(n) * Double(auditCase.dimension))
            estimate.add("the Monte Carlo of the law's r_off", elements: 3 * 200_000 * Double(auditCase.dimension))
            try safety.memory.require(estimate)
            let progress = ProgressReporter("calibration run", total: calibrate, quiet: quiet)
            let result = try AuditCalibration.run(auditCase, runs: calibrate, draws: n, options: .init(falseFailRate: falseFailRate), seed: seed) { done, _ in
                progress.update(done)
            }
            progress.finish()
            print(result.text)
            if let output {
                try output.write(Array(try JSONWriter.string(encoding: result).utf8))
                note("wrote \(output.path)", quiet: quiet)
            }
            if !result.consistent { throw ExitCode(ExitStatus.claimFailed.rawValue) }
            return
        }
        var report = AuditReport(input: input ?? "the step command '\(stepCommand ?? "")'", caseSummary: auditCase.summary)
        if let stepCommand {
            let progress = ProgressReporter("probing step", total: auditCase.steps, quiet: quiet)
            report.step = try StepAudit.run(auditCase, command: stepCommand, options: .init(timeout: stepTimeout)) { done, _ in progress.update(done) }
            progress.finish()
        } else if let input {
            let bound = max(1 << 20, min(1 << 32, Int(safety.memory.limitBytes / 4)))
            switch try AuditInput.read(input, for: auditCase, maximumBytes: bound) {
            case let .samples(x, _):
                let options = SampleAudit.Options(falseFailRate: falseFailRate)
                let verdict = try SampleAudit.judge(x, law: try auditCase.law(), gradient: auditCase.gradient, geometry: auditCase.geometry, options: options)
                report.samples = verdict
                if !verdict.passed { report.samplesConventions = try ConventionSearch.fits(x, case: auditCase, options: options) }
            case let .trajectory(states, float32):
                report.trajectory = try TrajectoryAudit.judge(auditCase, states: states, float32: float32)
            }
        }
        print(report.text)
        if let output {
            try output.write(Array(try JSONWriter.string(encoding: report).utf8))
            note("wrote \(output.path)", quiet: quiet)
        }
        if !report.passed { throw ExitCode(ExitStatus.claimFailed.rawValue) }
    }
}
