import ArgumentParser
import Experiments
import Foundation
import Crosscheck
import FaultInjection
import PropertyEngine
import TheoryReport
import Properties

/// `ggd mutants`: the catalog against each deliberate fault, and which properties catch which.
struct MutantsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mutants",
        abstract: "Run the catalog against each of the mutants (deliberate faults) and print the kill matrix.",
        discussion: """
            Each mutant is a plausible bug in the reference implementation (a flipped sign, an off-by-one in ᾱ, a
            transposed VJP, …), switched on at run time through one hook that is inert in every other command.
            A property kills a mutant when it fails with the fault on; so does a seam probe (probe:adam), which
            holds a compute seam the catalog makes no claim about to an oracle on every backend. Prints the kill
            matrix, the kill rate over the non-equivalent mutants and every survivor with its explanation. Exits
            1 when the kill rate is below the profile's target (80% ci, 95% full) or a survivor has no explanation.

            --coverage asks a different question: does each fault whose site is a formula the backends share
            (the DDPM step and its noise, β, G_loss, Adam) reach every backend alike? Each is run through its
            seam on the host path, the resident OpenBLAS and reference kernels and the CUDA source built for this
            CPU (with clang++), with the fault off and on. Exits 1 when a fault leaves a backend unchanged or the
            backends of one precision disagree with it on.

            Examples:
              ggd mutants                                  # ci profile, every mutant (about a minute)
              ggd mutants --profile full --json mutants.json
              ggd mutants --mutant gloss-sign-flipped --property T1
              ggd mutants --coverage                       # every compute fault on every backend (seconds)
              ggd mutants --list
            """
    )

    @Option(name: .long, help: "ci or full.")
    var profile = "ci"

    @Option(name: .long, help: "The catalog's seed (default: fixed for ci, fresh for full).")
    var seed: UInt64?

    @Option(name: .customLong("mutant"), help: ArgumentHelp("Run only this mutant (repeatable).", valueName: "name"))
    var mutants: [String] = []

    @Option(name: .customLong("property"), help: ArgumentHelp("Run only this property (repeatable).", valueName: "id"))
    var properties: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write the results as JSON (atomically).", valueName: "file"))
    var json: String?

    @Flag(name: .long, help: "List the mutants and exit.")
    var list = false

    @Flag(name: .long, help: "Check that each compute fault reaches every backend alike, instead of running the catalog.")
    var coverage = false

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    @OptionGroup var safety: SafetyOptions

    func validate() throws {
        guard profile == "ci" || profile == "full" else { throw ValidationError("--profile must be ci or full, got '\(profile)'") }
        for m in mutants where Fault(rawValue: m) == nil {
            throw ValidationError("unknown --mutant '\(m)' (ggd mutants --list names them)")
        }
        let ids = Set(Catalog.properties().map(\.id) + SeamProbe.all.map(\.id))
        for p in properties where !ids.contains(p) {
            throw ValidationError("unknown --property '\(p)' (see ggd check --list)")
        }
    }

    func run() throws {
        if list {
            for f in Fault.allCases { print(f.rawValue.padding(toLength: 34, withPad: " ", startingAt: 0) + f.summary + "  [" + f.site + "]") }
            return
        }
        let faults = mutants.isEmpty ? Fault.allCases : mutants.compactMap(Fault.init(rawValue:))
        let output = json.map { OutputFile(path: $0, force: safety.force) }
        try output?.checkDestination()
        if coverage {
            var result = try FaultCoverage.run(faults: faults) { note("· " + $0, quiet: quiet) }
            result.toolVersion = ToolVersion.string
            print(result.table())
            if json != nil { try output?.write(try prettyJSON(result)) }
            if !result.covered { throw ExitCode(1) }
            return
        }
        // Properties run side by side, one per core: BLAS threads of their own would only contend.
        BLASEnvironment.setThreads(1)
        var result = try MutationTesting.run(profile: try Profile.named(profile, seed: seed), faults: faults,
                                             propertyIDs: properties.isEmpty ? nil : properties) { note("· " + $0, quiet: quiet) }
        result.toolVersion = ToolVersion.string
        print(result.matrix())
        if json != nil { try output?.write(try prettyJSON(result)) }
        let complete = mutants.isEmpty && properties.isEmpty
        if complete && (result.killRate < MutationTesting.target(profile: profile) || !result.unexplainedSurvivors.isEmpty) { throw ExitCode(1) }
    }
}

/// `ggd calibrate`: how often the correct implementation fails the statistical and rate properties.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Measure the false-fail rate of every property (exact, statistical, rate) on the correct implementation.",
        discussion: """
            Runs every property --runs times with fresh seeds, the statistical and rate ones at a family-wise --level
            (split over them and controlled with Holm as in every run), and prints the observed false-fail rate of
            each and of the family with a 95% Clopper–Pearson interval beside the nominal rate (0 for an exact claim). The catalog itself runs at
            0.001, where false fails are too rare to count in minutes (3000 clean runs are needed before the 95%
            upper bound falls below it); the default level 0.2 makes them countable. Exits 1 when the family's
            interval lies wholly above the nominal rate (more false fails than promised), or when an exact claim failed.

            A long calibration runs in chunks (--seed, --json) joined by --combine. Each row counts only chunks that
            ran the property's current revision (a property's revision rises when a change could move its verdicts),
            so after such a change only that property needs new runs (--property), over the same seeds; the family
            row joins chunks seed by seed through their records of failed runs.

            Examples:
              ggd calibrate --runs 100
              ggd calibrate --runs 3000 --level 0.001    # the catalog's own level (about an hour)
              ggd calibrate --profile full --runs 20 --seed 4001 --property S0-law --json s0-4001.json
              ggd calibrate --combine seeds-*.json s0-*.json --json combined.json
            """
    )

    @Option(name: .long, parsing: .unconditional, help: "Runs with fresh seeds.")
    var runs = 100

    @Option(name: .long, parsing: .unconditional, help: "Family-wise level of each run.")
    var level = 0.2

    @Option(name: .long, help: "ci or full budgets.")
    var profile = "ci"

    @Option(name: .long, help: "The first run's seed (the others follow); fresh by default.")
    var seed: UInt64?

    @Option(name: .customLong("property"), help: ArgumentHelp("Run only this property (repeatable; its id, e.g. S0-law); default: the whole catalog.", valueName: "id"))
    var properties: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write the results as JSON (atomically).", valueName: "file"))
    var json: String?

    @Option(name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("Run nothing: combine these calibrate --json files (same profile and level; a property's seeds disjoint) into one table for the catalog as it is now.", valueName: "file"))
    var combine: [String] = []

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    @OptionGroup var safety: SafetyOptions

    func validate() throws {
        guard runs >= 1 && runs <= 1_000_000 else { throw ValidationError("--runs must be between 1 and 1000000, got \(runs)") }
        guard level > 0 && level < 1 else { throw ValidationError("--level must lie in (0, 1), got \(level)") }
        guard profile == "ci" || profile == "full" else { throw ValidationError("--profile must be ci or full, got '\(profile)'") }
        guard combine.isEmpty || properties.isEmpty else { throw ValidationError("--property chooses what to run; --combine runs nothing") }
        let ids = Catalog.properties().map(\.id)
        for id in properties where !ids.contains(id) {
            throw ValidationError("--property: no property '\(id)' in the catalog (its properties: \(ids.joined(separator: ", ")))")
        }
    }

    func run() throws {
        let output = json.map { OutputFile(path: $0, force: safety.force) }
        try output?.checkDestination()
        if !combine.isEmpty {
            var result = try Calibration.combined(try combine.map { path in
                let data = try InputFiles.read(path)
                let decoder = JSONDecoder()
                decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
                do { return try decoder.decode(Calibration.self, from: data) } catch {
                    throw ReportError.invalid("'\(path)' is not a ggd calibrate --json file (\(error))")
                }
            })
            result.toolVersion = ToolVersion.string
            print(result.table())
            if json != nil { try output?.write(try prettyJSON(result, nonFinite: true)) }
            if let family = result.family, !family.consistent { throw ExitCode(1) }
            if !result.exactFalseFailures.isEmpty { throw ExitCode(1) }
            return
        }
        // Runs go side by side, one per core: BLAS threads of their own would only contend (measured on a full
        // catalog run: 82 s of CPU with two BLAS threads, 68 s with one, and no system time spinning).
        BLASEnvironment.setThreads(1)
        var result = try Calibration.run(runs: runs, level: level, profileName: profile, firstSeed: seed,
                                         only: properties.isEmpty ? nil : properties) { note("· " + $0, quiet: quiet) }
        result.toolVersion = ToolVersion.string
        print(result.table())
        if json != nil { try output?.write(try prettyJSON(result, nonFinite: true)) }
        if let family = result.family, !family.consistent { throw ExitCode(1) }
        if !result.exactFalseFailures.isEmpty { throw ExitCode(1) }
    }
}

/// The `--json` files of mutants and calibrate: pretty, sorted keys; with `nonFinite`, NaN and infinities
/// written as strings (a calibration interval can be NaN when nothing was pooled).
func prettyJSON<T: Encodable>(_ value: T, nonFinite: Bool = false) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    if nonFinite { encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan") }
    return try encoder.encode(value)
}
