import Foundation
import NumPyIO

/// The combinatorial command-line matrix of `CommandMatrixTests`: every subcommand × setting kind × model ×
/// guidance × sampler × backend it takes, on a tiny case, run as subprocesses and judged by one rule — it
/// succeeds (exit 0, or 1 where 1 is a verdict) with a complete output, or fails with a documented status,
/// exactly one error line that names the problem, and nothing written. Never a trap, never a timeout.
enum CommandMatrix {
    // MARK: The model of one invocation

    enum Output: Sendable {
        /// Writes nothing of its own (help, lists, reports on stdout).
        case none
        /// A folder `RUN/out` with a `.ggd-output` marker and these files.
        case folder([String])
        /// A single file `RUN/<name>`.
        case file(String)

        var entry: String? {
            switch self {
            case .none: return nil
            case .folder: return "out"
            case .file(let name): return name
            }
        }
    }

    /// Which profile runs an invocation.
    enum Tier: Sendable {
        /// Every profile.
        case core
        /// Every profile, but CI runs a deterministic share of them (see `ciShare`).
        case sampled
        /// Only `GGD_TEST_PROFILE=full` (slow: tens of seconds each).
        case full
    }

    struct Run: Sendable {
        /// Short human name of the combination.
        var label: String
        /// The subcommand (for the `ggd <command>: error:` prefix); "" for `ggd` itself.
        var command: String
        /// Arguments after `ggd`; `@RUN` stands for the invocation's own folder (also its working directory).
        var arguments: [String]
        var output: Output = .none
        /// Exit 1 is a verdict of this command (a failed claim, a regression, a missed target), not an error.
        var verdicts: Bool = false
        /// Invalid by design: it must be refused.
        var mustFail: Bool = false
        /// When it fails, the status must be one of these (nil: any documented failure status).
        var failStatuses: Set<Int32>? = nil
        /// When it fails, the error line must mention one of these (case-insensitive); empty: anything.
        var mentioning: [String] = []
        /// Entries besides the output the command may leave in its folder (e.g. a regressions folder).
        var extras: Set<String> = []
        var tier: Tier = .sampled
    }

    /// What one invocation did and what was wrong with it.
    struct Outcome: Sendable {
        let run: Run
        let commandLine: String
        let status: Int32
        let signaled: Bool
        let timedOut: Bool
        let seconds: Double
        let stderr: String
        /// Exit 0, or 1 as a verdict.
        let succeeded: Bool
        let problems: [String]
    }

    // MARK: Fixtures

    /// The setting kinds: each tiny setting as JSON and as .npz, plus the paper's defaults.
    struct SettingKind: Sendable {
        enum Data: Sendable { case gaussian, mixture, sphere }
        let name: String
        let arguments: [String]
        let data: Data
        /// The T of this setting (a network trained on it is for this T).
        let steps: Int
    }

    struct Fixtures: Sendable {
        let root: URL
        let settings: [SettingKind]
        /// Checkpoint per setting kind name.
        let networks: [String: String]
        /// `ggd check --shard 0/2` and `1/2` results for merge.
        let shards: [String]
        /// A committed report (folder holding results.json) for compare, if this checkout has one.
        let baselineReport: String?
        /// A setting JSON, as a file of the wrong kind.
        let someJSON: String
    }

    static let tinySubspace = #"""
        {"data": {"kind": "subspace", "D": 4, "d": 2},
         "objective": {"kind": "f1", "theta": [1, 0.5, 0, 0]},
         "diffusion": {"T": 5}}
        """#
    static let tinyMixture = #"""
        {"data": {"kind": "subspace", "D": 4, "d": 2,
                  "mixture": {"weights": [0.5, 0.5], "means": [[1, 0], [-1, 0]],
                              "covariances": [[[1, 0], [0, 1]], [[0.5, 0], [0, 0.5]]]}},
         "objective": {"kind": "f1", "theta": [1, 0.5, 0, 0]},
         "diffusion": {"T": 5}}
        """#
    static let tinySphere = #"""
        {"data": {"kind": "sphere", "D": 3},
         "objective": {"kind": "linear", "theta": [1, 0, 0]},
         "diffusion": {"T": 5}}
        """#

    /// Writes the tiny settings (JSON and .npz) into `root/fixtures`.
    static func writeSettings(into root: URL) throws -> [SettingKind] {
        let dir = root.appendingPathComponent("fixtures")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func json(_ name: String, _ text: String) throws -> String {
            let url = dir.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }
        func npz(_ name: String, _ arrays: [(String, NumPyArray)]) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try NPZArchive.write(arrays, to: path)
            return path
        }
        let int = { (v: Int) in NumPyArray(scalar: Int64(v)) }
        let subspaceArrays: [(String, NumPyArray)] = [
            ("D", int(4)), ("d", int(2)), ("T", int(5)), ("objective_code", int(1)), ("theta", NumPyArray([1.0, 0.5, 0, 0])),
        ]
        let mixtureArrays = subspaceArrays + [
            ("mixture_weights", NumPyArray([0.5, 0.5])),
            ("mixture_means", try NumPyArray([1.0, 0, -1, 0], shape: [2, 2])),
            ("mixture_covariances", try NumPyArray([1.0, 0, 0, 1, 0.5, 0, 0, 0.5], shape: [2, 2, 2])),
        ]
        let sphereArrays: [(String, NumPyArray)] = [
            ("sphere", int(1)), ("D", int(3)), ("T", int(5)), ("objective_code", int(3)), ("theta", NumPyArray([1.0, 0, 0])),
        ]
        return [
            SettingKind(name: "subspace.json", arguments: ["--setting", try json("subspace.json", tinySubspace)], data: .gaussian, steps: 5),
            SettingKind(name: "subspace.npz", arguments: ["--setting", try npz("subspace.npz", subspaceArrays)], data: .gaussian, steps: 5),
            SettingKind(name: "mixture.json", arguments: ["--setting", try json("mixture.json", tinyMixture)], data: .mixture, steps: 5),
            SettingKind(name: "mixture.npz", arguments: ["--setting", try npz("mixture.npz", mixtureArrays)], data: .mixture, steps: 5),
            SettingKind(name: "sphere.json", arguments: ["--setting", try json("sphere.json", tinySphere)], data: .sphere, steps: 5),
            SettingKind(name: "sphere.npz", arguments: ["--setting", try npz("sphere.npz", sphereArrays)], data: .sphere, steps: 5),
            SettingKind(name: "paper", arguments: ["--paper-setting"], data: .gaussian, steps: 200),
            SettingKind(name: "paper-sphere", arguments: ["--paper-setting", "--paper-variant", "sphere"], data: .sphere, steps: 200),
        ]
    }

    /// The tiny training run (also the network fixture of every setting kind).
    static func trainArguments(_ setting: SettingKind, checkpoint: String) -> [String] {
        ["train"] + setting.arguments + ["--points", "64", "--epochs", "1", "--width", "8", "--blocks", "1", "--batch-size", "16",
                                        "--threads", "1", "--checkpoint", checkpoint, "--quiet"]
    }

    /// The fixture runs (networks, check shards): they must all succeed before the matrix means anything.
    static func fixtureRuns(settings: [SettingKind], root: URL) -> (runs: [Run], networks: [String: String], shards: [String]) {
        let dir = root.appendingPathComponent("fixtures").path
        var runs: [Run] = []
        var networks: [String: String] = [:]
        for s in settings {
            let checkpoint = "\(dir)/net-\(s.name.replacingOccurrences(of: ".", with: "-")).npz"
            networks[s.name] = checkpoint
            runs.append(Run(label: "fixture: network for \(s.name)", command: "train", arguments: trainArguments(s, checkpoint: checkpoint), tier: .core))
        }
        var shards: [String] = []
        for i in 0..<2 {
            let file = "\(dir)/shard\(i).json"
            shards.append(file)
            runs.append(Run(label: "fixture: check shard \(i)/2", command: "check",
                            arguments: ["check", "--property", "T1", "--budget", "T1=2,1", "--shard", "\(i)/2", "--no-regressions",
                                        "--out", file, "--quiet"], verdicts: true, tier: .core))
        }
        return (runs, networks, shards)
    }

    /// The repository's committed report (Reports/baseline), found from this file's path.
    static func baselineReport(filePath: String = #filePath) -> String? {
        let root = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("Reports/baseline")
        return FileManager.default.fileExists(atPath: folder.appendingPathComponent("results.json").path) ? folder.path : nil
    }

    // MARK: The matrix

    static let sampleFiles = [".ggd-output", "result.json", "samples.csv", "samples.npy"]
    static let optimizeFiles = [".ggd-output", "result.json", "rounds.csv", "samples.csv", "samples.npy"]
    static let lawFiles = [".ggd-output", "law.json"]
    static let auditCaseFiles = [".ggd-output", "case.json", "case.npz"]
    static let methodsFiles = [".ggd-output", "figures/methods-frontier.svg", "index.html", "index.md", "methods.json"]

    enum Model: String, CaseIterable { case exact, linear, network }
    enum Guidance: String, CaseIterable { case none, naive, lookahead }
    enum Sampler: String, CaseIterable {
        case ddpm, ddim, continuous
        /// DDIM half-way between deterministic and ancestral.
        var extraArguments: [String] { self == .ddim ? ["--eta", "0.5"] : [] }
    }

    /// A reason a combination is invalid by design, and what its error line must say.
    struct Reason { let text: String; let mentions: [String] }

    static func modelArguments(_ model: Model, _ setting: SettingKind, _ f: Fixtures) -> [String] {
        switch model {
        case .exact: return ["--score", "exact"]
        case .linear: return ["--score", "linear", "--pretraining-size", "256"]
        case .network: return ["--network", f.networks[setting.name]!]
        }
    }

    static func expecting(_ run: Run, _ reasons: [Reason]) -> Run {
        guard !reasons.isEmpty else { return run }
        var r = run
        r.mustFail = true
        r.mentioning = reasons.flatMap(\.mentions)
        r.label += "  [invalid: " + reasons.map(\.text).joined(separator: "; ") + "]"
        r.tier = .core
        return r
    }

    static let continuousNetwork = Reason(text: "continuous sampler with a network", mentions: ["continuous"])
    static let sphereExact = Reason(text: "the sphere has no closed-form score", mentions: ["sphere"])

    static func runs(_ f: Fixtures) -> [Run] {
        var runs: [Run] = []
        let out = "@RUN/out"

        // sample: setting × model × guidance × sampler.
        for s in f.settings {
            for model in Model.allCases {
                for guidance in Guidance.allCases {
                    for sampler in Sampler.allCases {
                        var args = ["sample"] + s.arguments + modelArguments(model, s, f) + ["--count", "8", "--sampler", sampler.rawValue] + sampler.extraArguments
                        if guidance != .none { args += ["--guided", "--guidance", guidance.rawValue] }
                        args += ["--out", out, "--quiet"]
                        var reasons: [Reason] = []
                        if model == .network && sampler == .continuous { reasons.append(continuousNetwork) }
                        if model == .exact && s.data == .sphere { reasons.append(sphereExact) }
                        runs.append(expecting(Run(label: "sample \(s.name) \(model) \(guidance) \(sampler)", command: "sample", arguments: args,
                                                  output: .folder(sampleFiles)), reasons))
                    }
                }
            }
        }

        // optimize: setting × model × guidance × sampler × algorithm × preset.
        for s in f.settings {
            for model in Model.allCases {
                for guidance in [Guidance.naive, .lookahead] {
                    for sampler in Sampler.allCases {
                        for algorithm in [1, 2] {
                            for preset in ["practice", "theory"] {
                                var args = ["optimize"] + s.arguments + modelArguments(model, s, f)
                                    + ["--rounds", "2", "--batch-size", "4", "--algorithm", "\(algorithm)", "--guidance", guidance.rawValue,
                                       "--sampler", sampler.rawValue, "--preset", preset] + sampler.extraArguments
                                if preset == "theory" && algorithm == 1 { args += ["--lambda", "1"] }
                                args += ["--out", out, "--quiet"]
                                var reasons: [Reason] = []
                                if model == .network && sampler == .continuous { reasons.append(continuousNetwork) }
                                if model == .network && preset == "theory" {
                                    reasons.append(Reason(text: "the theory preset runs the linear class, not a network", mentions: ["--network"]))
                                }
                                // The theory preset runs the linear score class whatever --score says.
                                if model == .exact && s.data == .sphere && preset == "practice" { reasons.append(sphereExact) }
                                runs.append(expecting(Run(label: "optimize \(s.name) \(model) \(guidance) \(sampler) alg\(algorithm) \(preset)",
                                                          command: "optimize", arguments: args, output: .folder(optimizeFiles)), reasons))
                            }
                        }
                    }
                }
            }
        }

        // law: setting × model × guidance (the exact law of the DDPM sampler; no --sampler).
        for s in f.settings {
            for model in Model.allCases {
                for guidance in Guidance.allCases {
                    var args = ["law"] + s.arguments + modelArguments(model, s, f)
                    if guidance != .none { args += ["--guided", "--guidance", guidance.rawValue] }
                    args += ["--out", out, "--quiet"]
                    var reasons: [Reason] = []
                    if model == .network { reasons.append(Reason(text: "the exact law needs a Gaussian score, not a network", mentions: ["--network"])) }
                    if model == .exact && s.data == .mixture { reasons.append(Reason(text: "a mixture has no Gaussian score", mentions: ["mixture"])) }
                    if model == .exact && s.data == .sphere { reasons.append(sphereExact) }
                    runs.append(expecting(Run(label: "law \(s.name) \(model) \(guidance)", command: "law", arguments: args,
                                              output: .folder(lawFiles)), reasons))
                }
            }
        }

        // audit-case: setting × guidance (a case needs a Gaussian latent).
        for s in f.settings {
            for guidance in Guidance.allCases {
                let args = ["audit-case"] + s.arguments + ["--guidance", guidance.rawValue, "--trajectories", "3", "--out", out, "--quiet"]
                var reasons: [Reason] = []
                if s.data != .gaussian { reasons.append(Reason(text: "an audit case needs a Gaussian latent", mentions: ["Gaussian latent"])) }
                runs.append(expecting(Run(label: "audit-case \(s.name) \(guidance)", command: "audit-case", arguments: args,
                                          output: .folder(auditCaseFiles)), reasons))
            }
        }

        // A network used with another T than it was trained for: a bad input, named.
        for s in f.settings {
            let network = ["--network", f.networks[s.name]!, "--T", "7"]
            runs.append(Run(label: "sample \(s.name) network --T 7 [trained for T = \(s.steps)]", command: "sample",
                            arguments: ["sample"] + s.arguments + network + ["--count", "8", "--out", out, "--quiet"],
                            output: .folder(sampleFiles), mustFail: true, failStatuses: [65], mentioning: ["T = 7"], tier: .core))
            runs.append(Run(label: "optimize \(s.name) network --T 7 [trained for T = \(s.steps)]", command: "optimize",
                            arguments: ["optimize"] + s.arguments + network + ["--rounds", "2", "--batch-size", "4", "--out", out, "--quiet"],
                            output: .folder(optimizeFiles), mustFail: true, failStatuses: [65], mentioning: ["T = 7"], tier: .core))
        }

        // train: setting × backend. Without a usable GPU cuda-float stops with the reason (69).
        for s in f.settings {
            for backend in ["openblas-float", "cuda-float"] {
                var run = Run(label: "train \(s.name) \(backend)", command: "train",
                              arguments: trainArguments(s, checkpoint: "@RUN/net.npz") + ["--backend", backend], output: .file("net.npz"),
                              tier: .core)
                if backend == "cuda-float" {
                    run.failStatuses = [69]
                    run.mentioning = ["cuda", "gpu"]
                }
                runs.append(run)
            }
        }

        // optimize's λ belongs to the theory preset of Algorithm 1 only.
        let sub = f.settings[0]
        for (preset, algorithm) in [("practice", 1), ("practice", 2), ("theory", 2)] {
            runs.append(Run(label: "optimize \(sub.name) --preset \(preset) --algorithm \(algorithm) --lambda 1", command: "optimize",
                            arguments: ["optimize"] + sub.arguments + ["--rounds", "2", "--batch-size", "4", "--preset", preset,
                                                                        "--algorithm", "\(algorithm)", "--lambda", "1", "--out", out, "--quiet"],
                            output: .folder(optimizeFiles), tier: .core))
        }

        // check: a few properties × shard, with a tiny budget; then edges of its options.
        for property in ["T1", "P1", "L3-beta", "T2-contraction", "T3-rate", "S0-law"] {
            for shard in [nil, "0/2", "1/2"] {
                var args = ["check", "--property", property, "--budget", "\(property)=2,1"]
                if let shard { args += ["--shard", shard] }
                args += ["--regressions", "@RUN/regs", "--out", "@RUN/out.json", "--quiet"]
                runs.append(Run(label: "check \(property) shard \(shard ?? "all")", command: "check", arguments: args,
                                output: .file("out.json"), verdicts: true, extras: ["regs"], tier: .core))
            }
        }
        for (label, extra) in [("--shard 2/2", ["--shard", "2/2"]), ("--shard 0/0", ["--shard", "0/0"]), ("--budget T1=0,1", ["--budget", "T1=0,1"]),
                               ("--replay garbage", ["--replay", "garbage"]), ("--budget T1=2,0", ["--budget", "T1=2,0"]),
                               ("--property NOPE", ["--property", "NOPE"])] {
            runs.append(Run(label: "check T1 \(label)", command: "check",
                            arguments: ["check", "--property", "T1"] + extra + ["--no-regressions", "--out", "@RUN/out.json", "--quiet"],
                            output: .file("out.json"), verdicts: true, tier: .core))
        }
        runs.append(Run(label: "check --list", command: "check", arguments: ["check", "--list"], tier: .core))

        // merge: the two shards, and incomplete or wrong inputs.
        let merges: [(String, [String], Bool)] = [
            ("both shards", f.shards, false),
            ("one shard of two", [f.shards[0]], true),
            ("the same shard twice", [f.shards[0], f.shards[0]], true),
            ("a shard and a setting file", [f.shards[0], f.someJSON], true),
            ("a missing file", [f.root.appendingPathComponent("fixtures/none.json").path], true),
        ]
        for (label, files, invalid) in merges {
            runs.append(Run(label: "merge \(label)", command: "merge",
                            arguments: ["merge"] + files + ["--regressions", "@RUN/regs", "--out", "@RUN/out.json", "--quiet"],
                            output: .file("out.json"), verdicts: true, mustFail: invalid, extras: ["regs"], tier: .core))
        }

        // compare: a report against itself, and files that are not reports.
        if let baseline = f.baselineReport {
            runs.append(Run(label: "compare baseline folder with itself", command: "compare", arguments: ["compare", baseline, baseline],
                            verdicts: true, tier: .core))
            let results = baseline + "/results.json"
            runs.append(Run(label: "compare baseline results.json with itself", command: "compare", arguments: ["compare", results, results],
                            verdicts: true, tier: .core))
            runs.append(Run(label: "compare a report with a check shard", command: "compare", arguments: ["compare", baseline, f.shards[0]],
                            verdicts: true, mustFail: true, tier: .core))
        }
        runs.append(Run(label: "compare check shards (not reports)", command: "compare", arguments: ["compare", f.shards[0], f.shards[1]],
                        verdicts: true, mustFail: true, tier: .core))
        runs.append(Run(label: "compare setting files (not reports)", command: "compare", arguments: ["compare", f.someJSON, f.someJSON],
                        verdicts: true, mustFail: true, tier: .core))

        // crosscheck: each backend (an unavailable one is a clean report). The OpenBLAS ones take ~15 s each: full only.
        for backend in ["reference", "cuda-float", "cuda-double", "openblas-double", "openblas-float"] {
            let cpu = !backend.hasPrefix("cuda")
            runs.append(Run(label: "crosscheck \(backend)", command: "crosscheck",
                            arguments: ["crosscheck", "--backends", backend, "--out", out, "--quiet"],
                            output: .folder([".ggd-output"] + (cpu ? ["\(backend).json"] : [])), verdicts: true,
                            tier: backend == "reference" || !cpu ? .core : .full))
        }

        // bench: a tiny run per setting kind (no network rows), and a GPU row that must report itself unavailable cleanly.
        for s in f.settings {
            runs.append(Run(label: "bench \(s.name)", command: "bench",
                            arguments: ["bench"] + s.arguments + ["--rounds", "2", "--method-rounds", "2", "--repeats", "1", "--batch-size", "4",
                                                                 "--skip-network", "--json", "@RUN/out.json"],
                            output: .file("out.json"), tier: .core))
        }
        // bench --batch-sizes with the kernel profile, tiny; and the two ways to ask it wrongly.
        runs.append(Run(label: "bench --batch-sizes 8 --profile", command: "bench",
                        arguments: ["bench", "--rounds", "1", "--method-rounds", "1", "--repeats", "1", "--skip-network", "--batch-sizes", "8",
                                    "--profile", "--json", "@RUN/out.json"],
                        output: .file("out.json"), tier: .core))
        runs.append(Run(label: "bench --profile without --batch-sizes", command: "bench", arguments: ["bench", "--profile", "--skip-network"],
                        mustFail: true, failStatuses: [64], mentioning: ["--batch-sizes"], tier: .core))
        runs.append(Run(label: "bench --batch-sizes 0", command: "bench", arguments: ["bench", "--batch-sizes", "32,0", "--skip-network"],
                        mustFail: true, failStatuses: [64], mentioning: ["--batch-sizes"], tier: .core))
        // methods: a tiny comparison (three methods, one strength) into a folder.
        runs.append(Run(label: "methods tiny", command: "methods",
                        arguments: ["methods", "--rounds", "2", "--batch-size", "4", "--method", "g-loss", "--method", "mpgd-projected", "--method", "tfg",
                                    "--scales", "1", "--out", out, "--quiet"],
                        output: .folder(methodsFiles), tier: .core))
        runs.append(Run(label: "bench paper --backends cuda-float", command: "bench",
                        arguments: ["bench", "--paper-setting", "--rounds", "2", "--method-rounds", "2", "--repeats", "1", "--batch-size", "4", "--skip-network",
                                    "--backends", "cuda-float", "--epoch-points", "64", "--json", "@RUN/out.json"],
                        output: .file("out.json"), tier: .core))

        // The slow commands: help, lists and one tiny run each.
        runs.append(Run(label: "mutants --list", command: "mutants", arguments: ["mutants", "--list"], tier: .core))
        runs.append(Run(label: "calibrate --runs 1", command: "calibrate",
                        arguments: ["calibrate", "--runs", "1", "--profile", "ci", "--seed", "1", "--json", "@RUN/out.json", "--quiet"],
                        output: .file("out.json"), verdicts: true, tier: .core))
        runs.append(Run(label: "sensitivity --list", command: "sensitivity", arguments: ["sensitivity", "--list"], tier: .core))
        runs.append(Run(label: "sensitivity one size", command: "sensitivity",
                        arguments: ["sensitivity", "--fault", "target-shift", "--size", "0.01", "--property", "L3-rate", "--json", "@RUN/out.json", "--quiet"],
                        output: .file("out.json"), tier: .core))
        runs.append(Run(label: "ggd --help", command: "", arguments: ["--help"], tier: .core))
        for command in ["report", "compare", "check", "merge", "mutants", "sensitivity", "calibrate", "crosscheck", "sample", "optimize", "law", "train",
                        "diagnose", "reproduce", "audit-case", "audit", "methods", "bench"] {
            runs.append(Run(label: "\(command) --help", command: command, arguments: [command, "--help"], tier: .core))
        }
        return runs
    }

    // MARK: Profiles

    /// Whether `GGD_TEST_PROFILE=full` asks for the whole matrix.
    static var fullProfile: Bool { ProcessInfo.processInfo.environment["GGD_TEST_PROFILE"]?.lowercased() == "full" }

    /// The share of `.sampled` runs CI takes (a deterministic subset keyed by the label and a fixed seed).
    static let ciShare = 0.5
    static let ciSeed: UInt64 = 0x6764_645f_6d61_7472

    static func selected(_ runs: [Run], full: Bool) -> [Run] {
        runs.filter { run in
            switch run.tier {
            case .core: return true
            case .full: return full
            case .sampled: return full || unitHash(run.label, seed: ciSeed) < ciShare
            }
        }
    }

    /// FNV-1a of the label, mixed with the seed through SplitMix64: a fixed number in [0, 1).
    static func unitHash(_ text: String, seed: UInt64) -> Double {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        var z = h &+ seed &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }

    // MARK: Running

    /// Runs `runs` with `jobs` at a time, each in its own folder `root/runs/NNNN` (also its working directory).
    static func execute(_ runs: [Run], root: URL, folder: String, jobs: Int, timeout: Double) -> [Outcome] {
        final class State: @unchecked Sendable {
            let lock = NSLock()
            var next = 0
            var outcomes: [Outcome?]
            init(count: Int) { outcomes = Array(repeating: nil, count: count) }
            func take() -> Int? {
                lock.lock(); defer { lock.unlock() }
                guard next < outcomes.count else { return nil }
                next += 1
                return next - 1
            }
            func put(_ i: Int, _ o: Outcome) { lock.lock(); outcomes[i] = o; lock.unlock() }
        }
        let state = State(count: runs.count)
        let base = root.appendingPathComponent(folder)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, runs.count))) { _ in
            while let i = state.take() {
                let dir = base.appendingPathComponent(String(format: "%04d", i))
                state.put(i, execute(runs[i], in: dir, timeout: timeout))
            }
        }
        return state.outcomes.map { $0! }
    }

    static func execute(_ run: Run, in dir: URL, timeout: Double) -> Outcome {
        let arguments = run.arguments.map { $0.replacingOccurrences(of: "@RUN", with: dir.path) }
        let commandLine = "ggd " + arguments.map(shellQuoted).joined(separator: " ")
        func broken(_ why: String) -> Outcome {
            Outcome(run: run, commandLine: commandLine, status: -1, signaled: false, timedOut: false, seconds: 0, stderr: "",
                    succeeded: false, problems: [why])
        }
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            return broken("could not create the run folder: \(error)")
        }
        let r: CommandRunner.Result
        do { r = try CommandRunner.run(arguments, timeout: timeout, workingDirectory: dir) } catch {
            return broken("could not start ggd: \(error)")
        }
        let (succeeded, problems) = judge(run, r, dir: dir, timeout: timeout)
        return Outcome(run: run, commandLine: commandLine, status: r.status, signaled: r.signaled, timedOut: r.timedOut, seconds: r.seconds,
                       stderr: r.stderr, succeeded: succeeded, problems: problems)
    }

    // MARK: Judging

    /// Whether a stderr line is an error line: ArgumentParser's `Error: …` or ggd's `ggd [command]: error: …`.
    static func errorLine(_ line: Substring) -> (command: String?, message: String)? {
        if line.hasPrefix("Error:") { return (nil, String(line.dropFirst("Error:".count)).trimmingCharacters(in: .whitespaces)) }
        guard line.hasPrefix("ggd"), let range = line.range(of: ": error:") else { return nil }
        let head = line[line.startIndex..<range.lowerBound]
        let words = head.split(separator: " ")
        guard words.first == "ggd", words.count <= 2 else { return nil }
        return (words.count == 2 ? String(words[1]) : "", String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces))
    }

    /// Text of Swift's own error descriptions, which tell a user nothing about their input.
    static let internalDumps = ["DecodingError", "CodingKeys(", "Debug description:", "NSCocoaErrorDomain", "Error Domain=", "Swift.DecodingError"]

    static func judge(_ run: Run, _ r: CommandRunner.Result, dir: URL, timeout: Double) -> (succeeded: Bool, problems: [String]) {
        if r.timedOut { return (false, ["timed out after \(Int(timeout)) s (killed)"]) }
        if r.signaled { return (false, ["killed by signal \(r.status) (\(signalName(r.status))): a trap or crash, not an error"]) }
        var problems: [String] = []
        if !CommandRunner.documentedStatuses.contains(r.status) {
            problems.append("exit status \(r.status) is not one of the documented \(CommandRunner.documentedStatuses.sorted())")
        }
        for marker in ["Fatal error", "Program crashed", "Stack dump", "Current stack trace"] where r.stderr.contains(marker) {
            problems.append("stderr shows a crash ('\(marker)')")
        }
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        let errors = lines.compactMap { line in errorLine(line).map { (line, $0) } }
        // Exit 1 is a verdict only without an error line; with one it is an error wearing a verdict's status.
        let succeeded = r.status == 0 || (r.status == 1 && run.verdicts && errors.isEmpty)
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
        if succeeded {
            if let (line, _) = errors.first {
                problems.append("exit \(r.status) (\(r.status == 0 ? "success" : "a verdict")) but stderr has an error line: \(line)")
            }
            if run.mustFail {
                problems.append("accepted a combination that is invalid by design (expected an error"
                                + (run.mentioning.isEmpty ? "" : " mentioning \(run.mentioning.map { "'\($0)'" }.joined(separator: " or "))") + ")")
            }
            if let entry = run.output.entry, !entries.contains(entry) {
                problems.append("succeeded but wrote no \(entry)")
            } else {
                problems += incomplete(run, dir: dir)
            }
            let allowed = run.extras.union(run.output.entry.map { [$0] } ?? [])
            let stray = entries.filter { !allowed.contains($0) }
            if !stray.isEmpty { problems.append("left stray entries beside its output: \(stray.joined(separator: ", "))") }
        } else {
            if r.status == 1 {
                problems.append(run.verdicts
                    ? "exit 1 is the verdict status (a claim failed, a regression), but this is an error: it needs its own status"
                    : "exit 1 means a verdict, but \(run.command.isEmpty ? "ggd" : "ggd " + run.command) has none: an error needs its own status")
            }
            if errors.count != 1 {
                problems.append("\(errors.count) error lines on stderr (expected exactly one, `ggd \(run.command): error: …` or `Error: …`)")
            }
            if let (line, parsed) = errors.first {
                if parsed.command == nil && r.status != 64 {
                    problems.append("a command-line (`Error:`) error exited \(r.status), not 64: \(line)")
                }
                if let c = parsed.command, c != run.command, !(c.isEmpty && run.command.isEmpty) {
                    problems.append("the error line names `ggd \(c)`, not `ggd \(run.command)`: \(line)")
                }
                if parsed.message.count < 8 { problems.append("the error line does not say what is wrong: \(line)") }
                if let dump = internalDumps.first(where: { parsed.message.contains($0) }) {
                    problems.append("the error line dumps a Swift error ('\(dump)') instead of naming the problem: \(line.prefix(300))")
                }
                // ArgumentParser's usage text after an `Error:` line must be the command's own.
                if parsed.command == nil, !run.command.isEmpty,
                   let usage = lines.first(where: { $0.hasPrefix("Usage: ") }), !usage.hasPrefix("Usage: ggd \(run.command)") {
                    problems.append("the usage shown is not `ggd \(run.command)`'s: \(usage)")
                }
                if !run.mentioning.isEmpty, !run.mentioning.contains(where: { parsed.message.lowercased().contains($0.lowercased()) }) {
                    problems.append("the error does not name the problem (expected it to mention "
                                    + run.mentioning.map { "'\($0)'" }.joined(separator: " or ") + "): \(line)")
                }
            }
            if let allowed = run.failStatuses, !allowed.contains(r.status) {
                problems.append("failed with exit \(r.status); expected \(allowed.sorted().map(String.init).joined(separator: " or "))")
            }
            if let entry = run.output.entry, entries.contains(entry) { problems.append("failed but its output \(entry) exists") }
            let stray = entries.filter { !run.extras.contains($0) && $0 != run.output.entry }
            if !stray.isEmpty { problems.append("failed and left entries behind: \(stray.joined(separator: ", "))") }
        }
        return (succeeded, problems)
    }

    /// What a successful run's output lacks.
    static func incomplete(_ run: Run, dir: URL) -> [String] {
        let fm = FileManager.default
        func check(_ url: URL, _ name: String) -> String? {
            guard let data = fm.contents(atPath: url.path) else { return "\(name) is missing" }
            if name == ".ggd-output" {
                let text = String(decoding: data, as: UTF8.self)
                return text.contains("command=\(run.command)") ? nil : "\(name) does not say command=\(run.command): \(text.prefix(120))"
            }
            if data.isEmpty { return "\(name) is empty" }
            if name.hasSuffix(".json"), (try? JSONSerialization.jsonObject(with: data)) == nil { return "\(name) is not valid JSON" }
            if name.hasSuffix(".npz") || name.hasSuffix(".npy") {
                let magic: [UInt8] = name.hasSuffix(".npz") ? [0x50, 0x4b] : [0x93, 0x4e, 0x55, 0x4d]
                if !data.starts(with: magic) { return "\(name) is not a \(name.hasSuffix(".npz") ? "zip" : ".npy") file" }
            }
            return nil
        }
        switch run.output {
        case .none: return []
        case .file(let name): return check(dir.appendingPathComponent(name), name).map { [$0] } ?? []
        case .folder(let files):
            let folder = dir.appendingPathComponent("out")
            return files.compactMap { check(folder.appendingPathComponent($0), "out/\($0)") }
        }
    }

    // MARK: Reporting

    static func signalName(_ s: Int32) -> String {
        [4: "SIGILL, a Swift trap", 5: "SIGTRAP, a Swift trap", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV"][s] ?? "signal"
    }

    static func shellQuoted(_ s: String) -> String {
        if !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=,:@+".contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// The readable part of stderr: a crash's header and first frames, or the tail.
    static func excerpt(_ stderr: String, limit: Int = 900) -> String {
        if let r = stderr.range(of: "*** Program crashed") {
            return String(stderr[r.lowerBound...].prefix(limit))
        }
        if let r = stderr.range(of: "Fatal error") {
            return String(stderr[r.lowerBound...].prefix(limit))
        }
        return String(stderr.suffix(limit))
    }

    static func report(_ o: Outcome) -> String {
        let how = o.timedOut ? "timed out" : o.signaled ? "signal \(o.status)" : "exit \(o.status)"
        return """
            \(o.run.label) — \(how), \(String(format: "%.1f", o.seconds)) s
              \(o.commandLine)
            \(o.problems.map { "  ✗ " + $0 }.joined(separator: "\n"))
              stderr: \(excerpt(o.stderr).split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n    "))
            """
    }
}
