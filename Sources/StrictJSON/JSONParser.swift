import Foundation

/// A strict RFC 8259 JSON parser whose errors name the line, column, byte offset and JSON path.
///
/// Settings files are written by hand and a verification tool must not guess what they mean, so this
/// parser accepts exactly RFC 8259 JSON and rejects, with a one-line `JSONParseError`:
/// - input that is not well-formed UTF-8 (the message names the byte offset), and a byte order mark
///   (RFC 8259 §8.1 forbids emitting one; a file that has one is better re-saved than silently read);
/// - truncated input (`unexpected end of input …: the object opened at line L column C is not closed`);
/// - `NaN`, `Infinity`, `-Infinity` (`numbers must be finite`), numbers beyond a `Double` such as `1e400`
///   (`out of range`) and nonzero numbers that would round to zero such as `1e-400` (`too small`);
/// - leading zeros, a `+` sign, `.5`, `1.`, trailing commas, comments, single quotes, unquoted keys,
///   control characters in strings, invalid escapes, lone UTF-16 surrogate escapes;
/// - content after the value, nesting deeper than `JSONLimits.maxDepth`, input larger than
///   `JSONLimits.maxInputBytes`;
/// - duplicate keys in an object (`duplicate key 'D' at line 4 column 5 (first at line 2 column 5)`),
///   where keys are compared as Swift strings (up to canonical equivalence, as a dictionary would).
///
/// Numbers are read with `Double(String)`, which is correctly rounded, so every double written with 17
/// significant digits reads back bit for bit (and `-0` stays negative zero).
/// The parser is iterative (an explicit stack of open containers), so nesting cannot overflow the call
/// stack whatever the limit.
public enum JSONParser {
    /// Parses one JSON document.
    /// - Throws: `JSONParseError` (only).
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .default) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { try parse(buffer: $0, limits: limits) }
    }

    /// Parses one JSON document.
    /// - Throws: `JSONParseError` (only).
    public static func parse(_ data: Data, limits: JSONLimits = .default) throws -> JSONValue {
        try data.withUnsafeBytes { try parse(buffer: $0.assumingMemoryBound(to: UInt8.self), limits: limits) }
    }

    /// Parses one JSON document given as text (its UTF-8 bytes).
    /// - Throws: `JSONParseError` (only).
    public static func parse(_ text: String, limits: JSONLimits = .default) throws -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }

    static func parse(buffer: UnsafeBufferPointer<UInt8>, limits: JSONLimits) throws -> JSONValue {
        var parser = Parser(buffer, limits: limits)
        return try parser.parseDocument()
    }
}
