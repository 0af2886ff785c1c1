import ArgumentParser
import Backends
import Foundation
import LinearAlgebra
import Crosscheck
import Experiments

/// `ggd crosscheck`: backends held against the plain-Swift Double reference, with a verdict.
struct CrosscheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crosscheck",
        abstract: "Cross-check compute backends against the Double reference, kernel by kernel and end to end.",
        discussion: """
            Backends: reference (plain Swift, Double, no BLAS: the oracle), openblas-double, openblas-float, and
            cuda-float / cuda-double (cuBLAS and NVRTC-compiled kernels, every check resident on the GPU; reported
            unavailable, with the reason, where they cannot run). Checks: the
            network's gemm and SiLU kernels, Adam, the forward pass, the input VJP, the parameter gradient, one
            training step, one DDPM trajectory and one Algorithm 1 round, from the same inputs and Philox noise.
            Each output x passes when |x − r| ≤ atol + rtol·|r| against the reference r, with the per-dtype
            tolerance table in Sources/Crosscheck/ToleranceTable.swift (PyTorch's assert_close defaults, widened
            only with a written reason). A float trajectory that leaves its tolerance is judged by its law instead
            (two-sample KS against OpenBLAS Double). The OpenBLAS core in use is named, and one that differs from
            with who chose it (you, through OPENBLAS_CORETYPE; ggd, for this CPU; or OpenBLAS's own detection). The run fails
            only when OpenBLAS ignored an explicit choice or runs a slow fallback core nobody asked for (a misdetected
            CPU); an explicit, valid choice such as OPENBLAS_CORETYPE=Haswell on an AVX-512 machine is reported, not failed.

            Writes one JSON per backend into --out (default Reports/backends/latest); --baseline FOLDER compares
            with committed results and exits 1 on a regression or when the folder lacks a baseline for a backend that ran
            (a missing folder is an error, exit 66: a gate that cannot compare must not pass). Exits 1 when a check fails.

            Examples:
              ggd crosscheck
              ggd crosscheck --backends reference,openblas-float --baseline Reports/backends
            """
    )

    @Option(name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("Backends, comma- or space-separated (default: all; an unavailable one is listed with its reason and skipped).",
                               valueName: "backend"))
    var backends: [BackendList] = []

    @Option(name: .long, help: ArgumentHelp("Folder with committed results (one NAME.json per backend) to compare with.", valueName: "folder"))
    var baseline: String?

    @Option(name: .long, help: ArgumentHelp("Folder to write NAME.json per backend into (atomically).", valueName: "folder"))
    var out = "Reports/backends/latest"

    @Option(name: .long, help: "The seed of the inputs and the noise.")
    var seed: UInt64 = 2024

    @Option(name: .long, parsing: .unconditional, help: "Threads for BLAS.")
    var threads = 1

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    @OptionGroup var safety: SafetyOptions

    func validate() throws {
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256, got \(threads)") }
    }

    func run() throws {
        var output = OutputFolder(path: out, command: "crosscheck", force: safety.force)
        try output.checkDestination()
        if let baseline {
            switch FilePaths.kind(of: baseline) {
            case .absent: throw InputFileError(path: baseline, reason: "--baseline: no such folder; a gate with nothing to compare against cannot pass")
            case .file: throw InputFileError(path: baseline, reason: "--baseline must name a folder of NAME.json files, not a file")
            case .folder: break
            }
        }
        BLASEnvironment.setThreads(threads)
        let chosen = backends.isEmpty ? BackendChoice.allCases : backends.flatMap(\.choices)
        let specs = chosen.map { BackendSpec(choice: $0, unavailable: $0.unavailableReason) }
        let recommended = BLASEnvironment.recommendedCore()
        let core = BLASRuntime.coreName
        let audit = BLASEnvironment.audit(running: core, recommended: recommended)
        let reports = try BackendCrosscheck.run(specs, seed: seed, environment: (core, recommended, BLASRuntime.threadCount, RunEnvironment.cpuModel)) {
            note("· " + $0, quiet: quiet)
        }
        var failed = false
        print(audit.summary + "; BLAS threads \(BLASRuntime.threadCount)")
        if let fault = audit.fault {
            print("FAIL: \(fault)")
            failed = true
        }
        for r in reports {
            if !r.available { print("\(r.backend): unavailable — \(r.unavailableReason ?? "")"); continue }
            print("\(r.backend) (\(r.dtype))" + (r.device.map { " on \($0)" } ?? ""))
            for c in r.checks {
                print("  " + (c.passed ? "pass " : "FAIL ") + c.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                      + String(format: "max abs %.2e  max rel %.2e  %.3g of tolerance (rtol %.1e, atol %.1e)", c.maxAbsoluteError, c.maxRelativeError,
                               c.violation, c.rtol, c.atol) + (c.note.isEmpty ? "" : "  — " + c.note))
            }
            if !r.passed { failed = true }
            try output.add("\(r.backend).json", bytes: Array(try r.encoded()) + [10])
            if let baseline {
                let path = FilePaths.join(baseline, "\(r.backend).json")
                if FilePaths.kind(of: path) == .absent {
                    print("  FAIL: no baseline at \(path) to compare \(r.backend) with (commit one from a trusted run)")
                    failed = true
                } else {
                    let data = try InputFiles.read(path, maximumBytes: 64 << 20)
                    let regressions = r.regressions(against: try BackendReport.decoded(data, source: path))
                    for g in regressions { print("  REGRESSION \(g)") }
                    if !regressions.isEmpty { failed = true }
                }
            }
        }
        try output.commit()
        print("wrote \(out)/")
        if failed { throw ExitCode(1) }
    }
}
