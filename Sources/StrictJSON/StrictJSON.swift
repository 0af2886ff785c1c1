import Foundation

/// Entry points for callers that decode with `JSONDecoder` but want strict input checking first.
///
/// `JSONDecoder` accepts duplicate keys (keeping one silently) and reports syntax errors without a usable
/// position; calling `StrictJSON.validate` before it rejects such input with a one-line
/// `JSONParseError` naming line, column and path.
public enum StrictJSON {
    /// Parses `data` under `limits` and discards the result; throws `JSONParseError` if it is not strict
    /// RFC 8259 JSON (see `JSONParser`).
    public static func validate(_ data: Data, limits: JSONLimits = .default) throws {
        _ = try JSONParser.parse(data, limits: limits)
    }

    /// As `validate(_:limits:)`, for bytes.
    public static func validate(_ bytes: [UInt8], limits: JSONLimits = .default) throws {
        _ = try JSONParser.parse(bytes, limits: limits)
    }
}
