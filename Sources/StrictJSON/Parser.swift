/// The parser's state machine: a cursor over the bytes and an explicit stack of open containers.
///
/// Values are read in a loop rather than by recursion, so depth is bounded by `JSONLimits.maxDepth` and
/// never by the call stack. Each open array or object is a `Frame`; the frames also give the JSON path
/// of an error and the opening position of an unclosed container.
struct Parser {
    /// One open array or object.
    struct Frame {
        let isObject: Bool
        /// Offset of the `[` or `{`.
        let start: Int
        var elements: [JSONValue] = []
        var members: [(key: String, value: JSONValue)] = []
        /// Offset of each key's opening quote: those of `members`, then that of `pendingKey`.
        var keyOffsets: [Int] = []
        /// Key → index into `keyOffsets`; filled once the object outgrows a linear search.
        var keyIndex: [String: Int] = [:]
        /// The key whose value is being read.
        var pendingKey = ""

        init(isObject: Bool, start: Int) {
            self.isObject = isObject
            self.start = start
        }
    }

    /// Which path an error reports: that of the value being read (`child`), or that of the innermost open
    /// container (`container`: between its members, at a key or a comma).
    enum PathMode { case child, container }

    let b: UnsafeBufferPointer<UInt8>
    let count: Int
    let limits: JSONLimits
    var pos = 0
    var stack: [Frame] = []

    init(_ buffer: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        b = buffer
        count = buffer.count
        self.limits = limits
    }

    mutating func parseDocument() throws -> JSONValue {
        guard count <= limits.maxInputBytes else {
            throw fail(0, "the input is \(count) bytes, more than the limit of \(limits.maxInputBytes) bytes", .child)
        }
        try checkByteOrderMark()
        var value: JSONValue
        readValue: while true {
            skipWhitespace()
            guard pos < count else { throw endOfInput(expected: "a value", .child) }
            let c = b[pos]
            switch c {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                guard stack.count < limits.maxDepth else {
                    throw fail(pos, "nesting is deeper than the limit of \(limits.maxDepth) levels", .child)
                }
                let isObject = c == UInt8(ascii: "{")
                stack.append(Frame(isObject: isObject, start: pos))
                pos += 1
                skipWhitespace()
                if pos < count && b[pos] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    pos += 1
                    stack.removeLast()
                    value = isObject ? .object(JSONObject()) : .array([])
                } else {
                    if isObject { try readKey() }
                    continue readValue
                }
            case UInt8(ascii: "\""):
                value = .string(try parseString(.child))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try parseNumber())
            default:
                value = try parseLiteral()
            }

            // A value is complete: add it to the open container, then close as many containers as end here.
            while !stack.isEmpty {
                let top = stack.count - 1
                let isObject = stack[top].isObject
                if isObject {
                    let key = stack[top].pendingKey
                    stack[top].members.append((key: key, value: value))
                } else {
                    stack[top].elements.append(value)
                }
                let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                skipWhitespace()
                guard pos < count else {
                    throw endOfInput(expected: isObject ? "',' or '}'" : "',' or ']'", .container)
                }
                if b[pos] == UInt8(ascii: ",") {
                    let comma = pos
                    pos += 1
                    skipWhitespace()
                    if pos < count && b[pos] == close {
                        throw fail(comma, "trailing comma before '\(Character(Unicode.Scalar(close)))'", .container)
                    }
                    if isObject { try readKey() }
                    continue readValue
                } else if b[pos] == close {
                    pos += 1
                    let frame = stack.removeLast()
                    value = isObject
                        ? .object(JSONObject(distinctMembers: frame.members, index: frame.keyIndex.isEmpty ? nil : frame.keyIndex))
                        : .array(frame.elements)
                } else {
                    throw unexpected(at: pos, expected: isObject ? "',' or '}' after an object member" : "',' or ']' after an array element",
                                     .container)
                }
            }

            skipWhitespace()
            if pos < count {
                if let special = specialProblem(at: pos) { throw fail(pos, special, .container) }
                throw fail(pos, "unexpected \(describeByte(at: pos)) after the JSON value (a document holds exactly one value)", .container)
            }
            return value
        }
    }

    /// Reads `"key" :` of the innermost (object) frame, checking that the key is new; at the first
    /// non-whitespace byte after `{` or `,`.
    mutating func readKey() throws {
        guard pos < count else { throw endOfInput(expected: "a key in double quotes", .container) }
        let keyStart = pos
        switch b[pos] {
        case UInt8(ascii: "\""):
            break
        case UInt8(ascii: "'"):
            throw fail(pos, "object keys must be in double quotes, not single quotes", .container)
        case let c where isWordByte(c):
            throw fail(pos, "object keys must be strings in double quotes, found '\(JSONPath.escaped(word(at: pos), limit: 40))'", .container)
        default:
            throw unexpected(at: pos, expected: "a key in double quotes", .container)
        }
        let key = try parseString(.container)
        let top = stack.count - 1
        if let first = firstOffset(ofKey: key) {
            throw fail(keyStart, "duplicate key '\(JSONPath.escaped(key))' at \(TextLocation.phrase(keyStart, in: b)) "
                       + "(first at \(TextLocation.phrase(first, in: b)))", .container)
        }
        stack[top].keyOffsets.append(keyStart)
        if !stack[top].keyIndex.isEmpty { stack[top].keyIndex[key] = stack[top].keyOffsets.count - 1 }
        stack[top].pendingKey = key
        skipWhitespace()
        guard pos < count else { throw endOfInput(expected: "':' after the key", .container) }
        guard b[pos] == UInt8(ascii: ":") else {
            throw unexpected(at: pos, expected: "':' after key '\(JSONPath.escaped(key, limit: 40))'", .container)
        }
        pos += 1
    }

    /// The offset of `key` if the innermost object already has it. Small objects are scanned; from
    /// `JSONObject.linearSearchLimit` members on, a dictionary is built once and kept up to date.
    mutating func firstOffset(ofKey key: String) -> Int? {
        let top = stack.count - 1
        if stack[top].keyIndex.isEmpty {
            if stack[top].members.count < JSONObject.linearSearchLimit {
                for (i, m) in stack[top].members.enumerated() where m.key == key { return stack[top].keyOffsets[i] }
                return nil
            }
            var index = [String: Int](minimumCapacity: stack[top].members.count * 2)
            for (i, m) in stack[top].members.enumerated() { index[m.key] = i }
            stack[top].keyIndex = index
        }
        return stack[top].keyIndex[key].map { stack[top].keyOffsets[$0] }
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < count {
            switch b[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    /// Rejects a byte order mark with a message that says what to do about it.
    func checkByteOrderMark() throws {
        if count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
            throw fail(0, "the input starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow: save the file as UTF-8 without BOM",
                       .child)
        }
        if count >= 2 && ((b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE)) {
            throw fail(0, "the input starts with a UTF-16 byte order mark: JSON must be UTF-8", .child)
        }
    }
}
