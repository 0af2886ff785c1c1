import Foundation
import Testing

/// The careless and hostile user of issue 12, finding by finding: each test failed on the CLI before the
/// output, resource and exit-status policies, and passes after. Every run is a subprocess, so a trap
/// shows as a signal rather than killing the test runner.
@Suite struct CarelessUserTests {
    // MARK: Helpers

    static func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A tiny subspace setting (D = 4, d = 2, T = 5) that every command runs in well under a second.
    static let tinySetting = #"{"data": {"D": 4, "d": 2, "basis_seed": 3}, "objective": {"kind": "linear", "theta": [1, 0, 0, 0]}, "diffusion": {"T": 5}}"#

    /// A tiny trained network for `tinySetting`, made once per test process.
    static let tinyNetwork: Result<String, Error> = Result {
        let dir = try CommandRunner.temporaryDirectory()
        let setting = try write(tinySetting, "tiny.json", in: dir)
        let checkpoint = dir.appendingPathComponent("net.npz").path
        let r = try CommandRunner.run(["train", "--setting", setting, "--points", "64", "--epochs", "1", "--width", "8", "--blocks", "1",
                                       "--batch-size", "16", "--threads", "1", "--checkpoint", checkpoint, "--quiet"], timeout: 120)
        guard r.status == 0 else { throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "train failed: \(r.stderr)"]) }
        return checkpoint
    }

    /// Asserts a clean refusal: the documented status, exactly one error line containing `mentions`, no
    /// signal, and the usage text only for usage errors.
    static func expectRefused(_ r: CommandRunner.Result, status: Int32, mentions: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!r.signaled, "crashed: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.status == status, "exit \(r.status), expected \(status): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(CommandRunner.errorLines(r.stderr).count == 1, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(mentions), "stderr does not mention '\(mentions)': \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("Usage:") == (status == 64 && r.stderr.hasPrefix("Error:")),
                "usage text shown for a non-usage error, or missing for a usage error: \(r.stderr)", sourceLocation: sourceLocation)
    }

    // MARK: 1. Data loss

    @Test func reportRefusesAFolderThatIsNotItsOwn() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let thesis = dir.appendingPathComponent("t")
        try FileManager.default.createDirectory(at: thesis, withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: thesis.appendingPathComponent("thesis.txt"))
        let r = try CommandRunner.run(["report", "--out", thesis.path, "--quiet"], timeout: 60)
        Self.expectRefused(r, status: 73, mentions: "thesis.txt")
        #expect(r.stderr.contains("--force"))
        #expect(try String(contentsOf: thesis.appendingPathComponent("thesis.txt"), encoding: .utf8) == "x\n", "the user's file was touched")
        // The folder of another command is refused too.
        let sampled = dir.appendingPathComponent("s")
        #expect(try CommandRunner.run(["sample", "--count", "3", "--out", sampled.path, "--quiet"]).status == 0)
        let other = try CommandRunner.run(["optimize", "--rounds", "1", "--batch-size", "2", "--out", sampled.path, "--quiet"])
        Self.expectRefused(other, status: 73, mentions: "ggd sample")
    }

    @Test func anOutputOfTheSameCommandIsReplacedWholeAndForceReplacesAnything() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("s")
        #expect(try CommandRunner.run(["sample", "--count", "3", "--out", out.path, "--quiet"]).status == 0)
        try Data("old".utf8).write(to: out.appendingPathComponent("stale.csv"))
        #expect(try CommandRunner.run(["sample", "--count", "4", "--seed", "9", "--out", out.path, "--quiet"]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == [".ggd-output", "result.json", "samples.csv", "samples.npy"], "stale files of an earlier run stayed: \(names)")
        let siblings = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
        #expect(siblings.isEmpty, "staging leftovers: \(siblings)")

        let user = dir.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: user, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: user.appendingPathComponent("notes.txt"))
        #expect(try CommandRunner.run(["sample", "--count", "3", "--out", user.path, "--force", "--quiet"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: user.appendingPathComponent("notes.txt").path))
    }

    // MARK: 2. Crashes on valid input

    @Test func networkWithGuidanceAndTheContinuousSampler() throws {
        let checkpoint = try Self.tinyNetwork.get()
        let dir = try CommandRunner.temporaryDirectory()
        let setting = try Self.write(Self.tinySetting, "tiny.json", in: dir)
        let guided = try CommandRunner.run(["sample", "--setting", setting, "--guided", "--network", checkpoint, "--count", "4", "--quiet"], timeout: 60)
        #expect(guided.status == 0 && !guided.signaled, "\(guided.stderr)")
        for command in [["sample", "--count", "4"], ["optimize", "--rounds", "1", "--batch-size", "2"]] {
            let r = try CommandRunner.run(command + ["--setting", setting, "--sampler", "continuous", "--network", checkpoint, "--quiet"], timeout: 60)
            Self.expectRefused(r, status: 64, mentions: "--sampler continuous")
        }
    }

    @Test func oneCharacterAndDotOutputPaths() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let tiny = ["--budget", "T1=1,1", "--property", "T1", "--no-regressions", "--quiet"]
        let check = try CommandRunner.run(["check"] + tiny + ["--out", "z"], timeout: 60, workingDirectory: dir)
        #expect(check.status == 0 && !check.signaled, "\(check.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("z").path))
        for (i, name) in ["a", "b"].enumerated() {
            let shard = try CommandRunner.run(["check"] + tiny + ["--shard", "\(i)/2", "--out", name], timeout: 60, workingDirectory: dir)
            #expect(shard.status == 0, "\(shard.stderr)")
        }
        let merge = try CommandRunner.run(["merge", "a", "b", "--out", "m", "--regressions", "r", "--quiet"], timeout: 60, workingDirectory: dir)
        #expect(merge.status == 0 && !merge.signaled, "\(merge.stderr)")
        let sample = try CommandRunner.run(["sample", "--count", "2", "--out", "q", "--quiet"], workingDirectory: dir)
        #expect(sample.status == 0 && !sample.signaled, "\(sample.stderr)")
        for out in [".", "/", "..", "./"] {
            let r = try CommandRunner.run(["report", "--out", out, "--quiet"], timeout: 60, workingDirectory: dir)
            Self.expectRefused(r, status: 73, mentions: "output folder")
        }
    }

    @Test(arguments: [
        (#"{"data": {"basis_seed": -1}}"#, "basis_seed"),
        (#"{"data": {"D": 4, "d": 2, "basis_seed": 1e30}}"#, "basis_seed"),
        (#"{"diffusion": {"T": 1e300}}"#, "T"),
        (#"{"data": {"D": 4.7, "d": 2}}"#, "D"),
    ])
    func hugeNegativeAndFractionalNumbersInSettings(_ json: String, _ field: String) throws {
        let dir = try CommandRunner.temporaryDirectory()
        let setting = try Self.write(json, "s.json", in: dir)
        let r = try CommandRunner.run(["sample", "--setting", setting, "--count", "2", "--quiet"], timeout: 30)
        Self.expectRefused(r, status: 65, mentions: field)
    }

    @Test func reproduceWithANetworkOfAnotherDimension() throws {
        let checkpoint = try Self.tinyNetwork.get()
        let dir = try CommandRunner.temporaryDirectory()
        let r = try CommandRunner.run(["reproduce", "simulation", "--checkpoint", checkpoint, "--no-sphere", "--round-scale", "0.001",
                                       "--out", dir.appendingPathComponent("sim").path, "--quiet"], timeout: 120)
        Self.expectRefused(r, status: 65, mentions: "D = 4")
    }

    // MARK: 3. Out of memory instead of an error

    @Test(arguments: [
        (["sample", "--count", "10000000"], "--count"),
        (["sample", "--score", "linear", "--pretraining-size", "90000000"], "pretraining"),
        (["train", "--points", "90000000", "--epochs", "1"], "--points"),
        (["train", "--width", "60000", "--epochs", "1"], "--width"),
        (["sample", "--count", "4", "--max-memory", "10k"], "--max-memory"),
    ])
    func sizesAreCheckedBeforeAllocation(_ arguments: [String], _ mentions: String) throws {
        let dir = try CommandRunner.temporaryDirectory()
        let r = try CommandRunner.run(arguments + ["--quiet"], timeout: 30, addressSpaceBytes: 3 << 30, workingDirectory: dir)
        Self.expectRefused(r, status: 64, mentions: mentions)
    }

    @Test func aHugeDimensionInASettingFails() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let setting = try Self.write(#"{"data": {"D": 1e8, "d": 16}}"#, "s.json", in: dir)
        let r = try CommandRunner.run(["sample", "--setting", setting, "--count", "2", "--quiet"], timeout: 30, addressSpaceBytes: 3 << 30)
        Self.expectRefused(r, status: 64, mentions: "memory")
    }

    // MARK: 4. All or nothing

    @Test func trainNeitherReplacesNorResumesSilently() throws {
        let checkpoint = try Self.tinyNetwork.get()
        let dir = try CommandRunner.temporaryDirectory()
        let setting = try Self.write(Self.tinySetting, "tiny.json", in: dir)
        let before = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
        let common = ["train", "--setting", setting, "--points", "64", "--epochs", "1", "--width", "8", "--blocks", "1", "--batch-size", "16",
                      "--threads", "1", "--quiet"]
        let again = try CommandRunner.run(common + ["--checkpoint", checkpoint], timeout: 60)
        Self.expectRefused(again, status: 73, mentions: "--resume")
        #expect(try Data(contentsOf: URL(fileURLWithPath: checkpoint)) == before, "the checkpoint was replaced")
        let missing = try CommandRunner.run(common + ["--checkpoint", dir.appendingPathComponent("none.npz").path, "--resume"], timeout: 60)
        Self.expectRefused(missing, status: 66, mentions: "none.npz")
        let mismatch = try CommandRunner.run(["train", "--setting", setting, "--points", "64", "--epochs", "2", "--width", "16", "--blocks", "1",
                                              "--batch-size", "16", "--threads", "1", "--checkpoint", checkpoint, "--resume", "--quiet"], timeout: 60)
        Self.expectRefused(mismatch, status: 65, mentions: "--width")
        #expect(try Data(contentsOf: URL(fileURLWithPath: checkpoint)) == before)
    }

    /// A checkpoint in a folder that does not exist yet (the default runs/network.npz of a fresh clone).
    @Test func trainCreatesTheCheckpointsFolder() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let setting = try Self.write(Self.tinySetting, "tiny.json", in: dir)
        let checkpoint = dir.appendingPathComponent("runs/nested/net.npz").path
        let r = try CommandRunner.run(["train", "--setting", setting, "--points", "32", "--epochs", "1", "--width", "8", "--blocks", "1",
                                       "--threads", "1", "--checkpoint", checkpoint, "--quiet"], timeout: 60)
        #expect(r.status == 0 && !r.signaled, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: checkpoint))
    }

    @Test func aFailedRunLeavesThePreviousOutputUntouched() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("s")
        #expect(try CommandRunner.run(["sample", "--count", "3", "--out", out.path, "--quiet"]).status == 0)
        let before = try Data(contentsOf: out.appendingPathComponent("samples.npy"))
        let bad = try CommandRunner.run(["sample", "--count", "3", "--beta-rule", "constant", "--beta", "1e300", "--guided",
                                         "--out", out.path, "--quiet"], timeout: 60)
        #expect(!bad.signaled && bad.status != 0, "\(bad.status) \(bad.stderr)")
        #expect(try Data(contentsOf: out.appendingPathComponent("samples.npy")) == before)
    }

    /// A write that fails half-way (here: one of the old files cannot be replaced by a rename, because it
    /// is a folder) must not leave a mixture of two runs: all new, or all old.
    @Test func aFolderIsNeverAMixtureOfTwoRuns() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("s")
        #expect(try CommandRunner.run(["sample", "--count", "3", "--seed", "1", "--out", out.path, "--quiet"]).status == 0)
        let npy = out.appendingPathComponent("samples.npy")
        try FileManager.default.removeItem(at: npy)
        try FileManager.default.createDirectory(at: npy, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: npy.appendingPathComponent("blocker"))
        let r = try CommandRunner.run(["sample", "--count", "3", "--seed", "2", "--out", out.path, "--quiet"])
        #expect(!r.signaled)
        let result = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("result.json"))) as? [String: Any]
        let seed = result?["seed"] as? Int
        if r.status == 0 {
            #expect(seed == 2)
            var isDirectory: ObjCBool = true
            #expect(FileManager.default.fileExists(atPath: npy.path, isDirectory: &isDirectory) && !isDirectory.boolValue, "samples.npy of the new run missing")
        } else {
            #expect(seed == 1, "the failed run replaced result.json but not samples.npy: a mixture of two runs")
        }
    }

    // MARK: 5. Silently wrong acceptance

    @Test func aNetworkIsUsedOnlyWithItsScheduleAndSteps() throws {
        let checkpoint = try Self.tinyNetwork.get()
        let dir = try CommandRunner.temporaryDirectory()
        let setting = try Self.write(Self.tinySetting, "tiny.json", in: dir)
        let steps = try CommandRunner.run(["sample", "--setting", setting, "--network", checkpoint, "--T", "7", "--count", "2", "--quiet"])
        Self.expectRefused(steps, status: 65, mentions: "T = 5")
        let schedule = try CommandRunner.run(["sample", "--setting", setting, "--network", checkpoint, "--schedule", "linear", "--count", "2", "--quiet"])
        Self.expectRefused(schedule, status: 65, mentions: "cosine")
    }

    @Test func trainingThatDivergesWritesNothing() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let setting = try Self.write(Self.tinySetting, "tiny.json", in: dir)
        let checkpoint = dir.appendingPathComponent("net.npz").path
        // One batch per epoch, and a step so large that the update itself overflows Float.
        let r = try CommandRunner.run(["train", "--setting", setting, "--points", "16", "--batch-size", "16", "--epochs", "1", "--width", "8",
                                       "--blocks", "1", "--lr", "1e38", "--threads", "1", "--checkpoint", checkpoint, "--quiet"], timeout: 60)
        Self.expectRefused(r, status: 70, mentions: "NaN or infinite")
        #expect(!FileManager.default.fileExists(atPath: checkpoint), "a diverged network was written")
    }

    @Test func mergeShrinksAgainstTheMutantTheShardsRan() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let broken = try CommandRunner.run(["check", "--mutant", "no-such-mutant", "--quiet"])
        Self.expectRefused(broken, status: 64, mentions: "ggd mutants --list")
        let mutant = "naive-in-place-of-lookahead"
        for i in 0..<2 {
            let shard = try CommandRunner.run(["check", "--mutant", mutant, "--property", "T1", "--budget", "T1=2,1", "--shard", "\(i)/2",
                                               "--no-regressions", "--out", "\(i).json", "--quiet"], timeout: 60, workingDirectory: dir)
            #expect(!shard.signaled && (shard.status == 0 || shard.status == 1), "\(shard.stderr)")
        }
        let merge = try CommandRunner.run(["merge", "0.json", "1.json", "--regressions", "r", "--quiet"], timeout: 60, workingDirectory: dir)
        Self.expectRefused(merge, status: 65, mentions: "--mutant \(mutant)")
        // With the same mutant the merge shrinks against it, and stores nothing under the real implementation's regressions.
        let same = try CommandRunner.run(["merge", "0.json", "1.json", "--mutant", mutant, "--regressions", "r", "--quiet"], timeout: 60,
                                         workingDirectory: dir)
        #expect(!same.signaled && (same.status == 0 || same.status == 1), "\(same.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("r").path), "a mutant's failure was stored as a regression")
    }

    @Test func paperVariantWithASettingFileIsRefused() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let setting = try Self.write(Self.tinySetting, "tiny.json", in: dir)
        let r = try CommandRunner.run(["sample", "--setting", setting, "--paper-variant", "sphere", "--quiet"])
        Self.expectRefused(r, status: 64, mentions: "--paper-variant")
    }

    // MARK: 6. A gate that cannot fail

    @Test func crosscheckWithoutItsBaselineFails() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let r = try CommandRunner.run(["crosscheck", "--backends", "reference", "--baseline", dir.appendingPathComponent("missing").path,
                                       "--out", dir.appendingPathComponent("cc").path, "--quiet"], timeout: 120)
        Self.expectRefused(r, status: 66, mentions: "missing")
        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let noFile = try CommandRunner.run(["crosscheck", "--backends", "reference", "--baseline", empty.path,
                                            "--out", dir.appendingPathComponent("cc").path, "--quiet"], timeout: 120)
        #expect(noFile.status == 1 && noFile.stdout.contains("no baseline"), "\(noFile.status) \(noFile.stdout)")
    }

    // MARK: 7. The environment

    @Test(arguments: [("Haswell", "OPENBLAS_CORETYPE=Haswell"), ("garbage", "ggd"), ("", "ggd")])
    func anExplicitValidCoreIsAChoiceAndGarbageIsReplaced(_ value: String, _ chooser: String) throws {
        let dir = try CommandRunner.temporaryDirectory()
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "GGD_NO_REEXEC")
        environment.removeValue(forKey: "GGD_OPENBLAS_CORE_CHOSEN_BY")
        if value.isEmpty { environment.removeValue(forKey: "OPENBLAS_CORETYPE") } else { environment["OPENBLAS_CORETYPE"] = value }
        let r = try CommandRunner.runClean(["crosscheck", "--backends", "reference", "--out", dir.appendingPathComponent("cc").path, "--quiet"],
                                           environment: environment)
        #expect(!r.signaled)
        // A machine whose CPU ggd has no recommendation for leaves the choice to OpenBLAS; skip the chooser check there.
        if r.stdout.contains("OpenBLAS's own detection") { return }
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("chosen by \(chooser)"), "\(r.stdout)")
        #expect(r.stderr.contains("names no OpenBLAS core") == (value == "garbage"), "\(r.stderr)")
    }

    // MARK: 8. Messages

    @Test func dataErrorsExit65WithoutTheUsageText() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let setting = try Self.write(#"{"objective": {"kind": "f1"}, "data": {"D": 4, "d": 2}}"#, "s.json", in: dir)
        let r = try CommandRunner.run(["sample", "--setting", setting, "--quiet"])
        Self.expectRefused(r, status: 65, mentions: "theta")
        let truncated = try Self.write(#"{"data": {"D": 4,"#, "t.json", in: dir)
        Self.expectRefused(try CommandRunner.run(["sample", "--setting", truncated, "--quiet"]), status: 65, mentions: "line 1")
        let missing = try CommandRunner.run(["sample", "--setting", dir.appendingPathComponent("none.json").path, "--quiet"])
        Self.expectRefused(missing, status: 66, mentions: "none.json")
    }

    @Test func negativeNumbersGetTheRangeMessage() throws {
        let r = try CommandRunner.run(["sample", "--count", "-5", "--quiet"])
        Self.expectRefused(r, status: 64, mentions: "--count must be between")
        #expect(!r.stderr.contains("Missing value"))
    }

    @Test func aResultFileReplaysAsTheSetting() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let first = dir.appendingPathComponent("a"), second = dir.appendingPathComponent("b")
        #expect(try CommandRunner.run(["sample", "--count", "5", "--seed", "11", "--out", first.path, "--quiet"]).status == 0)
        let replay = try CommandRunner.run(["sample", "--setting", first.appendingPathComponent("result.json").path, "--count", "5", "--seed", "11",
                                            "--out", second.path, "--quiet"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(try Data(contentsOf: first.appendingPathComponent("samples.npy")) == Data(contentsOf: second.appendingPathComponent("samples.npy")))
    }

    @Test func helpDocumentsTheExitStatuses() throws {
        let r = try CommandRunner.run(["--help"])
        #expect(r.status == 0)
        for code in ["64", "65", "66", "69", "70", "73"] { #expect(r.stdout.contains("  \(code)  "), "exit status \(code) undocumented") }
    }
}
