import ArgumentParser
import Foundation
import Experiments

/// `ggd report`: the main job — each claim of the paper beside its measurement in this run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Measure each of the paper's claims and write a theory-vs-empirics report.",
        discussion: """
            Writes index.md (a table: claim, setting, predicted, measured, verdict) and results.json (every number,
            the seed and the options) into --out (default Reports/latest). Every number is computed in the run.
            The G vs G_loss comparison runs on the paper's setting, or on --setting FILE.
            """
    )

    @OptionGroup var settingOptions: SettingOptions

    @Option(name: .long, help: "The seed every random draw is keyed by.")
    var seed: UInt64 = 1234

    @Option(name: .long, help: "Rounds of the Algorithm 1 comparison on the paper's setting.")
    var rounds = 200

    @Option(name: .long, help: ArgumentHelp("Output folder (written atomically).", valueName: "folder"))
    var out = "Reports/latest"

    @Option(name: .long, help: "Threads for BLAS.")
    var threads = 1

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        guard rounds >= 1 && rounds <= 100_000 else { throw ValidationError("--rounds must be between 1 and 100000, got \(rounds)") }
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256") }
    }

    func run() throws {
        BLASEnvironment.setThreads(threads)
        let start = Date()
        let comparison = try settingOptions.load()
        let measurements = try TheoryVsEmpirics(seed: seed, rounds: rounds, comparisonSetting: comparison) { note("· " + $0, quiet: quiet) }.measureAll()
        let wall = Date().timeIntervalSince(start)
        var md = "# Theory vs empirics\n\n"
        md += "Each claim of \"Gradient Guidance for Diffusion Models: An Optimization Perspective\" (SPEC §8) beside its measurement in this run.\n\n"
        md += "| claim | statement | setting | predicted | measured | verdict |\n|---|---|---|---|---|---|\n"
        for m in measurements {
            let cells = [m.id, m.statement, m.setting, m.predicted, m.measured, m.agrees ? "agrees" : "**disagrees**"]
            md += "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        md += "\n## Provenance\n\n- tool version: \(ToolVersion.string)\n- seed: \(seed)\n- rounds (Algorithm 1 comparison): \(rounds)\n"
        md += "- BLAS threads: \(threads)\n" + String(format: "- wall time: %.1f s\n", wall)
        md += "- comparison setting: \(comparison.setting.origin)\n"
        md += "- rerun: `ggd report --seed \(seed) --rounds \(rounds)`\n"
        let object: [String: Any] = [
            "tool_version": ToolVersion.string, "seed": seed, "rounds": rounds, "threads": threads,
            "comparison_setting": SettingFile.jsonObject(comparison.setting),
            "claims": measurements.map { m in
                ["id": m.id, "statement": m.statement, "setting": m.setting, "predicted": m.predicted, "measured": m.measured,
                 "agrees": m.agrees, "numbers": m.numbers.mapValues { ResultEncoding.number($0) }] as [String: Any]
            },
        ]
        var output = AtomicOutput(directory: out)
        output.add("index.md", text: md)
        output.add("results.json", text: try ResultEncoding.json(object))
        try output.commit()
        print(md)
        note("wrote \(out)/index.md and results.json", quiet: quiet)
        if measurements.contains(where: { !$0.agrees }) { throw ExitCode(1) }
    }
}
