/// A JSON object: members in the order they were written, with lookup by key.
///
/// Order is kept so that a document can be shown or rewritten as its author wrote it; keys are distinct
/// (the parser rejects duplicates rather than silently keeping one of them). Keys are compared as Swift
/// strings, i.e. up to Unicode canonical equivalence, the same rule a `[String: Any]` dictionary applies.
/// Equality ignores order, as for JSON objects in general.
public struct JSONObject: Sendable, Equatable {
    /// The members in document order.
    public let members: [(key: String, value: JSONValue)]
    /// Position of each key in `members`; built only for larger objects (small ones are scanned).
    private let index: [String: Int]?

    /// Objects up to this size are searched linearly, which is faster than hashing for a handful of keys.
    static let linearSearchLimit = 12

    /// The empty object.
    public init() {
        members = []
        index = nil
    }

    /// An object with these members in this order; nil if two keys are equal.
    public init?(_ members: [(key: String, value: JSONValue)]) {
        var seen = Set<String>()
        for m in members where !seen.insert(m.key).inserted { return nil }
        self.init(distinctMembers: members, index: nil)
    }

    /// Members known to have distinct keys (the parser checked), with the parser's index if it built one.
    init(distinctMembers: [(key: String, value: JSONValue)], index: [String: Int]?) {
        self.members = distinctMembers
        if let index, index.count == distinctMembers.count {
            self.index = index
        } else if distinctMembers.count > Self.linearSearchLimit {
            self.index = Dictionary(uniqueKeysWithValues: distinctMembers.enumerated().map { ($1.key, $0) })
        } else {
            self.index = nil
        }
    }

    /// The keys in document order.
    public var keys: [String] { members.map(\.key) }
    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }

    /// The value for `key`, or nil if the object has no such member.
    public subscript(key: String) -> JSONValue? {
        if let index { return index[key].map { members[$0].value } }
        return members.first { $0.key == key }?.value
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.count == b.count && a.members.allSatisfy { b[$0.key] == $0.value }
    }
}
