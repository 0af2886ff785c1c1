import Foundation
import Testing

/// "Nothing crashes": every subcommand × setting kind (subspace Gaussian, subspace mixture, sphere; JSON and
/// .npz; the paper's defaults) × model (exact, linear, network) × guidance (none, naive, lookahead) × sampler
/// (ddpm, continuous) × backend, on a tiny case, as a subprocess. Each must succeed (exit 0, or 1 where 1 is
/// a verdict) with a complete output, or fail cleanly: a documented status, exactly one error line that names
/// the problem, and no output left behind. Combinations that are invalid by design are kept: they must be
/// refused. See `CommandMatrix` for the matrix and the rule.
///
/// CI (the default) runs every invalid, backend and single-command case and a fixed half of the valid
/// sample/optimize/law combinations, two at a time; `GGD_TEST_PROFILE=full` runs all of it (and the slow
/// OpenBLAS cross-checks). `GGD_MATRIX_JOBS` changes the parallelism.
@Suite(.serialized) struct CommandMatrixTests {
    static let timeout: Double = 60

    @Test func nothingCrashes() throws {
        let started = Date()
        let full = CommandMatrix.fullProfile
        let jobs = ProcessInfo.processInfo.environment["GGD_MATRIX_JOBS"].flatMap(Int.init) ?? 2
        let root = try CommandRunner.temporaryDirectory()

        // Fixtures: the tiny settings, one network per setting kind, and two check shards for merge.
        let settings = try CommandMatrix.writeSettings(into: root)
        let (fixtureRuns, networks, shards) = CommandMatrix.fixtureRuns(settings: settings, root: root)
        let fixtureOutcomes = CommandMatrix.execute(fixtureRuns, root: root, folder: "fixture-runs", jobs: jobs, timeout: Self.timeout)
        let brokenFixtures = fixtureOutcomes.filter { !$0.succeeded || !$0.problems.isEmpty }
        for o in brokenFixtures { Issue.record(Comment(rawValue: "fixture failed: " + CommandMatrix.report(o))) }
        let fixtures = CommandMatrix.Fixtures(root: root, settings: settings, networks: networks, shards: shards,
                                              baselineReport: CommandMatrix.baselineReport(),
                                              someJSON: root.appendingPathComponent("fixtures/subspace.json").path)

        let matrix = CommandMatrix.runs(fixtures)
        let chosen = CommandMatrix.selected(matrix, full: full)
        let outcomes = CommandMatrix.execute(chosen, root: root, folder: "runs", jobs: jobs, timeout: Self.timeout)
        let offenders = outcomes.filter { !$0.problems.isEmpty }
        let seconds = Date().timeIntervalSince(started)

        // The numbers for the record, whether or not anything failed.
        let succeeded = outcomes.filter { $0.succeeded && $0.problems.isEmpty }.count
        let cleanFailures = outcomes.filter { !$0.succeeded && $0.problems.isEmpty }.count
        var perCommand: [String: (ran: Int, ok: Int, clean: Int, bad: Int)] = [:]
        for o in outcomes {
            var c = perCommand[o.run.command.isEmpty ? "ggd" : o.run.command] ?? (0, 0, 0, 0)
            c.ran += 1
            if !o.problems.isEmpty { c.bad += 1 } else if o.succeeded { c.ok += 1 } else { c.clean += 1 }
            perCommand[o.run.command.isEmpty ? "ggd" : o.run.command] = c
        }
        let slowest = outcomes.max { $0.seconds < $1.seconds }
        var summary = """
            CommandMatrixTests: profile \(full ? "full" : "ci"), matrix \(matrix.count) invocations (+\(fixtureRuns.count) fixture runs), \
            ran \(outcomes.count) with \(jobs) at a time: \(succeeded) succeeded, \(cleanFailures) failed cleanly, \(offenders.count) misbehaved; \
            wall time \(String(format: "%.1f", seconds)) s\(slowest.map { String(format: " (slowest %.1f s: %@)", $0.seconds, $0.run.label) } ?? "")
            """
        for (command, c) in perCommand.sorted(by: { $0.key < $1.key }) {
            summary += "\n  \(command.padding(toLength: 11, withPad: " ", startingAt: 0)) ran \(c.ran), succeeded \(c.ok), failed cleanly \(c.clean), misbehaved \(c.bad)"
        }
        if !offenders.isEmpty || !brokenFixtures.isEmpty { summary += "\n  runs kept in \(root.path)" }
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        // GGD_MATRIX_LOG=FILE: every outcome, one tab-separated line each (label, status, seconds, verdict, error line).
        if let log = ProcessInfo.processInfo.environment["GGD_MATRIX_LOG"] {
            let lines = outcomes.map { o in
                let error = o.stderr.split(separator: "\n").first { CommandMatrix.errorLine($0) != nil }.map(String.init) ?? ""
                let verdict = !o.problems.isEmpty ? "MISBEHAVED: " + o.problems.joined(separator: " | ") : o.succeeded ? "ok" : "clean failure"
                return [o.run.label, o.timedOut ? "timeout" : o.signaled ? "signal \(o.status)" : "\(o.status)",
                        String(format: "%.2f", o.seconds), verdict, error, o.commandLine].joined(separator: "\t")
            }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: log))
        }

        // One readable bug report per offending invocation (the first 60; the rest by command line).
        let shown = 60
        for o in offenders.prefix(shown) { Issue.record(Comment(rawValue: CommandMatrix.report(o))) }
        if offenders.count > shown {
            Issue.record(Comment(rawValue: "\(offenders.count - shown) more misbehaving invocations:\n"
                                 + offenders.dropFirst(shown).map { "  \($0.run.label): \($0.problems.first ?? "")\n    \($0.commandLine)" }
                                     .joined(separator: "\n")))
        }
        if offenders.isEmpty && brokenFixtures.isEmpty { try? FileManager.default.removeItem(at: root) }
    }
}
