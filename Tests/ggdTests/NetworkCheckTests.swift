import Foundation
import Testing

/// `ggd check --network FILE`: the model-quality family judges a learned network. A network trained for
/// one epoch (a deliberately bad model) fails it, the replay line names the network, and options that
/// belong to the library's catalog are refused by name.
@Suite struct NetworkCheckTests {
    @Test func aNetworkTrainedForOneEpochFailsTheModelQualityFamily() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let checkpoint = dir.appendingPathComponent("bad.npz").path
        let train = try CommandRunner.run(["train", "--epochs", "1", "--width", "32", "--blocks", "1", "--points", "2048", "--checkpoint", checkpoint, "--quiet"])
        #expect(train.status == 0, "\(train.stderr)")
        let out = dir.appendingPathComponent("model.json").path
        let r = try CommandRunner.run(["check", "--network", checkpoint, "--quiet", "--out", out])
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("FAIL  M-law") && r.stdout.contains("ggd check --network '\(checkpoint)' --replay 'ggd1:M-law:"), "\(r.stdout)")
        #expect(!r.stdout.contains("T1 "), "the library's catalog does not run")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(json["subject"] as? String == "network:" + checkpoint)
        let list = try CommandRunner.run(["check", "--network", checkpoint, "--list"])
        #expect(list.status == 0 && list.stdout.contains("M-outliers") && list.stdout.contains("M-offspan") && !list.stdout.contains("S0-law"), "\(list.stdout)")
    }

    /// The family passes the closed-form scores at ci (the fitted linear class's estimation error, from
    /// 65536 points, is below what 4096 draws resolve; at full M-law sees it, see the README).
    @Test(arguments: ["exact", "linear"]) func closedFormScoresPassAtCI(_ score: String) throws {
        let r = try CommandRunner.run(["check", "--model-quality", score, "--quiet"])
        #expect(r.status == 0 && r.stdout.contains("pass  M-law") && r.stdout.contains("pass  M-outliers"), "\(r.stdout)\(r.stderr)")
    }

    @Test(arguments: [
        (["check", "--network", "x.npz", "--model-quality", "exact"], "give one"),
        (["check", "--model-quality", "exact", "--mutant", "gloss-sign-flipped"], "--model-quality judges a model"),
        (["check", "--model-quality", "tabular"], "'tabular' is invalid for '--model-quality"),
        (["check", "--network", "x.npz", "--mutant", "gloss-sign-flipped"], "cannot be combined with --mutant"),
        (["check", "--network", "x.npz", "--shard", "0/2"], "cannot be combined with --shard"),
        (["check", "--network", "x.npz", "--property", "T1"], "unknown --property 'T1' with --network"),
        (["check", "--network", "x.npz", "--budget", "S0-law=1,10"], "not a model-quality property"),
    ])
    func catalogOptionsAreRefusedWithANetwork(_ args: [String], _ message: String) throws {
        let r = try CommandRunner.run(args)
        #expect(r.status == 64 && r.stderr.contains(message), "\(r.stderr)")
    }

    /// `ggd diagnose`: the step table (every diagnosed step, the first step's gain ≈ 32) and the swap of the
    /// first steps, printed and written as JSON; bad input is refused by name.
    @Test func diagnoseShowsTheStepTableAndTheSwap() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let checkpoint = dir.appendingPathComponent("net.npz").path
        let train = try CommandRunner.run(["train", "--epochs", "1", "--width", "16", "--blocks", "1", "--points", "1024", "--parameterization", "v",
                                           "--checkpoint", checkpoint, "--quiet"])
        #expect(train.status == 0, "\(train.stderr)")
        let out = dir.appendingPathComponent("d.json").path
        let r = try CommandRunner.run(["diagnose", "--network", checkpoint, "--points", "64", "--draws", "64", "--quiet", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("mlp-16x2-v: ε-error against the exact score") && r.stdout.contains("31.591"), "\(r.stdout)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect((json["steps"] as? [Any])?.count == 14 && (json["swaps"] as? [Any])?.count == 3)
        #expect(json["architecture"] as? String == "mlp-16x2-v")
        for (args, status, message) in [(["--points", "0"], Int32(64), "--points"), (["--draws", "-3"], 64, "--draws")] {
            let bad = try CommandRunner.run(["diagnose", "--network", checkpoint] + args)
            #expect(bad.status == status && bad.stderr.contains(message), "\(bad.stderr)")
        }
        let missing = try CommandRunner.run(["diagnose", "--network", "/nonexistent/net.npz", "--quiet"])
        #expect(missing.status == 66 && missing.stderr.contains("/nonexistent/net.npz"), "\(missing.stderr)")
    }

    @Test(arguments: [("1234,x", "--seeds must be comma-separated"), ("1,1", "lists a seed twice"), ("", "--seeds must be comma-separated")])
    func reproduceRefusesBadSeedLists(_ seeds: String, _ message: String) throws {
        let r = try CommandRunner.run(["reproduce", "simulation", "--seeds", seeds, "--quiet"])
        #expect(r.status == 64 && r.stderr.contains(message), "\(r.stderr)")
    }

    /// A several-seed study run in parts (`--no-sphere`, `--no-linear`) with `--seed-results` combines into
    /// one output without measuring again, writes each seed's numbers and the table beside the paper, and
    /// refuses to reuse seeds measured under another round scale.
    @Test func reproducePartsRunApartCombine() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let linear = dir.appendingPathComponent("lin.npz").path, sphere = dir.appendingPathComponent("sph.npz").path
        for (variant, path) in [("f1-theta2", linear), ("sphere", sphere)] {
            let t = try CommandRunner.run(["train", "--paper-variant", variant, "--epochs", "1", "--width", "16", "--blocks", "1", "--points", "512",
                                           "--checkpoint", path, "--quiet"])
            #expect(t.status == 0, "\(t.stderr)")
        }
        let store = dir.appendingPathComponent("seeds").path
        let common = ["reproduce", "simulation", "--checkpoint", linear, "--sphere-checkpoint", sphere, "--round-scale", "0.001", "--seeds", "5,6",
                      "--seed-results", store]
        for part in ["--no-sphere", "--no-linear"] {
            let r = try CommandRunner.run(common + [part, "--out", dir.appendingPathComponent("part\(part)").path, "--quiet"], timeout: 300)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let out = dir.appendingPathComponent("all").path
        let all = try CommandRunner.run(common + ["--out", out], timeout: 120)
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stderr.components(separatedBy: "part read from").count - 1 == 4, "every seed's two parts come from the store: \(all.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(Set(["paper.md", "per_seed.csv", "results.json", "sphere_frontier.csv", "roff_rounds.csv"]).isSubset(of: files), "\(files)")
        let perSeed = try String(contentsOfFile: out + "/per_seed.csv", encoding: .utf8)
        #expect(perSeed.hasPrefix("number,seed_5,seed_6\n") && perSeed.contains("\nalg1_G_final_r_off,") && perSeed.contains("\nsphere_naive_delta0.52_reward,"))
        let paper = try String(contentsOfFile: out + "/paper.md", encoding: .utf8)
        #expect(paper.contains("mlp-16x2") && paper.contains("over 2 seeds"), "\(paper)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/results.json"))) as? [String: Any])
        let provenance = try #require(json["provenance"] as? [String: Any])
        #expect(provenance["seed_results"] as? String == store, "\(provenance)")
        // Every seed's part says it came from the store, with the wall time and core it was measured with.
        let runs = try #require(provenance["seed_runs"] as? [[String: String]])
        #expect(runs.count == 4 && runs.allSatisfy { $0["source"] == "stored" && Double($0["wall_seconds"] ?? "") != nil && $0["openblas_core"] != nil }, "\(runs)")
        #expect((provenance["networks"] as? [String: String])?["sphere"]?.hasPrefix("mlp-16x2 ") == true, "\(provenance)")
        let other = try CommandRunner.run(common.map { $0 == "0.001" ? "0.002" : $0 } + ["--out", dir.appendingPathComponent("x").path, "--quiet"])
        #expect(other.status != 0 && other.stderr.contains("round_scale = 0.001"), "\(other.stderr)")
        let neither = try CommandRunner.run(["reproduce", "simulation", "--no-sphere", "--no-linear"])
        #expect(neither.status == 64 && neither.stderr.contains("leave nothing to run"), "\(neither.stderr)")
        let unwritable = try CommandRunner.run(common.map { $0 == store ? linear + "/seeds" : $0 } + ["--out", dir.appendingPathComponent("y").path, "--quiet"])
        #expect(unwritable.status != 0 && unwritable.stderr.contains("seeds"), "a store under a file fails at once: \(unwritable.stderr)")
        let inside = try CommandRunner.run(["reproduce", "simulation", "--out", "study", "--seed-results", "study/seeds"])
        #expect(inside.status == 64 && inside.stderr.contains("lies inside --out"), "\(inside.stderr)")
        let dotted = try CommandRunner.run(["reproduce", "simulation", "--out", "study", "--seed-results", "./study/../study/seeds"])
        #expect(dotted.status == 64 && dotted.stderr.contains("lies inside --out"), "\(dotted.stderr)")
    }

    @Test(arguments: [(["--ema-decay", "1"], "--ema-decay must lie in (0, 1)"), (["--ema-decay", "0"], "--ema-decay must lie in (0, 1)")])
    func trainRefusesABadAverage(_ args: [String], _ message: String) throws {
        let r = try CommandRunner.run(["train", "--quiet"] + args)
        #expect(r.status == 64 && r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func aMissingCheckpointIsAnUnreadableFile() throws {
        let r = try CommandRunner.run(["check", "--network", "/nonexistent/net.npz", "--quiet"])
        #expect(r.status == 66 && r.stderr.contains("/nonexistent/net.npz"), "\(r.stderr)")
    }
}
