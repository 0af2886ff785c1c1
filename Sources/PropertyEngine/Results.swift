import Foundation
import StrictJSON

/// One evaluated case.
public struct CaseResult: Codable, Sendable, Equatable {
    /// The case's index in the run (regression replays have negative indices).
    public var index: Int
    public var setting: String
    public var evidence: Evidence?
    /// Set when generation or evaluation threw.
    public var error: String?
    /// The token that replays this case.
    public var token: String

    public init(index: Int, setting: String, evidence: Evidence?, error: String?, token: String) {
        self.index = index
        self.setting = setting
        self.evidence = evidence
        self.error = error
        self.token = token
    }
}

/// A failure as reported: the original case and its shrunk form, with the token that replays the latter.
public struct Failure: Codable, Sendable, Equatable {
    public var caseIndex: Int
    public var setting: String
    public var shrunkSetting: String
    public var evidence: Evidence?
    public var shrunkEvidence: Evidence?
    public var error: String?
    public var token: String
    public var shrinkEvaluations: Int
}

/// Everything one property's run produced.
public struct PropertyResult: Codable, Sendable {
    public var id: String
    public var title: String
    public var claim: String
    public var kind: PropertyKind
    public var profile: String
    public var seed: UInt64
    public var budget: Budget
    /// The share of cases run ("all" or "i/N").
    public var shard: String
    /// This property's share of the run's false-fail rate (statistical and rate properties).
    public var alpha: Double
    public var cases: [CaseResult]
    /// nil until verdicts are applied (sharded runs leave it to `merge`).
    public var passed: Bool?
    public var failures: [Failure]
    public var seconds: Double
    /// What the run's cases detect with probability 0.95 at their level (statistical properties that
    /// state their power).
    public var detectable: DetectableEffect?
}

/// A run of (part of) the catalog.
public struct RunResults: Codable, Sendable {
    public var toolVersion: String
    public var profile: String
    public var seed: UInt64
    public var falseFailRate: Double
    /// Statistical and rate properties sharing the false-fail rate.
    public var familySize: Int
    public var shard: String
    public var properties: [PropertyResult]
    /// The implementation variant the run checked ("reference", or "mutant:NAME" when `ggd check --mutant` switched a fault on);
    /// absent in results written before it was recorded, which ran against the reference. `ggd merge`
    /// shrinks failures against this same variant.
    public var subject: String?

    public init(toolVersion: String, profile: String, seed: UInt64, falseFailRate: Double, familySize: Int, shard: String,
                properties: [PropertyResult], subject: String? = nil) {
        self.subject = subject
        self.toolVersion = toolVersion
        self.profile = profile
        self.seed = seed
        self.falseFailRate = falseFailRate
        self.familySize = familySize
        self.shard = shard
        self.properties = properties
    }

    public var passed: Bool? {
        let verdicts = properties.map(\.passed)
        if verdicts.contains(where: { $0 == nil }) { return nil }
        return verdicts.allSatisfy { $0 == true }
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    public static func decoded(_ data: Data) throws -> RunResults {
        // Strict syntax first (duplicate keys, truncation, …), with the position; then the schema.
        do { try StrictJSON.validate(data) } catch { throw PropertyError.badResults("not a results file (invalid JSON: \(error))") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { return try decoder.decode(RunResults.self, from: data) } catch {
            throw PropertyError.badResults("not a ggd check results file (\(DecodingErrorDescription.describe(error)))")
        }
    }
}
