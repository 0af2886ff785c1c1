import Foundation
import StrictJSON

/// The machine-readable half of a report (`results.json`): every verdict and every number the report
/// prints, with the settings that produced them. `ggd compare` reads two of these.
///
/// Metrics carry their own drift tolerance, so the baseline file says how much change it accepts, and a
/// newer tool can add metrics without breaking comparisons against older baselines.
public struct ReportResults: Codable, Sendable, Equatable {
    /// "ggd-report/1"; a reader refuses any other schema.
    public var schema: String
    public var provenance: Provenance
    public var claims: [ClaimResult]
    public var metrics: [Metric]
    public var figures: [FigureSummary]

    public static let currentSchema = "ggd-report/1"

    public init(provenance: Provenance, claims: [ClaimResult], metrics: [Metric], figures: [FigureSummary]) {
        schema = Self.currentSchema
        self.provenance = provenance
        self.claims = claims
        self.metrics = metrics
        self.figures = figures
    }

    /// Whether every claim passed.
    public var passed: Bool { claims.allSatisfy { $0.verdict == .pass } }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// Decodes a results file, with an error that names the file's problem rather than a decoder path dump.
    public static func decoded(_ data: Data, source: String = "results") throws -> ReportResults {
        // Strict syntax first (duplicate keys, truncation, …), with the position; then the schema.
        do { try StrictJSON.validate(data) } catch { throw ReportError.unreadable(source, "not JSON (\(error))") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let results: ReportResults
        do { results = try decoder.decode(ReportResults.self, from: data) } catch let error as DecodingError {
            throw ReportError.unreadable(source, Self.describe(error))
        } catch {
            throw ReportError.unreadable(source, "not JSON (\(error.localizedDescription))")
        }
        guard results.schema == currentSchema else {
            throw ReportError.unreadable(source, "schema '\(results.schema)', this tool reads '\(currentSchema)'")
        }
        return results
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            c.codingPath.isEmpty ? "top level" : c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, c): return "missing '\(key.stringValue)' at \(path(c))"
        case let .typeMismatch(_, c): return "wrong type at \(path(c)): \(c.debugDescription)"
        case let .valueNotFound(_, c): return "missing value at \(path(c))"
        case let .dataCorrupted(c): return "malformed at \(path(c)): \(c.debugDescription)"
        @unknown default: return "undecodable"
        }
    }
}

/// Where a report came from: enough to rerun it and to judge whether two reports are comparable.
public struct Provenance: Codable, Sendable, Equatable {
    public var toolVersion: String
    public var gitCommit: String
    public var command: String
    public var profile: String
    /// The catalog's generation seed and the reproduction study's seed.
    public var catalogSeed: UInt64
    public var studySeed: UInt64
    /// Multiplier on the paper's round counts in the reproduction section.
    public var roundScale: Double
    public var cpu: String
    public var blasLibrary: String
    public var blasCore: String
    public var blasThreads: Int
    public var falseFailRate: Double
    public var startedAt: String
    public var wallSeconds: Double
    /// The backend the reproduction's samplers ran on (`ggd report --backend`); nil: the host path.
    public var backend: String?

    public init(toolVersion: String, gitCommit: String, command: String, profile: String, catalogSeed: UInt64, studySeed: UInt64,
                roundScale: Double, cpu: String, blasLibrary: String, blasCore: String, blasThreads: Int, falseFailRate: Double,
                startedAt: String, wallSeconds: Double, backend: String? = nil) {
        self.backend = backend
        self.toolVersion = toolVersion
        self.gitCommit = gitCommit
        self.command = command
        self.profile = profile
        self.catalogSeed = catalogSeed
        self.studySeed = studySeed
        self.roundScale = roundScale
        self.cpu = cpu
        self.blasLibrary = blasLibrary
        self.blasCore = blasCore
        self.blasThreads = blasThreads
        self.falseFailRate = falseFailRate
        self.startedAt = startedAt
        self.wallSeconds = wallSeconds
    }
}

/// A claim's verdict.
public enum Verdict: String, Codable, Sendable {
    case pass, fail
}

/// One claim of the catalog as the report states it.
public struct ClaimResult: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    /// The paper's statement (SPEC §8), as the property encodes it.
    public var claim: String
    public var kind: String
    public var verdict: Verdict
    public var cases: Int
    public var failedCases: Int
    /// What is computed per case and how it is judged.
    public var statistic: String
    public var predicted: String
    public var measured: String
    /// The share of the run's false-fail rate this claim was judged at (statistical and rate claims).
    public var alpha: Double?
    /// Replay tokens of the shrunk failures (`ggd check --replay TOKEN`).
    public var failureTokens: [String]
    public var seconds: Double
    /// The smallest errors the claim's cases detect with probability 0.95 (statistical claims that state
    /// their power), in one line, and what the sizes refer to.
    public var detectable: String?
    /// The sizes alone ("sd 1.0%, mean 0.017σ"), for the summary table.
    public var detectableSummary: String?

    public init(id: String, title: String, claim: String, kind: String, verdict: Verdict, cases: Int, failedCases: Int,
                statistic: String, predicted: String, measured: String, alpha: Double?, failureTokens: [String], seconds: Double) {
        self.id = id
        self.title = title
        self.claim = claim
        self.kind = kind
        self.verdict = verdict
        self.cases = cases
        self.failedCases = failedCases
        self.statistic = statistic
        self.predicted = predicted
        self.measured = measured
        self.alpha = alpha
        self.failureTokens = failureTokens
        self.seconds = seconds
    }
}

/// A number the report prints, with the drift a comparison tolerates: |new − base| ≤ absolute + relative·|base|.
public struct Metric: Codable, Sendable, Equatable {
    /// Unique, stable across runs: "<claim or section>.<quantity>".
    public var name: String
    public var value: Double
    public var tolerance: Tolerance
    /// What the number is, in a few words.
    public var meaning: String

    public init(name: String, value: Double, tolerance: Tolerance, meaning: String) {
        self.name = name
        self.value = value
        self.tolerance = tolerance
        self.meaning = meaning
    }
}

/// Allowed drift of a metric between two runs of the same profile and seeds.
public struct Tolerance: Codable, Sendable, Equatable {
    public var absolute: Double
    public var relative: Double

    public init(absolute: Double, relative: Double) {
        self.absolute = absolute
        self.relative = relative
    }

    /// Quantities at round-off (errors that should be zero): any change below `scale` is noise.
    public static func roundOff(_ scale: Double) -> Tolerance { Tolerance(absolute: scale, relative: 0) }
    /// Deterministic measurements at fixed seeds: a few per cent is a change in behaviour, not BLAS rounding.
    public static let measurement = Tolerance(absolute: 1e-6, relative: 0.05)
    /// Fitted slopes of log-log sweeps.
    public static let slope = Tolerance(absolute: 0.05, relative: 0)

    public func allows(base: Double, new: Double) -> Bool {
        if base.isNaN || new.isNaN { return base.isNaN && new.isNaN }
        if base.isInfinite || new.isInfinite { return base == new }
        return abs(new - base) <= absolute + relative * abs(base)
    }
}

/// A figure's identity and size, so a comparison can tell a figure that lost its data.
public struct FigureSummary: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var series: [String]
    public var points: Int

    public init(id: String, title: String, series: [String], points: Int) {
        self.id = id
        self.title = title
        self.series = series
        self.points = points
    }
}

/// Errors of report writing and comparison.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    case unreadable(String, String)
    case invalid(String)

    public var description: String {
        switch self {
        case let .unreadable(source, why): return "cannot read \(source): \(why)"
        case let .invalid(why): return why
        }
    }
}
