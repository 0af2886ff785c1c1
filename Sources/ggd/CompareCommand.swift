import ArgumentParser
import Foundation
import TheoryReport
import Experiments

/// `ggd compare BASE NEW`: the regression gate between two reports.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two reports' results.json; exit 1 on a regression.",
        discussion: """
            BASE and NEW are results.json files or report folders holding one. A regression is: a claim that passed
            in BASE and fails in NEW; a failure NEW has that BASE did not (a new replay token); a claim, metric or
            figure of BASE missing from NEW; a metric that moved by more than BASE's tolerance for it
            (|new − base| > absolute + relative·|base|, both recorded in BASE); a figure that lost its data.
            Improvements and additions are listed and never fail. Different profiles or seeds are flagged as not
            comparable.

            Example (what CI runs):
              ggd report --profile ci --out /tmp/report && ggd compare Reports/baseline /tmp/report
            """
    )

    @Argument(help: ArgumentHelp("The baseline: a results.json or a report folder.", valueName: "base"))
    var base: String

    @Argument(help: ArgumentHelp("The new run: a results.json or a report folder.", valueName: "new"))
    var new: String

    func run() throws {
        let comparison = ResultsComparison(base: try Self.load(base), new: try Self.load(new))
        print(comparison.table())
        if comparison.hasRegression { throw ExitCode(1) }
    }

    static func load(_ path: String) throws -> ReportResults {
        if FilePaths.kind(of: path) == .absent { throw InputFileError(path: path, reason: "no such file or folder") }
        let file = FilePaths.kind(of: path) == .folder ? FilePaths.join(path, "results.json") : path
        let data = try InputFiles.read(file, maximumBytes: 64 << 20)
        return try ReportResults.decoded(data, source: file)
    }
}
