/// The three kinds of property, by how a case is judged.
public enum PropertyKind: String, Codable, Sendable, CaseIterable {
    /// A tolerance per case: the measured error must not exceed it.
    case exact
    /// A p-value per case; the family's false-fail rate is controlled with Holm.
    case statistical
    /// A sweep of one parameter, a fitted log-log slope and its confidence bound held against the
    /// claimed rate (one-sided where the claim is a bound); judged through the p-value of that test.
    case rate
}

/// What one case measured: the numbers a verdict is made from, and every other number worth reporting.
public struct Evidence: Codable, Sendable, Equatable {
    public var kind: PropertyKind
    /// Exact: the measured error and its tolerance.
    public var measured: Double?
    public var tolerance: Double?
    /// Statistical and rate: the p-value of the case's test (small = evidence against the claim).
    public var pValue: Double?
    /// Rate: fitted slope, its two-sided confidence interval at `confidence`, and the claimed rate.
    public var slope: Double?
    public var slopeLower: Double?
    public var slopeUpper: Double?
    public var claimedRate: Double?
    public var confidence: Double?
    /// Further named numbers (statistics, predicted values, sizes).
    public var numbers: [String: Double]
    /// One line saying what was compared.
    public var note: String

    public static func exact(measured: Double, tolerance: Double, numbers: [String: Double] = [:], note: String) -> Evidence {
        Evidence(kind: .exact, measured: measured, tolerance: tolerance, pValue: nil, slope: nil, slopeLower: nil, slopeUpper: nil,
                 claimedRate: nil, confidence: nil, numbers: numbers, note: note)
    }

    public static func statistical(pValue: Double, numbers: [String: Double] = [:], note: String) -> Evidence {
        Evidence(kind: .statistical, measured: nil, tolerance: nil, pValue: pValue, slope: nil, slopeLower: nil, slopeUpper: nil,
                 claimedRate: nil, confidence: nil, numbers: numbers, note: note)
    }

    public static func rate(slope: Double, lower: Double, upper: Double, confidence: Double, claimed: Double, pValue: Double,
                            numbers: [String: Double] = [:], note: String) -> Evidence {
        Evidence(kind: .rate, measured: nil, tolerance: nil, pValue: pValue, slope: slope, slopeLower: lower, slopeUpper: upper,
                 claimedRate: claimed, confidence: confidence, numbers: numbers, note: note)
    }

    /// Whether an exact case passes (NaN fails); statistical and rate cases are judged by the family.
    public var exactPasses: Bool {
        guard let m = measured, let t = tolerance else { return false }
        return m <= t
    }
}

/// How much work a property does per run. `cases` is how many settings are generated; `effort` is a
/// property-specific size (samples per case, sweep length, rounds) that the property documents.
public struct Budget: Codable, Sendable, Equatable {
    public var cases: Int
    public var effort: Int
    public init(cases: Int, effort: Int) {
        self.cases = cases
        self.effort = effort
    }
}

/// A property of the catalog, with its case type erased: the engine sees choices in, evidence out.
public protocol CatalogProperty: Sendable {
    var id: String { get }
    var title: String { get }
    /// The claim in words, with its source in the paper.
    var claim: String { get }
    var kind: PropertyKind { get }
    func budget(for profile: Profile) -> Budget
    /// The largest effort a case may be run with (a replay token's or a `--budget` override's): beyond it a
    /// case would run for hours or allocate without bound.
    var maximumEffort: Int { get }
    /// Generates a case from `source` and evaluates it; returns a one-line description of the case and its evidence.
    func evaluate(_ source: ChoiceSource, effort: Int) throws -> (setting: String, evidence: Evidence)
    /// The smallest errors a case of this effort detects at false-fail rate `caseLevel` (statistical
    /// properties that state their power; nil otherwise).
    func detectableEffect(effort: Int, caseLevel: Double) throws -> DetectableEffect?
    /// The property's revision: raised whenever a change could move its verdicts (its tests, budgets or
    /// generator), so that calibrations of an earlier revision are never counted as evidence for it.
    var revision: Int { get }
}

extension CatalogProperty {
    /// No stated power (exact and rate properties, and statistical ones that do not state it).
    public func detectableEffect(effort: Int, caseLevel: Double) throws -> DetectableEffect? { nil }
    public var revision: Int { 1 }
}

/// A property over cases of type `Case`: a generator, a description, and a check.
public struct Property<Case>: CatalogProperty, @unchecked Sendable {
    public let id: String
    public let title: String
    public let claim: String
    public let kind: PropertyKind
    public let budgets: [String: Budget]
    public let maximumEffort: Int
    public let generator: Gen<Case>
    public let describe: (Case) -> String
    public let check: (Case, Int) throws -> Evidence
    /// The power side: what a case of a given effort detects at a given case level.
    public let detectable: ((_ effort: Int, _ caseLevel: Double) throws -> DetectableEffect)?
    public let revision: Int

    /// `maximumEffort` defaults to 16 times the largest budgeted effort; a property whose cost grows faster
    /// than linearly in its effort (a sweep of 2ᵏ steps) sets its own.
    public init(id: String, title: String, claim: String, kind: PropertyKind, budgets: [String: Budget], maximumEffort: Int? = nil,
                revision: Int = 1, generator: Gen<Case>, describe: @escaping (Case) -> String,
                detectable: ((_ effort: Int, _ caseLevel: Double) throws -> DetectableEffect)? = nil,
                check: @escaping (Case, Int) throws -> Evidence) {
        self.detectable = detectable
        precondition(revision >= 1, "property \(id): revisions start at 1")
        self.revision = revision
        precondition(budgets["ci"] != nil && budgets["full"] != nil, "property \(id) needs ci and full budgets")
        self.id = id
        self.title = title
        self.claim = claim
        self.kind = kind
        self.budgets = budgets
        self.maximumEffort = maximumEffort ?? 16 * max(1, budgets.values.map(\.effort).max() ?? 1)
        self.generator = generator
        self.describe = describe
        self.check = check
    }

    public func budget(for profile: Profile) -> Budget {
        profile.overrides[id] ?? budgets[profile.name] ?? budgets["full"]!
    }

    public func detectableEffect(effort: Int, caseLevel: Double) throws -> DetectableEffect? {
        try detectable?(effort, caseLevel)
    }

    public func evaluate(_ source: ChoiceSource, effort: Int) throws -> (setting: String, evidence: Evidence) {
        let c = try generator.generate(source)
        let evidence = try check(c, effort)
        guard evidence.kind == kind else {
            throw PropertyError.wrongEvidence(property: id, expected: kind, got: evidence.kind)
        }
        return (describe(c), evidence)
    }
}

public enum PropertyError: Error, CustomStringConvertible, Equatable {
    case wrongEvidence(property: String, expected: PropertyKind, got: PropertyKind)
    case unknownProperty(String)
    case badToken(String)
    case badShard(String)
    case badResults(String)

    public var description: String {
        switch self {
        case let .wrongEvidence(p, e, g): return "property \(p) is \(e.rawValue) but produced \(g.rawValue) evidence"
        case let .unknownProperty(p): return "no property named '\(p)' in the catalog"
        case let .badToken(why): return "replay token: \(why)"
        case let .badShard(why): return "shard: \(why)"
        case let .badResults(why): return "results: \(why)"
        }
    }
}
