import Foundation
import Testing
import NumPyIO

/// What the commands write: result.json with setting, seed and per-round metrics; CSV; .npy.
@Suite struct OutputTests {
    @Test func optimizeWritesEverything() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let r = try CommandRunner.run(["optimize", "--algorithm", "2", "--rounds", "4", "--fine-tune-start", "2", "--batch-size", "6",
                                       "--T", "20", "--score", "linear", "--pretraining-size", "500", "--out", dir.path, "--quiet"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("result.json"))) as! [String: Any]
        #expect(json["seed"] as? Int == 1234)
        #expect((json["setting"] as? [String: Any])?["origin"] as? String != nil)
        let rounds = try #require(json["rounds"] as? [[String: Any]])
        #expect(rounds.count == 5)
        #expect(rounds[3]["fine_tuning_loss"] is Double)
        let samples = try NumPyFile.readNPY(contentsOf: dir.appendingPathComponent("samples.npy").path)
        #expect(samples.shape == [6, 64])
        let csv = try String(contentsOf: dir.appendingPathComponent("rounds.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 6)
    }

    @Test func lawPrintsLemma3Comparison() throws {
        let r = try CommandRunner.run(["law", "--guided", "--beta-rule", "theory", "--T", "100"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("Lemma 3"))
    }

    @Test func helpTeaches() throws {
        let r = try CommandRunner.run(["optimize", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("--algorithm") && r.stdout.contains("Algorithm 2"))
    }
}
