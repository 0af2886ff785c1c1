import ArgumentParser
import FaultInjection
import Foundation
import PropertyEngine
import Properties
import Experiments
import Diffusion
import Backends
import ScoreNetwork

/// `ggd check`: runs the catalog of the paper's claims as properties.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the catalog of the paper's claims as properties (exact, statistical, rate).",
        discussion: """
            Profiles: ci (fixed seed, small budgets) and full (fresh random seed, large budgets). The run's false-fail
            rate (1e-3) is split over the statistical and rate properties and controlled with Holm within each.
            Failures are shrunk to a minimal case and printed with a one-line replay token; they are kept under
            Properties/Regressions/ and replayed first on every run.

            Spread a run over machines with --shard i/N (a deterministic share of the cases) and combine the
            shards' results with `ggd merge`, which applies the verdicts only then.

            With --network FILE the run judges a learned model instead of the library: the model-quality family
            (M-outliers: no draw beyond twice the data's largest norm; M-offspan: mean r_off at most the paper's
            0.039; M-law: projected CDFs, mean and covariance against the exact score's law) on the checkpoint's
            unguided draws in the paper's linear setting (f₁ with θ₂). Its failures are the model's, so they are
            not kept as regressions. --model-quality exact|linear runs the same family on a closed-form score.

            Examples:
              ggd check                                  # the whole catalog, ci profile
              ggd check --profile full --out full.json   # fresh seed, large budgets
              ggd check --property T1 --property L3-rate
              ggd check --replay 'ggd1:T1:16:0.0:AQID'
              ggd check --shard 0/4 --out shard0.json
              ggd check --network mlp.ckpt --profile full  # is this network good enough to report on?
              ggd check --model-quality linear             # the same family on the fitted linear score
            """
    )

    @Option(name: .long, help: "ci or full.")
    var profile = "ci"

    @Option(name: .long, help: "The generation seed (default: fixed for ci, fresh for full).")
    var seed: UInt64?

    @Option(name: .customLong("property"), help: ArgumentHelp("Run only this property (repeatable).", valueName: "id"))
    var properties: [String] = []

    @Option(name: .long, help: ArgumentHelp("Run a deterministic share of the cases: i/N.", valueName: "i/N"))
    var shard: String?

    @Option(name: .long, help: ArgumentHelp("Reproduce one case from its replay token.", valueName: "token"))
    var replay: String?

    @Option(name: .long, help: ArgumentHelp("Override a budget: ID=CASES,EFFORT (repeatable).", valueName: "spec"))
    var budget: [String] = []

    @Option(name: .long, help: ArgumentHelp("Run with one deliberate fault switched on (ggd mutants --list names them), to see a property fail, shrink and replay; found failures are then not stored.", valueName: "name"))
    var mutant: String?

    @Option(name: .long, help: ArgumentHelp("Where found failures are kept and replayed from.", valueName: "folder"))
    var regressions = Self.defaultRegressions
    static let defaultRegressions = "Properties/Regressions"

    @Flag(name: .long, help: "Do not replay or store found failures.")
    var noRegressions = false

    @Option(name: .long, help: ArgumentHelp("Write the results as JSON (written atomically).", valueName: "file"))
    var out: String?

    @Flag(name: .long, help: "List the catalog and exit.")
    var list = false

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Judge this trained ε-network (from ggd train) with the model-quality family instead of running the catalog.", valueName: "file"))
    var network: String?

    @Option(name: .customLong("model-quality"), help: ArgumentHelp("Run the model-quality family on a closed-form score instead: exact (must pass), or linear (the class fitted to 65536 pre-training points: passes at ci; at full M-law resolves the fit's estimation error).", valueName: "score"))
    var modelQualityScore: ScoreChoice?

    /// Whether this run judges a model (--network or --model-quality) rather than the library.
    var judgesAModel: Bool { network != nil || modelQualityScore != nil }

    @OptionGroup var safety: SafetyOptions

    func validate() throws {
        guard profile == "ci" || profile == "full" else { throw ValidationError("--profile must be ci or full, got '\(profile)'") }
        try MutantOption.validate(mutant)
        if network != nil && modelQualityScore != nil {
            throw ValidationError("--network and --model-quality each name the model to judge: give one")
        }
        if judgesAModel {
            let conflicting = [("--mutant", mutant != nil), ("--shard", shard != nil), ("--regressions", regressions != Self.defaultRegressions)].filter(\.1).map(\.0)
            if !conflicting.isEmpty {
                throw ValidationError("\(network != nil ? "--network" : "--model-quality") judges a model, not the library: it cannot be combined with \(conflicting.joined(separator: ", "))")
            }
        }
        if let shard {
            do { _ = try Shard(parsing: shard) } catch { throw ValidationError("--shard: \(error)") }
        }
        if let replay {
            do { _ = try ReplayToken(parsing: replay) } catch { throw ValidationError("--replay: \(error)") }
            let ignored = [("--shard", shard != nil), ("--out", out != nil), ("--budget", !budget.isEmpty), ("--property", !properties.isEmpty),
                           ("--seed", seed != nil), ("--list", list)].filter(\.1).map(\.0)
            if !ignored.isEmpty {
                throw ValidationError("--replay reruns the one case its token names and prints it; it cannot be combined with \(ignored.joined(separator: ", "))")
            }
        }
        if judgesAModel {
            for spec in budget {
                let (id, _) = try Self.parseBudget(spec)
                guard ModelQuality.ids.contains(id) else { throw ValidationError("--budget names '\(id)', which is not a model-quality property (\(ModelQuality.ids.joined(separator: ", ")))") }
            }
            for id in properties where !ModelQuality.ids.contains(id) {
                throw ValidationError("unknown --property '\(id)' with \(network != nil ? "--network" : "--model-quality") (the model-quality properties: \(ModelQuality.ids.joined(separator: ", ")))")
            }
            return
        }
        let catalog = Catalog.properties()
        for spec in budget {
            let (id, b) = try Self.parseBudget(spec)
            guard let property = catalog.first(where: { $0.id == id }) else { throw ValidationError("--budget names unknown property '\(id)' (see ggd check --list)") }
            guard b.effort <= property.maximumEffort else {
                throw ValidationError("--budget \(spec): effort is at most \(property.maximumEffort) for \(id)")
            }
        }
        for id in properties where !catalog.contains(where: { $0.id == id }) {
            throw ValidationError("unknown --property '\(id)' (see ggd check --list)")
        }
    }

    /// The model-quality family for the model of --network or --model-quality, in the paper's linear setting.
    func modelFamily() throws -> [any CatalogProperty]? {
        guard judgesAModel else { return nil }
        let experiment = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        guard let data = experiment.subspace else { throw ValidationError("the paper's linear setting has no subspace law") }
        let name: String, model: any ScoreModel
        if let network {
            let (state, _) = try NetworkCheckpoints.load(network, option: "--network", for: experiment)
            (name, model) = ("network \((network as NSString).lastPathComponent)", NetworkScore(network: state.network, maximumBatch: 256))
        } else {
            let choice = modelQualityScore!
            (name, model) = (choice == .exact ? "exact score" : "fitted linear score", try experiment.scoreModel(choice, pretrainingSize: 65536, seed: 1234))
        }
        return ModelQuality.properties(try ModelUnderTest(name: name, model: model, data: data, schedule: experiment.schedule,
                                                          objective: experiment.objective))
    }

    static func parseBudget(_ spec: String) throws -> (String, Budget) {
        let parts = spec.split(separator: "=")
        let numbers = parts.count == 2 ? parts[1].split(separator: ",").compactMap { Int($0) } : []
        guard parts.count == 2, numbers.count == 2, numbers[0] >= 0, numbers[1] >= 1 else {
            throw ValidationError("--budget must look like ID=CASES,EFFORT, got '\(spec)'")
        }
        guard numbers[0] <= 1_000_000 else { throw ValidationError("--budget \(spec): at most 1000000 cases") }
        return (String(parts[0]), Budget(cases: numbers[0], effort: numbers[1]))
    }

    func run() throws {
        let output = out.map { OutputFile(path: $0, force: safety.force) }
        try output?.checkDestination()
        try MutantOption.with(mutant) { try check(output: output) }
    }

    func check(output: OutputFile?) throws {
        let catalog = try modelFamily() ?? Catalog.properties()
        let familySize = judgesAModel ? ModelQuality.familySize : Catalog.familySize
        if list {
            for p in catalog { print("\(p.id.padding(toLength: 15, withPad: " ", startingAt: 0)) \(p.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(p.title)") }
            return
        }
        // A mutant's failures are not regressions of the real implementation: never stored (nor replayed).
        let store = noRegressions || mutant != nil || judgesAModel ? nil : RegressionStore(directory: regressions)
        if let replay {
            let token = try ReplayToken(parsing: replay)
            guard let property = catalog.first(where: { $0.id == token.property }) else {
                throw PropertyError.unknownProperty(token.property + (!judgesAModel && ModelQuality.ids.contains(token.property) ? " (a model-quality property: replay it with --network FILE or --model-quality SCORE)" : ""))
            }
            try token.check(for: property)
            let (result, fails) = Runner.replay(token, property: property)
            print("property \(property.id) (\(property.kind.rawValue)): \(property.title)")
            print("setting: \(result.setting)")
            if let e = result.evidence { print("evidence: \(CheckReport.describe(e))") }
            if let error = result.error { print("error: \(error)") }
            print(fails ? "FAILS (threshold \(token.threshold))" : "passes (threshold \(token.threshold))")
            if fails { throw ExitCode(1) }
            return
        }
        var profileValue = try Profile.named(profile, seed: seed)
        for spec in budget {
            let (id, b) = try Self.parseBudget(spec)
            profileValue.overrides[id] = b
        }
        let selected = properties.isEmpty ? catalog : properties.compactMap { id in catalog.first(where: { $0.id == id }) }
        let shardValue = try shard.map(Shard.init(parsing:)) ?? .all
        let runner = Runner(profile: profileValue, familySize: familySize, shard: shardValue, store: store,
                            progress: quiet ? nil : { note("· " + $0, quiet: false) })
        note("ggd check: profile \(profileValue.name), seed \(profileValue.seed), shard \(shardValue), \(network.map { "the network " + $0 } ?? modelQualityScore.map { "the \($0.rawValue) score's model quality" } ?? mutant.map { "mutant " + $0 } ?? "the real implementation")", quiet: quiet)
        var results = [PropertyResult]()
        for p in selected { results.append(runner.run(p)) }
        let run = RunResults(toolVersion: ToolVersion.string, profile: profileValue.name, seed: profileValue.seed,
                             falseFailRate: profileValue.falseFailRate, familySize: familySize, shard: shardValue.description,
                             properties: results, subject: network.map { "network:" + $0 } ?? modelQualityScore.map { "score:" + $0.rawValue } ?? MutantOption.subject(mutant))
        print(CheckReport.text(run))
        try output?.write(run.encoded())
        if run.passed == false { throw ExitCode(1) }
    }
}

/// `ggd merge`: combines sharded results and applies the verdicts.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the results of `ggd check --shard i/N` runs and apply the verdicts.",
        discussion: "Family-wise error control and shrinking happen here, on all cases together, so the verdicts equal a single machine's."
    )

    @Argument(help: ArgumentHelp("Results files of every shard.", valueName: "files"))
    var files: [String]

    @Option(name: .long, help: ArgumentHelp("Write the merged results as JSON.", valueName: "file"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("The deliberate fault the shards ran with (ggd check --mutant), so failures are shrunk against it.", valueName: "name"))
    var mutant: String?

    @Option(name: .long, help: ArgumentHelp("Where found failures are kept.", valueName: "folder"))
    var regressions = "Properties/Regressions"

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    @OptionGroup var safety: SafetyOptions

    func validate() throws { try MutantOption.validate(mutant) }

    func run() throws {
        let output = out.map { OutputFile(path: $0, force: safety.force) }
        try output?.checkDestination()
        let subject = MutantOption.subject(mutant)
        let parts = try files.map { path -> RunResults in
            let data = try InputFiles.read(path, maximumBytes: 64 << 20)
            do { return try RunResults.decoded(data) } catch { throw SettingError("\(path): \(error)") }
        }
        if let other = parts.first(where: { ($0.subject ?? "reference") != subject }) {
            let named = MutantOption.option(for: other.subject)
            throw SettingError("the shards ran against \(other.subject ?? "reference"), not \(subject); \(named) so that failures are shrunk against the same implementation")
        }
        let merged = try MutantOption.with(mutant) {
            try ShardMerge.merge(parts, catalog: Catalog.properties(), store: mutant == nil ? RegressionStore(directory: regressions) : nil,
                                 progress: quiet ? nil : { note("· " + $0, quiet: false) })
        }
        print(CheckReport.text(merged))
        try output?.write(merged.encoded())
        if merged.passed == false { throw ExitCode(1) }
    }
}

/// Human-readable summaries of property results.
enum CheckReport {
    static func describe(_ e: Evidence) -> String {
        switch e.kind {
        case .exact:
            return String(format: "measured %.3g (tolerance %.3g) — %@", e.measured ?? .nan, e.tolerance ?? .nan, e.note)
        case .statistical:
            return String(format: "p = %.3g — %@", e.pValue ?? .nan, e.note)
        case .rate:
            return String(format: "slope %.3f, 99%% CI [%.3f, %.3f], claimed %.2f, p = %.3g — %@", e.slope ?? .nan, e.slopeLower ?? .nan,
                          e.slopeUpper ?? .nan, e.claimedRate ?? .nan, e.pValue ?? .nan, e.note)
        }
    }

    static func text(_ run: RunResults) -> String {
        var lines = ["profile \(run.profile), seed \(run.seed), shard \(run.shard), false-fail rate \(run.falseFailRate) over \(run.familySize) statistical/rate properties"]
        for p in run.properties {
            let verdict = p.passed.map { $0 ? "pass" : "FAIL" } ?? "pending (merge)"
            lines.append(String(format: "%@ %@ %@ — %d cases, %.1f s — %@", verdict.padding(toLength: 5, withPad: " ", startingAt: 0),
                                p.id.padding(toLength: 15, withPad: " ", startingAt: 0), p.kind.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0),
                                p.cases.count, p.seconds, p.title))
            for f in p.failures.prefix(1) {
                lines.append("  property: \(p.id) — \(p.claim)")
                lines.append("  shrunk setting: \(f.shrunkSetting) (after \(f.shrinkEvaluations) shrink evaluations)")
                if let e = f.shrunkEvidence { lines.append("  measured: \(describe(e))") }
                if let error = f.error { lines.append("  error: \(error)") }
                let network = run.subject.flatMap { s -> String? in
                    if s.hasPrefix("network:") { return " --network '" + s.dropFirst("network:".count) + "'" }
                    if s.hasPrefix("score:") { return " --model-quality " + s.dropFirst("score:".count) }
                    return nil
                } ?? ""
                lines.append("  replay: ggd check\(network) --replay '\(f.token)'")
            }
            if p.failures.count > 1 { lines.append("  (+\(p.failures.count - 1) more failing cases in the results)") }
        }
        if let passed = run.passed { lines.append(passed ? "all properties pass" : "SOME PROPERTIES FAIL") }
        return lines.joined(separator: "\n")
    }

}

/// `--mutant` of check and merge: the fault to run with (through `FaultHook`, as `ggd mutants` does).
enum MutantOption {
    static func validate(_ name: String?) throws {
        guard let name else { return }
        guard Fault(rawValue: name) != nil else { throw ValidationError("unknown --mutant '\(name)' (ggd mutants --list names them)") }
    }

    /// `body` with the fault on (or plainly when none is named).
    static func with<R>(_ name: String?, _ body: () throws -> R) throws -> R {
        guard let name, let fault = Fault(rawValue: name) else { return try body() }
        return try FaultHook.inject(fault, acknowledging: FaultHook.acknowledgement, during: body)
    }

    /// What a results file records as the implementation checked.
    static func subject(_ name: String?) -> String { name.map { "mutant:" + $0 } ?? "reference" }

    /// The option that reproduces a recorded subject.
    static func option(for subject: String?) -> String {
        if let s = subject, s.hasPrefix("network:") || s.hasPrefix("score:") { return "merge does not take a model's run (ggd check --network and --model-quality run unsharded)" }
        guard let s = subject, s.hasPrefix("mutant:") else { return "run merge without --mutant" }
        return "pass --mutant \(s.dropFirst("mutant:".count))"
    }
}
