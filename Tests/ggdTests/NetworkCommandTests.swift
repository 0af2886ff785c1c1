import Foundation
import Testing

/// `ggd train` and guidance through the trained network from the command line.
@Suite struct NetworkCommandTests {
    @Test func trainThenOptimizeWithTheNetwork() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let checkpoint = dir.appendingPathComponent("net.npz").path
        let train = try CommandRunner.run(["train", "--points", "256", "--epochs", "2", "--width", "16", "--blocks", "1", "--T", "20",
                                           "--checkpoint", checkpoint, "--threads", "1", "--quiet"])
        #expect(train.status == 0, "stderr: \(train.stderr)")
        #expect(train.stdout.contains("2 epochs"))
        for mode in ["reference", "weighted"] {
            let out = dir.appendingPathComponent("run-\(mode)")
            let r = try CommandRunner.run(["optimize", "--network", checkpoint, "--T", "20", "--algorithm", "2", "--rounds", "3",
                                           "--fine-tune-start", "1", "--fine-tune-mode", mode, "--batch-size", "4", "--pretraining-size", "64",
                                           "--out", out.path, "--quiet"])
            #expect(r.status == 0, "stderr: \(r.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("result.json"))) as? [String: Any]
            let rounds = try #require(json?["rounds"] as? [[String: Any]])
            #expect(rounds.count == 4)
            #expect(rounds[2]["fine_tuning_loss"] is Double, "no fine-tuning step recorded (\(mode))")
        }
        // A network for another T or D is refused with the reason.
        let wrongT = try CommandRunner.run(["sample", "--network", checkpoint, "--count", "4", "--quiet"])
        #expect(wrongT.status != 0)
        #expect(wrongT.stderr.contains("T = 20"))
        let missing = try CommandRunner.run(["sample", "--network", dir.appendingPathComponent("nope.npz").path, "--quiet"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("nope.npz"))
    }

    @Test func resumeContinuesToTheSameNetwork() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let a = dir.appendingPathComponent("a.npz").path, b = dir.appendingPathComponent("b.npz").path
        let common = ["train", "--points", "128", "--width", "8", "--blocks", "1", "--T", "10", "--threads", "1", "--quiet"]
        #expect(try CommandRunner.run(common + ["--epochs", "1", "--checkpoint", a]).status == 0)
        #expect(try CommandRunner.run(common + ["--epochs", "3", "--checkpoint", a, "--resume"]).status == 0)
        #expect(try CommandRunner.run(common + ["--epochs", "3", "--checkpoint", b]).status == 0)
        let sa = try CommandRunner.run(["sample", "--network", a, "--T", "10", "--count", "8", "--quiet"])
        let sb = try CommandRunner.run(["sample", "--network", b, "--T", "10", "--count", "8", "--quiet"])
        #expect(sa.status == 0 && sb.status == 0)
        // The outputs record the checkpoint path, which differs; compare the sample summaries.
        func summary(_ text: String) throws -> [Double] {
            let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            return try #require((json?["summary"] as? [String: Any])?["mean"] as? [Double])
        }
        #expect(try summary(sa.stdout) == summary(sb.stdout))
    }
}
