import Foundation
import Testing
import NumPyIO

/// Same seed → bit-identical JSON output for a fixed thread count; different seeds differ.
@Suite struct ReproducibilityTests {
    func optimizeJSON(seed: Int, threads: Int = 1) throws -> Data {
        let dir = try CommandRunner.temporaryDirectory()
        let r = try CommandRunner.run(["optimize", "--rounds", "5", "--batch-size", "8", "--T", "40", "--seed", "\(seed)",
                                       "--threads", "\(threads)", "--score", "linear", "--pretraining-size", "2000",
                                       "--out", dir.path, "--quiet"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        return try Data(contentsOf: dir.appendingPathComponent("result.json"))
    }

    @Test func sameSeedSameBytes() throws {
        let a = try optimizeJSON(seed: 7), b = try optimizeJSON(seed: 7)
        #expect(a == b)
        #expect(try optimizeJSON(seed: 8) != a)
    }

    @Test func threadCountDoesNotChangeSamples() throws {
        let dirs = try (1...2).map { threads -> URL in
            let dir = try CommandRunner.temporaryDirectory()
            let r = try CommandRunner.run(["sample", "--count", "300", "--T", "30", "--seed", "3", "--threads", "\(threads)",
                                           "--out", dir.path, "--quiet"])
            #expect(r.status == 0, "stderr: \(r.stderr)")
            return dir
        }
        // The noise is a function of (seed, purpose, step, sample) alone, so the draws agree whatever the
        // thread count; OpenBLAS's threaded gemm may sum in another order on some cores (Haswell's on an
        // AVX-512 machine does), so the samples agree to round-off, and bit for bit at a fixed count.
        let samples = try dirs.map { try NumPyFile.readNPY(contentsOf: $0.appendingPathComponent("samples.npy").path).doubles }
        #expect(samples[0].count == samples[1].count && samples[0].count == 300 * 64)
        let scale = samples[0].map(abs).max() ?? 1
        let difference = zip(samples[0], samples[1]).map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference <= 1e-12 * scale, "thread count changed the samples by \(difference) (scale \(scale))")
    }

    /// The setting an output records can be fed back as --setting and reproduces the run.
    @Test func recordedSettingReplays() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let first = try CommandRunner.run(["sample", "--count", "20", "--T", "25", "--seed", "11", "--paper-variant", "f2-b2",
                                           "--out", dir.path, "--quiet"])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let result = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("result.json"))) as! [String: Any]
        let setting = try JSONSerialization.data(withJSONObject: result["setting"]!)
        let settingFile = dir.appendingPathComponent("setting.json")
        try setting.write(to: settingFile)
        let dir2 = try CommandRunner.temporaryDirectory()
        let second = try CommandRunner.run(["sample", "--count", "20", "--seed", "11", "--setting", settingFile.path,
                                            "--out", dir2.path, "--quiet"])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("samples.npy")) == Data(contentsOf: dir2.appendingPathComponent("samples.npy")))
    }
}
