import Foundation
import NumPyIO
import PropertyEngine
import Testing

/// A fuzzer of the `ggd` command line, driven by the property engine (`CLIFuzzInputs.swift` builds the
/// inputs). Every generated invocation runs as a subprocess in a fresh working folder, under a wall-clock
/// limit and an address-space cap (with `--max-memory 256M` where the command takes it), and must:
///
/// - end by itself: no signal (a trap, a crash, an allocation the cap refused), no timeout;
/// - exit with a status `ggd --help` documents;
/// - leave no half-written output: after a failure (status ≥ 64) the output path (`--out`, `--checkpoint`)
///   is absent or, if something was there, unchanged byte for byte; after any run no `.NAME.staging-*`,
///   `.NAME.old-*` or `.NAME.tmp-*` is left; after a success a folder output carries its `.ggd-output`.
///
/// A failing input is shrunk by the engine's `Shrinker` and printed with a one-line replay token
/// (`ggd1:cli-FAMILY:1:0.0:CHOICES`). Findings are kept in `FuzzRegressions/` (one text file each, written
/// when `GGD_FUZZ_RECORD=1`) and replayed first on every run.
///
/// Profiles: CI (default) — a fixed seed and a few hundred tiny inputs (well under 90 s on two cores);
/// `GGD_TEST_PROFILE=full` — a fresh seed (printed; `GGD_FUZZ_SEED` sets it) and inputs until
/// `GGD_FUZZ_SECONDS` (default 300) run out. `GGD_FUZZ_REPLAY=TOKEN` replays one token and nothing else.
@Suite(.serialized) struct CLIFuzzTests {
    // MARK: Configuration

    struct Configuration {
        var name: String
        var seed: UInt64
        var inputsPerFamily: Int
        var seconds: Double
        var timeout: Double
        var shrinkEvaluations: Int
        var maximumShrinks: Int
        var workers: Int

        static var current: Configuration {
            let env = ProcessInfo.processInfo.environment
            let seedOverride = env["GGD_FUZZ_SEED"].flatMap { UInt64($0) }
            if env["GGD_TEST_PROFILE"]?.lowercased() == "full" {
                return Configuration(name: "full", seed: seedOverride ?? UInt64.random(in: 1...UInt64(UInt32.max)), inputsPerFamily: 100_000,
                                     seconds: env["GGD_FUZZ_SECONDS"].flatMap { Double($0) } ?? 300, timeout: 30, shrinkEvaluations: 150,
                                     maximumShrinks: 25, workers: 2)
            }
            return Configuration(name: "ci", seed: seedOverride ?? 20_240_601, inputsPerFamily: 150, seconds: 50, timeout: 10,
                                 shrinkEvaluations: 40, maximumShrinks: 6, workers: 2)
        }
    }

    /// The address-space cap of every run. A tiny run of `ggd` maps ~400–500 MB of address space (the Swift
    /// runtime, Foundation, OpenBLAS's buffers, one 64 MB malloc arena per thread); 3 GiB leaves room for
    /// that, a few threads, and the 256 MB `--max-memory` lets a run plan, with margin.
    static let addressSpaceCap = 3 << 30
    static let regressionsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzRegressions")

    // MARK: Fixtures

    /// The valid inputs, made once per process (a checkpoint by `ggd train`, results by `ggd check`).
    static let fixtures: Result<CLIFuzz.Fixtures, FixtureError> = Result { try makeFixtures() }.mapError { FixtureError(description: "\($0)") }

    struct FixtureError: Error, CustomStringConvertible, Sendable {
        var description: String
    }

    static func makeFixtures() throws -> CLIFuzz.Fixtures {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let settings = CLIFuzz.settingBases
        try Data(settings[0].text.utf8).write(to: dir.appendingPathComponent("setting.json"))
        func ggd(_ args: [String]) throws {
            let r = try CommandRunner.run(args, timeout: 120, workingDirectory: dir)
            guard r.status == 0, !r.signaled else {
                throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "fixture `ggd \(args.joined(separator: " "))` failed (\(r.status)): \(r.stderr)"])
            }
        }
        try ggd(["train", "--setting", "setting.json", "--points", "64", "--epochs", "1", "--width", "8", "--blocks", "1", "--batch-size", "16",
                 "--threads", "1", "--checkpoint", "net.npz", "--quiet"])
        for i in 0..<2 {
            try ggd(["check", "--property", "T1", "--budget", "T1=2,1", "--shard", "\(i)/2", "--no-regressions", "--out", "s\(i).json", "--quiet"])
        }
        try ggd(["check", "--property", "T1", "--budget", "T1=2,1", "--no-regressions", "--out", "all.json", "--quiet"])
        func results(_ name: String) throws -> CLIFuzz.JSON {
            // Timings vary from run to run; fixed, so that byte positions (and so tokens) replay exactly.
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: #""seconds" : [-+0-9.eE]+"#, with: #""seconds" : 0.25"#, options: .regularExpression)
            return try CLIFuzz.JSON.parse(text)
        }
        let all = try results("all.json")
        let tokens = try String(contentsOf: dir.appendingPathComponent("all.json"), encoding: .utf8)
            .matches(of: /"token" : "(ggd1:[^"]+)"/).map { String($0.1) }
        let list = try CommandRunner.run(["check", "--list"], timeout: 60)
        let properties = list.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        let checkpoint = try NPZArchive.readOrdered([UInt8](Data(contentsOf: dir.appendingPathComponent("net.npz"))))
        guard !tokens.isEmpty, !properties.isEmpty else { throw CocoaError(.featureUnsupported) }
        return CLIFuzz.Fixtures(settings: settings, npzSettings: CLIFuzz.npzSettingBases, checkpoint: checkpoint,
                                shards: [try results("s0.json"), try results("s1.json")], unsharded: all, report: CLIFuzz.reportBase,
                                tokens: tokens, properties: properties)
    }

    // MARK: One run

    /// What one invocation did, and what was wrong with it (nothing, for a good run).
    struct Outcome: Sendable {
        var status: Int32
        var signaled: Bool
        var timedOut: Bool
        var seconds: Double
        var stderr: String
        /// Empty when every rule held.
        var problems: [String]
        /// The kind of failure, for telling findings apart (nil when there is none).
        var signature: String?
        /// Paths other than the output that a failed run left behind (noted, not a failure).
        var strays: [String]

        var stderrTail: String {
            let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.suffix(12).joined(separator: "\n")
        }
    }

    /// A file tree, by relative path: "d" for a folder, "l:TARGET" for a symlink, the bytes' text for a file.
    typealias Snapshot = [String: Data]

    static func snapshot(_ root: URL) -> Snapshot {
        // Iterative: a run may leave a folder hundreds of levels deep, too deep to recurse on a worker's stack.
        var out = Snapshot()
        var pending = [""]
        while let relative = pending.popLast() {
            let path = relative.isEmpty ? root.path : root.path + "/" + relative
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path), let type = attributes[.type] as? FileAttributeType else {
                if !relative.isEmpty { out[relative] = Data("unreadable".utf8) }
                continue
            }
            switch type {
            case .typeDirectory:
                if !relative.isEmpty { out[relative] = Data("d".utf8) }
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() {
                    pending.append(relative.isEmpty ? name : relative + "/" + name)
                }
            case .typeSymbolicLink:
                out[relative] = Data(("l:" + ((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")).utf8)
            default:
                out[relative] = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data("unreadable".utf8)
            }
        }
        return out
    }

    /// The outputs a command writes: (path as given, folder?). The last occurrence of an option wins.
    static func outputs(_ args: [String]) -> [(path: String, folder: Bool)] {
        func last(_ option: String) -> String? {
            var value: String?
            var i = 1
            while i < args.count {
                if args[i] == option, i + 1 < args.count { value = args[i + 1]; i += 2; continue }
                if args[i].hasPrefix(option + "=") { value = String(args[i].dropFirst(option.count + 1)) }
                i += 1
            }
            return value
        }
        switch args.first {
        case "sample", "optimize", "law": return last("--out").map { [($0, true)] } ?? []
        case "check", "merge": return last("--out").map { [($0, false)] } ?? []
        case "train": return [(last("--checkpoint") ?? "runs/network.npz", false)]
        default: return []
        }
    }

    /// `path` (relative to `work`) as a path inside the case's root, or nil when it leaves it or is unusable.
    static func inside(_ path: String, work: URL, root: URL) -> String? {
        guard !path.isEmpty, !path.hasPrefix("/"), path.utf8.count < 1000 else { return nil }
        let resolved = URL(fileURLWithPath: work.path + "/" + path).standardizedFileURL.path
        let rootPath = root.standardizedFileURL.path
        guard resolved.hasPrefix(rootPath + "/") else { return nil }
        return String(resolved.dropFirst(rootPath.count + 1))
    }

    /// Puts `what` at `path` (inside `work`) before the run.
    static func prepare(_ what: CLIFuzz.Preexisting, at path: String, folder: Bool, command: String, work: URL) {
        let fm = FileManager.default
        let url = URL(fileURLWithPath: work.path + "/" + path)
        try? fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        func write(_ text: String, _ to: URL) { try? Data(text.utf8).write(to: to) }
        switch what {
        case .absent: break
        case .emptyFolder: try? fm.createDirectory(at: url, withIntermediateDirectories: true)
        case .userFolder:
            try? fm.createDirectory(at: url.appendingPathComponent("figures"), withIntermediateDirectories: true)
            write("\\documentclass{article} my thesis", url.appendingPathComponent("thesis.tex"))
            write("<svg/>", url.appendingPathComponent("figures/fig1.svg"))
        case .previousOutput, .otherCommandOutput:
            let owner = what == .previousOutput ? command : (command == "law" ? "sample" : "law")
            if folder {
                try? fm.createDirectory(at: url, withIntermediateDirectories: true)
                write("ggd-output command=\(owner) tool=0.2.0\n", url.appendingPathComponent(".ggd-output"))
                write("{\"tool_version\": \"0.2.0\", \"command\": \"\(owner)\"}", url.appendingPathComponent("result.json"))
            } else {
                write("{\"toolVersion\": \"0.2.0\", \"command\": \"\(owner)\"}", url)
            }
        case .file: write("the user's notes, not ggd's\n", url)
        case .previousGGDFile: write("{\"toolVersion\": \"0.1.0\", \"profile\": \"ci\"}", url)
        case .symlinkToUserFolder: try? fm.createSymbolicLink(atPath: url.path, withDestinationPath: work.deletingLastPathComponent().appendingPathComponent("elsewhere").path)
        case .danglingSymlink: try? fm.createSymbolicLink(atPath: url.path, withDestinationPath: "/nonexistent-ggd-clifuzz-target")
        case .selfSymlink: try? fm.createSymbolicLink(atPath: url.path, withDestinationPath: url.lastPathComponent)
        }
    }

    /// The first line of stderr that says what went wrong, with numbers and the case's folder taken out.
    static func normalizedMessage(_ stderr: String, root: URL) -> String {
        let lines = stderr.split(separator: "\n").map(String.init)
        let markers = ["Fatal error", "fatal error", "Precondition failed", "Assertion failed", "Illegal instruction", "Segmentation", "Aborted",
                       "error:", "Error:", "terminate"]
        let line = lines.first { l in markers.contains { l.contains($0) } } ?? lines.last ?? ""
        return String(line.replacingOccurrences(of: root.path, with: "ROOT").replacingOccurrences(of: #"[0-9]+"#, with: "#", options: .regularExpression)
            .prefix(160))
    }

    /// Kills, after `seconds`, every process whose working folder is `workingDirectory` (each case has its own),
    /// unless `finish()` came first; `finish()` says whether it had to.
    final class Watchdog: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private let finished = DispatchSemaphore(value: 0)
        private var fired = false

        init(workingDirectory: URL, seconds: Double) {
            let path = workingDirectory.standardizedFileURL.path
            DispatchQueue.global().async { [done, finished] in
                if done.wait(timeout: .now() + seconds) == .timedOut {
                    self.fired = true
                    for pid in Self.processes(in: path) { kill(pid, SIGKILL) }
                    done.wait()
                }
                finished.signal()
            }
        }

        /// Stops the watch; true when the limit ran out first.
        func finish() -> Bool {
            done.signal()
            finished.wait()
            return fired
        }

        static func processes(in path: String) -> [pid_t] {
            let me = getpid()
            return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { name in
                guard let pid = pid_t(name), pid != me,
                      let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(name)/cwd") else { return nil }
                return cwd == path ? pid : nil
            }
        }
    }

    /// Runs one case in a fresh folder and judges it.
    static func run(_ c: CLIFuzz.Case, in base: URL, timeout: Double, keep: URL? = nil) -> Outcome {
        let fm = FileManager.default
        let root = keep ?? base.appendingPathComponent("case-\(UUID().uuidString)")
        let work = root.appendingPathComponent("work")
        defer { if keep == nil { try? fm.removeItem(at: root) } }
        do {
            try fm.createDirectory(at: work.appendingPathComponent("userdir/data"), withIntermediateDirectories: true)
            try fm.createDirectory(at: root.appendingPathComponent("elsewhere"), withIntermediateDirectories: true)
            try Data("precious\n".utf8).write(to: root.appendingPathComponent("elsewhere/precious.txt"))
            try Data("a user's file\n".utf8).write(to: work.appendingPathComponent("afile.txt"))
            try Data("% thesis\n".utf8).write(to: work.appendingPathComponent("userdir/thesis.tex"))
            try Data("1,2\n".utf8).write(to: work.appendingPathComponent("userdir/data/x.csv"))
            try fm.createSymbolicLink(atPath: work.appendingPathComponent("loop").path, withDestinationPath: "loop")
            for f in c.files { try Data(f.bytes).write(to: work.appendingPathComponent(f.path)) }
        } catch {
            return Outcome(status: -1, signaled: false, timedOut: false, seconds: 0, stderr: "\(error)", problems: ["harness: cannot prepare: \(error)"],
                           signature: "harness", strays: [])
        }
        let outs = outputs(c.arguments).compactMap { o in inside(o.path, work: work, root: root).map { (given: o.path, relative: $0, folder: o.folder) } }
        let inputs = Set(c.files.map(\.path))
        for o in outs where !inputs.contains(o.given) && c.preexisting != .absent {
            prepare(c.preexisting, at: o.given, folder: o.folder, command: c.command, work: work)
        }
        let before = snapshot(root)
        var result: CommandRunner.Result
        do {
            // The wall-clock limit is kept here, not by CommandRunner's `timeout`: that one's timer holds the
            // Process (and its pipes' descriptors) until the limit, so thousands of fast runs leak descriptors.
            let watchdog = Watchdog(workingDirectory: work, seconds: timeout)
            result = try CommandRunner.run(c.arguments, addressSpaceBytes: addressSpaceCap, workingDirectory: work)
            result.timedOut = watchdog.finish() && result.signaled
        } catch {
            return Outcome(status: -1, signaled: false, timedOut: false, seconds: 0, stderr: "\(error)", problems: ["harness: cannot run: \(error)"],
                           signature: "harness", strays: [])
        }
        let after = snapshot(root)
        return judge(c.arguments, outputs: outs, before: before, after: after, result: result, timeout: timeout, root: root)
    }

    /// The rules, applied to what a run did: its result and the file tree (of the case's root) before and after.
    /// `outputs` are the command's output paths relative to the root.
    static func judge(_ arguments: [String], outputs outs: [(given: String, relative: String, folder: Bool)], before: Snapshot, after: Snapshot,
                      result: CommandRunner.Result, timeout: Double, root: URL) -> Outcome {
        let command = arguments.first ?? ""
        var problems = [String](), signature: String?
        let status = result.status
        if result.timedOut {
            problems.append("timed out after \(Int(timeout)) s")
            signature = "timeout \(command)"
        } else if result.signaled {
            problems.append("killed by signal \(status)" + ([4, 5, 6, 7, 8, 11].contains(status) ? " (a trap or crash)" : ""))
            signature = "signal \(status) \(command): \(normalizedMessage(result.stderr, root: root))"
        } else if !CommandRunner.documentedStatuses.contains(status) {
            problems.append("exit status \(status) is not documented")
            signature = "status \(status) \(command): \(normalizedMessage(result.stderr, root: root))"
        }
        // Staging, old and temporary siblings left anywhere.
        let leftovers = after.keys.filter { key in
            let name = key.split(separator: "/").last.map(String.init) ?? key
            return name.hasPrefix(".") && (name.contains(".staging-") || name.contains(".old-") || name.contains(".tmp-")) && before[key] == nil
        }.sorted()
        if !leftovers.isEmpty {
            problems.append("left behind: " + leftovers.prefix(4).joined(separator: ", "))
            signature = signature ?? "leftovers \(command)"
        }
        let succeeded = !result.signaled && (status == 0 || status == 1)
        let helpAsked = arguments.contains { ["-h", "--version", "help"].contains($0) || $0.hasPrefix("--help") }
        var outputChanges = Set<String>()
        for o in outs {
            let prefix = o.relative + "/"
            let keys = Set(before.keys).union(after.keys).filter { $0 == o.relative || $0.hasPrefix(prefix) }
            let changed = keys.filter { before[$0] != after[$0] }.sorted()
            outputChanges.formUnion(changed)
            if !succeeded && !result.timedOut && !result.signaled {
                if !changed.isEmpty {
                    problems.append("failed (status \(status)) but changed its output '\(o.given)': " + changed.prefix(4).map { k in
                        before[k] == nil ? "created \(k)" : after[k] == nil ? "removed \(k)" : "modified \(k)"
                    }.joined(separator: ", "))
                    signature = signature ?? "output changed on failure \(command)"
                }
            } else if succeeded && !changed.isEmpty && o.folder, after[o.relative] == Data("d".utf8), after[prefix + ".ggd-output"] == nil {
                problems.append("succeeded but its output folder '\(o.given)' has no .ggd-output marker")
                signature = signature ?? "no marker \(command)"
            } else if status == 0 && !helpAsked && after[o.relative] == nil {
                problems.append("exit 0 but nothing at its output '\(o.given)'")
                signature = signature ?? "no output \(command)"
            }
        }
        // Anything else a failed run created or changed (noted, not judged: e.g. a created parent folder).
        var strays = [String]()
        if !succeeded {
            strays = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] && !outputChanges.contains($0) && !leftovers.contains($0) }.sorted()
        }
        return Outcome(status: status, signaled: result.signaled, timedOut: result.timedOut, seconds: result.seconds, stderr: result.stderr,
                       problems: problems, signature: problems.isEmpty ? nil : signature, strays: strays)
    }

    // MARK: Generation, replay, shrinking

    /// The generation seed of a family: the run's seed mixed with the family's name (as the catalog's runner does).
    static func seed(_ seed: UInt64, _ family: CLIFuzz.Family) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in family.rawValue.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        var z = seed ^ h &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func token(_ family: CLIFuzz.Family, _ choices: [UInt64]) -> ReplayToken {
        ReplayToken(property: family.tokenProperty, effort: 1, threshold: 0, choices: Shrinker.canonical(choices))
    }

    /// The case a choice sequence gives, and the choices it used.
    static func generate(_ family: CLIFuzz.Family, _ fixtures: CLIFuzz.Fixtures, _ source: ChoiceSource) throws -> (CLIFuzz.Case, [UInt64]) {
        let c = try CLIFuzz.generator(family, fixtures).generate(source)
        return (c, source.recorded)
    }

    struct Finding {
        var family: CLIFuzz.Family
        var token: ReplayToken
        var input: CLIFuzz.Case
        var outcome: Outcome
        var originalToken: ReplayToken
        var shrinkEvaluations: Int
        var occurrences: Int
    }

    /// Shrinks a failing choice sequence while the same kind of failure (its signature) persists.
    static func shrink(_ family: CLIFuzz.Family, _ fixtures: CLIFuzz.Fixtures, choices: [UInt64], outcome: Outcome, configuration: Configuration,
                       base: URL) -> ([UInt64], Int) {
        // A timeout costs the whole limit per step: only a few steps.
        let evaluations = outcome.timedOut ? min(configuration.shrinkEvaluations, configuration.name == "full" ? 8 : 0) : configuration.shrinkEvaluations
        let shrinker = Shrinker(maximumEvaluations: evaluations)
        var best = Shrinker.canonical(choices)   // the shrinker's own `best`, followed step by step
        return shrinker.shrink(choices) { candidate in
            let source = ChoiceSource(replaying: candidate)
            guard let (c, used) = try? generate(family, fixtures, source) else { return (false, source.recorded) }
            let o = run(c, in: base, timeout: configuration.timeout)
            guard o.signature == outcome.signature else { return (false, used) }
            let consumed = Shrinker.canonical(used)
            let next = shrinker.isSimpler(consumed, than: candidate) ? consumed : candidate
            if trapsShrinker(previous: best, candidate: candidate, next: next) { return (false, used) }
            best = next
            return (true, used)
        }
    }

    /// Whether accepting `candidate` would make `Shrinker.shrink` trap (PropertyEngine/Shrinker.swift, the
    /// "lower one choice by one and delete a block after it" pass): after a success with block size 1 at
    /// choice i0, it tries size 2 with `best[i0] -= 1` without checking that `best[i0]` is still positive, an
    /// arithmetic overflow when the accepted case made that choice 0. Such a candidate is declined, which only costs a step.
    static func trapsShrinker(previous: [UInt64], candidate: [UInt64], next: [UInt64]) -> Bool {
        guard candidate.count < previous.count else { return false }
        for i0 in previous.indices where previous[i0] > 0 && i0 + 3 <= next.count && next[i0] == 0 {
            for start in (i0 + 1)..<previous.count {
                var c = previous
                c[i0] -= 1
                c.remove(at: start)
                if Shrinker.canonical(c) == candidate { return true }
            }
        }
        return false
    }

    // MARK: Regressions

    /// A stored finding: its token and the text around it.
    struct StoredRegression {
        var file: URL
        var token: ReplayToken
        var problem: String
        var signature: String
    }

    static func storedRegressions() -> [StoredRegression] {
        let files = ((try? FileManager.default.contentsOfDirectory(at: regressionsFolder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "txt" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        return files.compactMap { file in
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
            let lines = text.split(separator: "\n").map(String.init)
            guard let tokenLine = lines.first(where: { $0.hasPrefix("token: ") }),
                  let token = try? ReplayToken(parsing: String(tokenLine.dropFirst("token: ".count))) else { return nil }
            func field(_ key: String) -> String { lines.first { $0.hasPrefix(key + ": ") }.map { String($0.dropFirst(key.count + 2)) } ?? "" }
            return StoredRegression(file: file, token: token, problem: field("problem"), signature: field("signature"))
        }
    }

    /// The text of a regression file (format: comment lines, then `key: value` lines, then the stderr tail).
    static func regressionText(_ f: Finding, configuration: Configuration) -> String {
        var s = "# A finding of the ggd CLI fuzzer (Tests/ggdTests/CLIFuzzTests.swift), replayed first on every run.\n"
        s += "# Replay alone: GGD_FUZZ_REPLAY='\(f.token)' swift test -c release -Xswiftc -enable-testing --skip-build --filter CLIFuzzTests\n"
        s += "token: \(f.token)\n"
        s += "family: \(f.family.rawValue)\n"
        s += "problem: \(f.outcome.problems.joined(separator: "; "))\n"
        s += "signature: \(f.outcome.signature ?? "")\n"
        s += "exit: \(f.outcome.signaled ? "signal " : "status ")\(f.outcome.status) after \(String(format: "%.2f", f.outcome.seconds)) s\n"
        s += "found: profile \(configuration.name), seed \(configuration.seed), \(f.occurrences) input(s) of the run, shrunk in \(f.shrinkEvaluations) runs from \(f.originalToken)\n"
        s += "input:\n" + f.input.description.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
        s += "stderr (tail):\n" + f.outcome.stderrTail.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
        return s
    }

    static func record(_ f: Finding, configuration: Configuration) throws {
        try FileManager.default.createDirectory(at: regressionsFolder, withIntermediateDirectories: true)
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in f.token.description.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        let name = "\(f.family.rawValue)-\(f.input.command.isEmpty ? "ggd" : f.input.command)-\(String(h, radix: 16).prefix(10)).txt"
        let url = regressionsFolder.appendingPathComponent(name)
        guard !FileManager.default.fileExists(atPath: url.path) else { return }
        try Data(regressionText(f, configuration: configuration).utf8).write(to: url, options: .atomic)
    }

    // MARK: Tests

    /// The generators are functions of their choices: a case replayed from its recorded choices (or its token)
    /// is the same case, and the all-zero choice sequence gives each family's valid base input.
    @Test func generatorsReplayFromTheirChoices() throws {
        let fixtures = try Self.fixtures.get()
        for family in CLIFuzz.Family.allCases {
            for k in 0..<20 {
                let (c, used) = try Self.generate(family, fixtures, ChoiceSource(seed: 99, index: UInt64(k)))
                let token = try ReplayToken(parsing: Self.token(family, used).description)
                let (again, _) = try Self.generate(family, fixtures, ChoiceSource(replaying: token.choices))
                #expect(again.description == c.description, "\(family) case \(k)")
                #expect(again.files.map(\.bytes) == c.files.map(\.bytes), "\(family) case \(k)")
            }
            let (simplest, _) = try Self.generate(family, fixtures, ChoiceSource(replaying: []))
            #expect(simplest.notes.isEmpty || simplest.notes == ["valid"], "\(family): \(simplest)")
        }
    }

    /// The rules catch what they are for, on made-up runs (no subprocess): a trap, a timeout, an undocumented
    /// status, an output created, changed or removed by a failed run, a staging/old/tmp leftover, a folder
    /// without its marker, a success that wrote nothing; and let a clean success and a clean refusal pass.
    @Test func rulesCatchEachMisbehaviour() {
        let root = URL(fileURLWithPath: "/tmp/ggd-clifuzz-rules")
        let d = Data("d".utf8), x = Data("x".utf8), y = Data("y".utf8)
        let base: Snapshot = ["work": d, "work/setting.json": x]
        let folderOut = [(given: "out", relative: "work/out", folder: true)]
        let fileOut = [(given: "r.json", relative: "work/r.json", folder: false)]
        func result(_ status: Int32, signaled: Bool = false, timedOut: Bool = false) -> CommandRunner.Result {
            CommandRunner.Result(status: status, stdout: "", stderr: "Fatal error: boom 42\n", signaled: signaled, timedOut: timedOut, seconds: 0.1)
        }
        func problems(_ args: [String], _ outs: [(given: String, relative: String, folder: Bool)], _ before: Snapshot, _ after: Snapshot,
                      _ r: CommandRunner.Result) -> [String] {
            Self.judge(args, outputs: outs, before: before, after: after, result: r, timeout: 10, root: root).problems
        }
        let sample = ["sample", "--out", "out"], check = ["check", "--out", "r.json"]
        let written = base.merging(["work/out": d, "work/out/.ggd-output": x, "work/out/result.json": y]) { $1 }
        // Passing runs.
        #expect(problems(sample, folderOut, base, written, result(0)).isEmpty)
        #expect(problems(sample, folderOut, base, base, result(65)).isEmpty)
        #expect(problems(check, fileOut, base, base.merging(["work/r.json": y]) { $1 }, result(1)).isEmpty)
        #expect(problems(sample + ["--help"], folderOut, base, base, result(0)).isEmpty)
        // Each misbehaviour.
        #expect(problems(sample, folderOut, base, base, result(4, signaled: true)).first?.contains("signal 4") == true)
        #expect(problems(sample, folderOut, base, base, result(9, signaled: true, timedOut: true)).first?.contains("timed out") == true)
        #expect(problems(sample, folderOut, base, base, result(2)).first?.contains("not documented") == true)
        #expect(problems(sample, folderOut, base, written, result(70)).first?.contains("created work/out") == true)
        #expect(problems(sample, folderOut, written, written.merging(["work/out/result.json": x]) { $1 }, result(64)).first?.contains("modified") == true)
        #expect(problems(sample, folderOut, written, base, result(73)).first?.contains("removed work/out") == true)
        #expect(problems(check, fileOut, base, base.merging(["work/.r.json.tmp-12-34": y]) { $1 }, result(65)).first?.contains("left behind") == true)
        #expect(problems(sample, folderOut, base, written.merging(["work/.out.old-1-2": d]) { $1 }, result(0)).first?.contains("left behind") == true)
        #expect(problems(sample, folderOut, base, base.merging(["work/out": d, "work/out/result.json": y]) { $1 }, result(0)).first?.contains("marker") == true)
        #expect(problems(check, fileOut, base, base, result(0)).first?.contains("nothing at its output") == true)
        // The signature of a trap names the command and the message, without its numbers.
        #expect(Self.judge(sample, outputs: folderOut, before: base, after: base, result: result(4, signaled: true), timeout: 10, root: root).signature
                == "signal 4 sample: Fatal error: boom #")
    }

    /// The fuzzer: stored findings first, then fresh inputs of every family; every failure shrunk and reported.
    @Test func fuzzTheCommandLine() throws {
        let configuration = Configuration.current
        let fixtures: CLIFuzz.Fixtures
        do { fixtures = try Self.fixtures.get() } catch {
            Issue.record("cannot make the fuzzer's fixtures: \(error)")
            return
        }
        let base = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: base) }
        let env = ProcessInfo.processInfo.environment
        let recording = env["GGD_FUZZ_RECORD"] == "1"
        var log = [String]()
        func say(_ line: String) {
            print("[cli-fuzz] " + line)
            log.append(line)
        }

        // One token only.
        if let text = env["GGD_FUZZ_REPLAY"], !text.isEmpty {
            let token = try ReplayToken(parsing: text)
            let family = try #require(CLIFuzz.Family(tokenProperty: token.property), "not a CLI fuzz token: \(text)")
            let (c, _) = try Self.generate(family, fixtures, ChoiceSource(replaying: token.choices))
            // GGD_FUZZ_KEEP=FOLDER keeps the case's files (FOLDER/work is its working folder) to rerun it by hand.
            let keep = env["GGD_FUZZ_KEEP"].map { URL(fileURLWithPath: $0) }
            let o = Self.run(c, in: base, timeout: configuration.timeout, keep: keep)
            say("replay \(token)\n\(c)\n→ \(o.signaled ? "signal" : "status") \(o.status) in \(String(format: "%.2f", o.seconds)) s; "
                + (o.problems.isEmpty ? "no problem" : o.problems.joined(separator: "; ")) + "\nstderr:\n" + o.stderrTail)
            #expect(o.problems.isEmpty, "\(o.problems)")
            return
        }

        say("profile \(configuration.name), seed \(configuration.seed)\(configuration.name == "full" ? " (GGD_FUZZ_SEED=\(configuration.seed) reproduces the run)" : ""), "
            + "timeout \(Int(configuration.timeout)) s, address space \(Self.addressSpaceCap >> 20) MiB, \(configuration.workers) workers")
        let started = Date()

        // 1. Every stored finding, first.
        let stored = Self.storedRegressions()
        var storedFailing = 0
        // Kinds of failure a stored finding already shows: not shrunk or reported again when fresh inputs hit them.
        var known = Set<String>()
        for r in stored {
            guard let family = CLIFuzz.Family(tokenProperty: r.token.property),
                  let (c, _) = try? Self.generate(family, fixtures, ChoiceSource(replaying: r.token.choices)) else {
                Issue.record("\(r.file.lastPathComponent): token \(r.token) names no fuzz family")
                continue
            }
            let o = Self.run(c, in: base, timeout: configuration.timeout)
            if !o.problems.isEmpty {
                storedFailing += 1
                known.insert(o.signature ?? "?")
                known.insert(r.signature)
                Issue.record("stored finding \(r.file.lastPathComponent) still fails: \(o.problems.joined(separator: "; "))\n\(c)\nstderr:\n\(o.stderrTail)")
            }
        }
        say("replayed \(stored.count) stored finding(s) from \(Self.regressionsFolder.lastPathComponent)/: \(storedFailing) still fail")

        // 2. Fresh inputs: generated serially (cheap), run by a pool of workers, in rounds over the families.
        let families = CLIFuzz.Family.allCases
        final class Pool: @unchecked Sendable {
            let lock = NSLock()
            var cursor = 0
            var results: [(family: CLIFuzz.Family, choices: [UInt64], input: CLIFuzz.Case, outcome: Outcome)] = []
        }
        let pool = Pool()
        var generated = 0, generationFailures = 0
        let deadline = started.addingTimeInterval(configuration.seconds)
        let batch = configuration.name == "full" ? 24 : configuration.inputsPerFamily
        var index = 0
        while index < configuration.inputsPerFamily && Date() < deadline {
            var work = [(CLIFuzz.Family, [UInt64], CLIFuzz.Case)]()
            for family in families {
                for k in index..<min(index + batch, configuration.inputsPerFamily) {
                    do {
                        let (c, used) = try Self.generate(family, fixtures, ChoiceSource(seed: Self.seed(configuration.seed, family), index: UInt64(k)))
                        work.append((family, used, c))
                    } catch {
                        generationFailures += 1
                    }
                }
            }
            index += batch
            generated += work.count
            let items = work
            pool.cursor = 0
            DispatchQueue.concurrentPerform(iterations: configuration.workers) { _ in
                while true {
                    pool.lock.lock()
                    let i = pool.cursor
                    pool.cursor += 1
                    pool.lock.unlock()
                    guard i < items.count, Date() < deadline || configuration.name == "ci" else { return }
                    let (family, choices, c) = items[i]
                    let o = Self.run(c, in: base, timeout: configuration.timeout)
                    pool.lock.lock()
                    pool.results.append((family, choices, c, o))
                    pool.lock.unlock()
                }
            }
        }
        let ran = pool.results.count
        let fuzzSeconds = Date().timeIntervalSince(started)

        // 3. Summary numbers.
        var statuses = [String: Int]()
        var perFamily = [String: (inputs: Int, seconds: Double, failures: Int)]()
        var strays = [String: Int]()
        for r in pool.results {
            statuses[r.outcome.timedOut ? "timeout" : r.outcome.signaled ? "signal \(r.outcome.status)" : "\(r.outcome.status)", default: 0] += 1
            var p = perFamily[r.family.rawValue] ?? (0, 0, 0)
            p.inputs += 1
            p.seconds += r.outcome.seconds
            p.failures += r.outcome.problems.isEmpty ? 0 : 1
            perFamily[r.family.rawValue] = p
            for s in r.outcome.strays { strays["\(r.input.command): \(s.split(separator: "/").prefix(3).joined(separator: "/"))", default: 0] += 1 }
        }
        say("ran \(ran) inputs (\(generated) generated, \(generationFailures) not generable) in \(String(format: "%.1f", fuzzSeconds)) s: "
            + String(format: "%.1f", Double(ran) / max(fuzzSeconds, 1e-9)) + " inputs/s")
        say("exit statuses: " + statuses.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
        for family in families {
            let p = perFamily[family.rawValue] ?? (0, 0, 0)
            say("  \(family.rawValue): \(p.inputs) inputs, mean \(String(format: "%.0f", 1000 * p.seconds / Double(max(p.inputs, 1)))) ms, \(p.failures) failing")
        }
        if !strays.isEmpty {
            say("paths failed runs left besides their output (not judged): "
                + strays.sorted { $0.value > $1.value }.prefix(8).map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
        }

        // 4. Distinct failures, each shrunk once.
        var firstOf = [String: Int]()
        var counts = [String: Int]()
        for (i, r) in pool.results.enumerated() where !r.outcome.problems.isEmpty {
            let key = r.outcome.signature ?? "?"
            counts[key, default: 0] += 1
            if firstOf[key] == nil { firstOf[key] = i }
        }
        var findings = [Finding]()
        let knownHits = firstOf.keys.filter { known.contains($0) }.map { counts[$0] ?? 0 }.reduce(0, +)
        if knownHits > 0 { say("\(knownHits) failing input(s) show a stored finding again (not reported twice)") }
        for (key, i) in firstOf.sorted(by: { $0.value < $1.value }) where !known.contains(key) {
            let r = pool.results[i]
            let original = Self.token(r.family, r.choices)
            var choices = r.choices, evaluations = 0
            if findings.count < configuration.maximumShrinks {
                (choices, evaluations) = Self.shrink(r.family, fixtures, choices: r.choices, outcome: r.outcome, configuration: configuration, base: base)
            }
            var input = r.input, outcome = r.outcome
            if let (c, _) = try? Self.generate(r.family, fixtures, ChoiceSource(replaying: choices)) {
                let o = Self.run(c, in: base, timeout: configuration.timeout)
                if o.signature == r.outcome.signature {
                    input = c
                    outcome = o
                } else {
                    choices = r.choices   // flaky shrink: keep the original
                }
            }
            findings.append(Finding(family: r.family, token: Self.token(r.family, choices), input: input, outcome: outcome, originalToken: original,
                                    shrinkEvaluations: evaluations, occurrences: counts[key] ?? 1))
        }
        say("found \(findings.count) new distinct problem(s) in \(counts.values.reduce(0, +) - knownHits) failing input(s); total \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        for (n, f) in findings.enumerated() {
            var text = "finding \(n + 1)/\(findings.count) [\(f.family.rawValue)] \(f.outcome.problems.joined(separator: "; ")) (×\(f.occurrences))\n"
            text += "  token: \(f.token)   (shrunk in \(f.shrinkEvaluations) runs)\n"
            text += "  " + f.input.description.replacingOccurrences(of: "\n", with: "\n  ") + "\n"
            text += "  stderr: " + f.outcome.stderrTail.replacingOccurrences(of: "\n", with: "\n          ")
            say(text)
            if recording {
                do { try Self.record(f, configuration: configuration) } catch { say("cannot record: \(error)") }
            }
            Issue.record("ggd CLI fuzz finding: \(f.outcome.problems.joined(separator: "; "))\n  token: \(f.token)\n  \(f.input)\n  stderr:\n\(f.outcome.stderrTail)")
        }
        if recording && !findings.isEmpty { say("recorded under \(Self.regressionsFolder.path)") }
        #expect(ran > 0)
    }
}

