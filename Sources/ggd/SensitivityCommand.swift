import ArgumentParser
import Experiments
import Foundation
import FaultInjection
import PropertyEngine
import TheoryReport
import Properties

/// `ggd sensitivity`: how small an error of each graded kind the catalog catches.
struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Run the catalog against graded faults of growing size and print the smallest size each profile detects.",
        discussion: """
            A graded fault puts one formula of the reference implementation off by ε: the DDPM step's noise sd
            times 1 + ε (noise-scale), every look-ahead βₜ times 1 + ε (beta-scale), the guidance target y + ε
            (target-shift), c₁'s ᾱₜ₋₁ moved towards ᾱₜ by ε (alpha-bar-interpolation). For each fault the whole
            catalog runs at each --size, smallest first, until some property fails; the table gives the smallest ε
            detected, by which properties, and the largest ε that passed. Faults are switched through the same
            hook as the mutants and are inert in every other command. Exits 0 whatever is detected: the table is
            the result (ggd mutants is the pass/fail gate).

            Examples:
              ggd sensitivity                                   # ci profile, every graded fault (about a minute)
              ggd sensitivity --profile full --fault noise-scale --size 0.02
              ggd sensitivity --fault beta-scale --size 0.01 --size 0.1 --json beta.json
              ggd sensitivity --list
            """
    )

    @Option(name: .long, help: "ci or full.")
    var profile = "ci"

    @Option(name: .long, help: "The catalog's seed (default: fixed for ci, fresh for full).")
    var seed: UInt64?

    @Option(name: .customLong("fault"), help: ArgumentHelp("Run only this graded fault (repeatable).", valueName: "name"))
    var faults: [String] = []

    @Option(name: .customLong("size"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("A size ε to try (repeatable; default: each fault's own scan, ggd sensitivity --list).", valueName: "ε"))
    var sizes: [Double] = []

    @Option(name: .customLong("property"), help: ArgumentHelp("Run only this property (repeatable).", valueName: "id"))
    var properties: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write the results as JSON (atomically).", valueName: "file"))
    var json: String?

    @Flag(name: .long, help: "List the graded faults and exit.")
    var list = false

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    @OptionGroup var safety: SafetyOptions

    func validate() throws {
        guard profile == "ci" || profile == "full" else { throw ValidationError("--profile must be ci or full, got '\(profile)'") }
        for f in faults where GradedFault(rawValue: f) == nil {
            throw ValidationError("unknown --fault '\(f)' (ggd sensitivity --list names them)")
        }
        for s in sizes where !(s.isFinite && s > 0 && s <= 10) {
            throw ValidationError("--size must be a number in (0, 10], got \(s)")
        }
        let ids = Set(Catalog.properties().map(\.id))
        for p in properties where !ids.contains(p) {
            throw ValidationError("unknown --property '\(p)' (see ggd check --list)")
        }
    }

    func run() throws {
        if list {
            for f in GradedFault.allCases {
                print(f.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0) + f.summary + "  [" + f.site + "]  sizes "
                      + f.defaultSizes.map { String(format: "%g", $0) }.joined(separator: ", "))
            }
            return
        }
        let output = json.map { OutputFile(path: $0, force: safety.force) }
        try output?.checkDestination()
        // Properties run side by side, one per core: BLAS threads of their own would only contend.
        BLASEnvironment.setThreads(1)
        var result = try Sensitivity.run(profile: try Profile.named(profile, seed: seed),
                                         faults: faults.isEmpty ? GradedFault.allCases : faults.compactMap(GradedFault.init(rawValue:)),
                                         sizes: sizes.isEmpty ? nil : Array(Set(sizes)).sorted(), propertyIDs: properties.isEmpty ? nil : properties) { note("· " + $0, quiet: quiet) }
        result.toolVersion = ToolVersion.string
        print(result.table())
        if json != nil { try output?.write(try prettyJSON(result)) }
    }
}
