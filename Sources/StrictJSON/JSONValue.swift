import Foundation

/// A parsed JSON document.
///
/// Numbers are `Double`s, read correctly rounded, so a 17-significant-digit double written by a run
/// reads back bit for bit (outputs record their settings, and replaying a setting must reproduce the
/// run). Objects keep their members' order (`JSONObject`).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// As plain Swift values: `NSNull`, `Bool`, `Double`, `String`, `[Any]`, `[String: Any]` — the shape
    /// callers that walk untyped settings expect (the form `JSONSerialization` produces).
    public var plain: Any {
        switch self {
        case .null: return NSNull()
        case let .bool(b): return b
        case let .number(d): return d
        case let .string(s): return s
        case let .array(a): return a.map(\.plain)
        case let .object(o):
            return Dictionary(o.members.map { ($0.key, $0.value.plain) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The member `key` of an object; nil for a missing key or a value that is not an object.
    public subscript(key: String) -> JSONValue? {
        if case let .object(o) = self { return o[key] }
        return nil
    }

    /// The element `index` of an array; nil out of range or for a value that is not an array.
    public subscript(index: Int) -> JSONValue? {
        if case let .array(a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// The number, if this is one.
    public var doubleValue: Double? {
        if case let .number(d) = self { return d }
        return nil
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }
}
