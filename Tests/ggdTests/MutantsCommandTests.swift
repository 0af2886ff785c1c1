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

    /// A long calibration runs in chunks and is stated whole: counts add over disjoint seed ranges, and a
    /// run counted twice (overlapping seeds) or a file that is not a calibration is refused.
    @Test func calibrationChunksCombineIntoOneTable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ggd-calibrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.json").path, b = dir.appendingPathComponent("b.json").path
        let both = dir.appendingPathComponent("both.json").path
        #expect(try CommandRunner.run(["calibrate", "--runs", "2", "--seed", "21", "--json", a, "--quiet"]).status == 0)
        #expect(try CommandRunner.run(["calibrate", "--runs", "1", "--seed", "23", "--json", b, "--quiet"]).status == 0)
        let r = try CommandRunner.run(["calibrate", "--combine", a, b, "--json", both])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("/3 ") && r.stdout.contains("seeds 21…22, 23…23"), "\(r.stdout)")
        let combined = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: both))) as? [String: Any]
        #expect(combined?["runs"] as? Int == 3)
        let overlap = try CommandRunner.run(["calibrate", "--combine", a, a])
        #expect(overlap.status == 65 && overlap.stderr.contains("overlap"), "\(overlap.stderr)")
        try "{}".write(toFile: b, atomically: true, encoding: .utf8)
        #expect(try CommandRunner.run(["calibrate", "--combine", a, b]).status == 65)
        #expect(try CommandRunner.run(["calibrate", "--combine", dir.appendingPathComponent("missing.json").path]).status == 66)
    }

    /// `--property` re-measures just the properties a change touched: rows for those only (with their
    /// revision and failed-run records), no family row; an unknown id is refused by name.
    @Test func calibrationOfChosenPropertiesRecordsTheirRevisions() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("t1.json").path
        let r = try CommandRunner.run(["calibrate", "--runs", "2", "--seed", "31", "--property", "T1", "--property", "P1", "--json", out, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("T1 ") && r.stdout.contains("P1 ") && !r.stdout.contains("\nfamily ") && !r.stdout.contains("L3-draws"), "\(r.stdout)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(json["selection"] as? [String] == ["T1", "P1"] && (json["failedRuns"] as? [Any])?.isEmpty == true)
        #expect(((json["rows"] as? [[String: Any]])?.first?["revision"] as? Int) == 1)
        let unknown = try CommandRunner.run(["calibrate", "--runs", "1", "--property", "T9"])
        #expect(unknown.status == 64 && unknown.stderr.contains("no property 'T9'"), "\(unknown.stderr)")
        #expect(try CommandRunner.run(["calibrate", "--combine", out, "--property", "T1"]).status == 64)
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
