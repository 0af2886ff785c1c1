import Compute
import Foundation
import StrictJSON

/// One check of one backend against the Double reference.
public struct CheckResult: Codable, Sendable, Equatable {
    public var name: String
    public var elements: Int
    public var maxAbsoluteError: Double
    public var maxRelativeError: Double
    /// max over elements of |x − r|/(atol + rtol·|r|): at most 1 passes.
    public var violation: Double
    public var rtol: Double
    public var atol: Double
    public var passed: Bool
    /// What decided a failing comparison (the statistical fallback for diverged trajectories).
    public var note: String
}

/// A backend's cross-check: what ran, on what, and every check's result (`Reports/backends/NAME.json`).
public struct BackendReport: Codable, Sendable {
    public var backend: String
    public var dtype: String
    public var available: Bool
    public var unavailableReason: String?
    public var openBLASCore: String
    public var recommendedCore: String?
    public var blasThreads: Int
    public var cpu: String
    public var toolVersion: String
    /// The GPU a CUDA backend ran on (name and compute capability; nil for the host backends).
    public var device: String? = nil
    public var checks: [CheckResult]

    public var passed: Bool { !available || checks.allSatisfy(\.passed) }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    public static func decoded(_ data: Data, source: String) throws -> BackendReport {
        // Strict syntax first (duplicate keys, truncation, …), with the position; then the schema.
        do { try StrictJSON.validate(data) } catch {
            throw CrosscheckError.unreadable("\(source): not a cross-check result (invalid JSON: \(error))")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { return try decoder.decode(BackendReport.self, from: data) } catch {
            throw CrosscheckError.unreadable("\(source): not a cross-check result (\(DecodingErrorDescription.describe(error)))")
        }
    }

    /// Regressions against a baseline of the same backend: a check that passed there and fails here, a
    /// missing check, or a check whose violation grew more than tenfold and past 0.1 of its tolerance.
    public func regressions(against base: BackendReport) -> [String] {
        var out = [String]()
        let mine = Dictionary(checks.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for b in base.checks {
            guard let c = mine[b.name] else { out.append("\(b.name): missing"); continue }
            if b.passed && !c.passed { out.append("\(b.name): passed in the baseline, fails now (violation \(c.violation))") }
            else if c.violation > 10 * b.violation && c.violation > 0.1 {
                out.append(String(format: "%@: violation grew from %.3g to %.3g of its tolerance", b.name, b.violation, c.violation))
            }
        }
        return out
    }
}

public enum CrosscheckError: Error, CustomStringConvertible, Equatable {
    case unreadable(String)
    case invalid(String)
    public var description: String {
        switch self {
        case let .unreadable(m), let .invalid(m): return m
        }
    }
}
