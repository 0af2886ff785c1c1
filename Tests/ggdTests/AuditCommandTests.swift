import Foundation
import Testing

/// `ggd audit-case` and `ggd audit` from the command line: the shipped sampler's own draws pass its own
/// case end to end, wrong draws fail with exit 1, and bad input is an error with its documented status.
@Suite struct AuditCommandTests {
    /// A small case (paper setting at T = 30) and a folder to work in.
    static func caseFolder(guidance: String = "lookahead") throws -> URL {
        let dir = try CommandRunner.temporaryDirectory()
        let r = try CommandRunner.run(["audit-case", "--T", "30", "--guidance", guidance, "--count", "3000", "--trajectories", "4",
                                       "--out", dir.appendingPathComponent("case").path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        return dir
    }

    @Test func theShippedSamplersDrawsPassTheirOwnCase() throws {
        let dir = try Self.caseFolder()
        let casePath = dir.appendingPathComponent("case").path
        // ggd sample --guided asks the same query (g = ∇f(μ), y = δ + gᵀμ) as the case.
        let sample = try CommandRunner.run(["sample", "--T", "30", "--guided", "--count", "3000", "--seed", "5", "--out", dir.appendingPathComponent("s").path, "--quiet"])
        #expect(sample.status == 0, "\(sample.stderr)")
        let json = dir.appendingPathComponent("verdict.json").path
        let pass = try CommandRunner.run(["audit", casePath, dir.appendingPathComponent("s/samples.npy").path, "--json", json, "--quiet"])
        #expect(pass.status == 0, "\(pass.stdout)\(pass.stderr)")
        #expect(pass.stdout.contains("verdict: PASS") && pass.stdout.contains("power: with probability 0.95"))
        let verdict = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        #expect((verdict?["samples"] as? [String: Any])?["draws"] as? Int == 3000)
        // Unguided draws are not the guided law.
        let unguided = try CommandRunner.run(["sample", "--T", "30", "--count", "3000", "--out", dir.appendingPathComponent("u").path, "--quiet"])
        #expect(unguided.status == 0)
        let fail = try CommandRunner.run(["audit", casePath, dir.appendingPathComponent("u/samples.npy").path, "--quiet"])
        #expect(fail.status == 1, "\(fail.stdout)")
        #expect(fail.stdout.contains("verdict: FAIL"))
    }

    @Test func badCallsAndInputsHaveTheirStatus() throws {
        let dir = try Self.caseFolder()
        let casePath = dir.appendingPathComponent("case").path
        let garbage = dir.appendingPathComponent("garbage.npy")
        try Data("not an array".utf8).write(to: garbage)
        let cases: [([String], Int32, String)] = [
            (["audit", casePath], 64, "give one of"),
            (["audit", casePath, garbage.path, "--step-command", "cat"], 64, "give one of"),
            (["audit", casePath, garbage.path, "--false-fail-rate", "2"], 64, "--false-fail-rate"),
            (["audit", casePath, "--calibrate", "0"], 64, "--calibrate"),
            (["audit", "/nonexistent/case", garbage.path], 66, "/nonexistent/case"),
            (["audit", casePath, "/nonexistent/samples.npy"], 66, "/nonexistent/samples.npy"),
            (["audit", casePath, garbage.path], 65, "not a NumPy array"),
            (["audit", casePath, "--step-command", "exit 4"], 65, "exited with status 4"),
            (["audit", casePath, "--step-command", "sleep 20", "--step-timeout", "1"], 65, "did not answer within 1 s"),
            (["audit-case", "--guidance", "dps", "--out", dir.appendingPathComponent("x").path], 64, "dps"),
            (["audit-case", "--count", "1", "--out", dir.appendingPathComponent("x").path], 64, "--count"),
            (["audit-case", "--paper-variant", "sphere", "--out", dir.appendingPathComponent("x").path], 65, "Gaussian latent"),
            (["audit-case", "--out", casePath + "/case.json"], 73, "case.json"),
        ]
        for (arguments, status, message) in cases {
            let r = try CommandRunner.run(arguments, timeout: 30)
            #expect(r.status == status, "\(arguments): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        // Nothing half-written: a refused case leaves no folder.
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
    }
}
