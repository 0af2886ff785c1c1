import Backends
import PropertyEngine
import Reproduction

/// What a report run measures and with which seeds. Two profiles, as for `ggd check`:
/// `ci` (the catalog's fixed seed and small budgets, the reproduction at a fifth of the paper's rounds,
/// about a minute) and `full` (a fresh catalog seed, large budgets, the paper's round counts).
public struct ReportConfiguration: Sendable {
    public var profile: Profile
    /// The seed of the reproduction section (the paper's first seed by default).
    public var studySeed: UInt64
    /// The reproduction section's seeds: `studySeed` alone for `ci`; for `full` the paper's five (1234,
    /// 2345, 3456, 4567, 5678), each number then judged on its interval over the seeds.
    public var studySeeds: [UInt64]
    /// Multiplier on the paper's round counts in the reproduction section.
    public var roundScale: Double
    /// Found failures are replayed from (and new ones kept in) this folder; nil: none.
    public var regressionsDirectory: String?
    /// Draws of the projected-CDF figure.
    public var lawDraws: Int
    /// Run the mutation tests for the "How much to trust this report" section.
    public var mutants: Bool
    /// Run the sensitivity scan of the graded faults for that section.
    public var sensitivity: Bool
    /// Calibration runs for that section (0: none), at family-wise level `calibrationLevel`.
    public var calibrationRuns: Int
    public var calibrationLevel: Double
    /// Where the reproduction's and the law figure's samplers run (nil: the host path). The catalog's
    /// properties hold the shipped formulas on the host, where their exact laws are computed.
    public var backend: BackendChoice?
    /// The learned networks trained and judged in the run (nil: none): at both profiles the sweep's width
    /// 512 (mlp-512x4-v with EMA 0.999 and the paper's mlp-512x4), 20 epochs on 65536 points, as `ggd train`.
    public var networks: NetworkQualityMeasurement.Plan?
    /// Rerun the whole reproduction (every seed of `studySeeds`, `roundScale`) with the chosen network as
    /// well (`full` by default: hours on two cores; `ci` judges the networks only).
    public var networkStudy: Bool
    /// The guidance methods side by side (nil: left out): K = 40 rounds for ci, 200 for full.
    public var methods: MethodsComparison.Options?

    /// Which learned networks a run trains: the profile's (width 512, the sweep's networks), none, or a plan.
    public enum NetworkSelection: Sendable {
        case profileDefault
        case none
        case plan(NetworkQualityMeasurement.Plan)
    }

    public init(profile: Profile, studySeed: UInt64 = 1234, roundScale: Double? = nil, regressionsDirectory: String? = nil,
                lawDraws: Int? = nil, mutants: Bool = true, sensitivity: Bool = true, calibrationRuns: Int? = nil, calibrationLevel: Double = 0.2,
                backend: BackendChoice? = nil, networks: NetworkSelection = .profileDefault, networkStudy: Bool? = nil,
                methods: Bool = true) {
        self.backend = backend
        self.profile = profile
        self.studySeed = studySeed
        self.studySeeds = profile.name == "full" && studySeed == SeedSummary.paperSeeds[0] ? SeedSummary.paperSeeds : [studySeed]
        self.roundScale = roundScale ?? (profile.name == "full" ? 1 : 0.2)
        self.regressionsDirectory = regressionsDirectory
        self.lawDraws = lawDraws ?? (profile.name == "full" ? 20_000 : 2_000)
        self.mutants = mutants
        self.sensitivity = sensitivity
        self.calibrationRuns = calibrationRuns ?? (profile.name == "full" ? 200 : 20)
        self.calibrationLevel = calibrationLevel
        self.networkStudy = networkStudy ?? (profile.name == "full")
        self.methods = methods ? MethodsComparison.Options(rounds: profile.name == "full" ? 200 : 40, seed: studySeed) : nil
        switch networks {
        case .profileDefault: self.networks = NetworkQualityMeasurement.Plan(width: 512)
        case .none: self.networks = nil
        case .plan(let plan): self.networks = plan
        }
    }
}
