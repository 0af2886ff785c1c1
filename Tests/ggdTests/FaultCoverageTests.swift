import Foundation
import Testing

/// Faults injected into the shipped compute formulas reach every backend: `ggd mutants --coverage` runs
/// each seam on the host path, the resident OpenBLAS and reference kernels and the CUDA source built
/// for this CPU, with the fault off and on (its own process, so the fault switch never touches the
/// in-process tests). And the seam probe kills the Adam mutant the catalog has no claim about.
@Suite struct FaultCoverageTests {
    func rows(_ stdout: String, fault: String) -> [Substring] {
        stdout.split(separator: "\n").filter { $0.hasPrefix(fault + " ") }
    }

    @Test("the DDPM step's noise, β in the CUDA source, G_loss's sign and Adam's step change every backend alike")
    func computeFaultsReachEveryBackend() throws {
        let faults = ["noise-scaled-by-variance", "alpha-bar-off-by-one", "code-beta-missing-alpha-squared", "theory-beta-missing-inverse-alpha",
                      "gloss-sign-flipped", "guidance-shift-missing-h", "adam-bias-correction-missing"]
        let r = try CommandRunner.run(["mutants", "--coverage", "--quiet"] + faults.flatMap { ["--mutant", $0] })
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        for fault in faults {
            let lines = rows(r.stdout, fault: fault)
            // Host or C kernel, resident or Swift loop, and the CUDA source (clang++ ships with the Swift toolchain).
            #expect(lines.count >= 5, "\(fault): \(lines)")
            #expect(lines.contains { $0.contains("cuda-source-float") }, "\(fault) was not run through the CUDA source")
            for line in lines { #expect(line.hasSuffix("yes      yes"), "\(line)") }
        }
        #expect(r.stdout.contains("every one of \(faults.count) compute faults reaches every backend alike"))
    }

    @Test("faults of closed-form scores and the theory round are named host-only, not counted as covered")
    func hostOnlyFaultsAreNamed() throws {
        let r = try CommandRunner.run(["mutants", "--coverage", "--quiet", "--mutant", "with-mean-ignored"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("host-only sites") && r.stdout.contains("with-mean-ignored"))
        #expect(rows(r.stdout, fault: "with-mean-ignored").isEmpty)
    }

    @Test("the Adam probe kills the missing bias correction on every backend's kernel")
    func adamProbeKillsTheMutant() throws {
        let r = try CommandRunner.run(["mutants", "--mutant", "adam-bias-correction-missing", "--property", "probe:adam", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("killed 1 of 1"), "\(r.stdout)")
    }

    @Test("the theory round's faults are killed by T2 and T3, which call the shipped round")
    func theoryRoundFaultsAreKilled() throws {
        let r = try CommandRunner.run(["mutants", "--mutant", "theory-anchor-not-refit", "--mutant", "theory-spread-missing-sigma",
                                       "--property", "T2-contraction", "--property", "T3-rate", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("killed 2 of 2"), "\(r.stdout)")
    }
}
