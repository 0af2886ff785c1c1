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

/// `--backend` on the commands that sample: the default path's output bit for bit on the host backends
/// where the precision is the same, and a clear refusal (exit 69) where the backend cannot run.
@Suite struct BackendOptionTests {
    func samples(_ arguments: [String], in dir: URL, out: String) throws -> Data {
        let r = try CommandRunner.run(arguments + ["--quiet", "--out", out], workingDirectory: dir)
        #expect(r.status == 0, "\(arguments): \(r.stderr)")
        let file = dir.appendingPathComponent(out).appendingPathComponent(arguments[0] == "sample" ? "samples.npy" : "samples.csv")
        return try Data(contentsOf: file)
    }

    @Test("sample and optimize: openblas-double and reference equal the default path for the closed-form score")
    func closedForm() throws {
        let dir = try CommandRunner.temporaryDirectory()
        for command in [["sample", "--count", "200", "--guided", "--T", "60"], ["optimize", "--rounds", "3", "--batch-size", "64", "--T", "60"]] {
            let base = try samples(command, in: dir, out: command[0] + "-default")
            for backend in ["openblas-double", "reference"] {
                #expect(try samples(command + ["--backend", backend], in: dir, out: command[0] + "-" + backend) == base, "\(command[0]) --backend \(backend)")
            }
        }
    }

    @Test("sample and optimize (Algorithm 2, fine-tuned): the Float network on openblas-float equals the default path")
    func network() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let train = try CommandRunner.run(["train", "--points", "1024", "--epochs", "1", "--width", "32", "--blocks", "1", "--T", "40",
                                           "--checkpoint", "net.npz", "--quiet"], workingDirectory: dir)
        #expect(train.status == 0, "\(train.stderr)")
        for command in [["sample", "--count", "100", "--guided", "--T", "40"],
                        ["optimize", "--algorithm", "2", "--rounds", "3", "--batch-size", "32", "--T", "40", "--fine-tune-start", "1"]] {
            let base = try samples(command + ["--network", "net.npz"], in: dir, out: "default-" + command[0])
            #expect(try samples(command + ["--network", "net.npz", "--backend", "openblas-float"], in: dir, out: "float-" + command[0]) == base)
        }
    }

    @Test("an unknown backend is a usage error; an unavailable one is refused with exit 69 before any work")
    func refusals() throws {
        let unknown = try CommandRunner.run(["sample", "--backend", "tpu"])
        #expect(unknown.status == 64 && unknown.stderr.contains("tpu"))
        // Where a GPU is, cuda-float runs; the refusals are checked where none is.
        guard try CommandRunner.run(["sample", "--count", "1", "--backend", "cuda-float", "--quiet"]).status == 69 else { return }
        for command in [["optimize"], ["report", "--out", "r"], ["reproduce", "simulation", "--out", "r"]] {
            let dir = try CommandRunner.temporaryDirectory()
            let r = try CommandRunner.run(command + ["--backend", "cuda-float", "--quiet"], workingDirectory: dir)
            #expect(r.status == 69 && r.stderr.contains("cuda-float"), "\(command): \(r.status) \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("r").path))
        }
    }
}
