import Foundation
import Testing

/// `ggd mutants` and `ggd calibrate` from the command line (their own processes, so the fault switch
/// never touches the in-process tests).
@Suite struct MutantsCommandTests {
    @Test func aFlippedSignIsKilledAndTheMatrixSaysSo() throws {
        let r = try CommandRunner.run(["mutants", "--mutant", "gloss-sign-flipped", "--property", "T3-rate", "--property", "S0-support", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let row = r.stdout.split(separator: "\n").first { $0.hasPrefix("gloss-sign-flipped") } ?? ""
        #expect(row.contains("×"), "T3-rate did not kill the flipped sign: \(r.stdout)")
        #expect(r.stdout.contains("killed 1 of 1"))
    }

    @Test func anEquivalentMutantSurvivesWithItsExplanation() throws {
        let r = try CommandRunner.run(["mutants", "--mutant", "mixture-vjp-transposed", "--property", "T1-vjp", "--quiet"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("survived (equivalent)") && r.stdout.contains("symmetric"))
    }

    @Test func listNamesEveryMutant() throws {
        let r = try CommandRunner.run(["mutants", "--list"])
        #expect(r.status == 0)
        #expect(r.stdout.split(separator: "\n").count >= 20)
    }

    @Test func unknownMutantIsAClearError() throws {
        let r = try CommandRunner.run(["mutants", "--mutant", "no-such-fault"])
        #expect(r.status != 0 && r.stderr.contains("unknown --mutant 'no-such-fault'"))
    }

    @Test func calibrationReportsClopperPearsonIntervals() throws {
        let r = try CommandRunner.run(["calibrate", "--runs", "2", "--seed", "11", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("family") && r.stdout.contains("Clopper–Pearson"))
        #expect(r.stdout.contains("L3-draws") && r.stdout.contains("T3-rate"))
    }
}

/// `ggd crosscheck` from the command line: the CPU backends pass, CUDA says why it cannot run.
@Suite struct CrosscheckCommandTests {
    @Test func cpuBackendsPassAndCUDAIsUnavailableWithItsReason() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let r = try CommandRunner.run(["crosscheck", "--backends", "openblas-double,cuda-float", "--out", dir.path, "--quiet"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("pass network.forward") && r.stdout.contains("cuda-float: unavailable — "))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("openblas-double.json").path))
    }

    @Test func unknownBackendIsAClearError() throws {
        let r = try CommandRunner.run(["crosscheck", "--backends", "tpu"])
        #expect(r.status == 64 && r.stderr.contains("'tpu' is invalid for '--backends") && r.stderr.contains("openblas-float"))
    }
}
