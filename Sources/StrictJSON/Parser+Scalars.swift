/// Strings, numbers and the literals `true`, `false`, `null`: the leaves of a document.
extension Parser {
    // MARK: Strings

    /// Reads a string at its opening quote. Text without escapes is taken as is (after checking its UTF-8);
    /// escapes are decoded into a byte buffer. `mode` is the path errors report.
    mutating func parseString(_ mode: PathMode) throws -> String {
        let open = pos
        pos += 1
        let contentStart = pos
        while pos < count {
            let c = b[pos]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: b[contentStart..<pos]), as: UTF8.self)
                pos += 1
                return s
            } else if c == UInt8(ascii: "\\") {
                return try parseEscapedString(open: open, contentStart: contentStart, mode)
            } else if c < 0x20 {
                throw controlCharacter(at: pos, mode)
            } else if c < 0x80 {
                pos += 1
            } else {
                let n = UTF8Validation.sequenceLength(b, at: pos)
                guard n > 0 else { throw fail(pos, UTF8Validation.problem(b, at: pos), mode) }
                pos += n
            }
        }
        throw endOfInput(expected: nil, stringStart: open, mode)
    }

    /// The rest of a string from its first backslash on.
    private mutating func parseEscapedString(open: Int, contentStart: Int, _ mode: PathMode) throws -> String {
        var bytes = [UInt8](UnsafeBufferPointer(rebasing: b[contentStart..<pos]))
        bytes.reserveCapacity(bytes.count + 16)
        while pos < count {
            let c = b[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: bytes, as: UTF8.self)
            } else if c == UInt8(ascii: "\\") {
                let escape = pos
                guard pos + 1 < count else { break }
                let e = b[pos + 1]
                pos += 2
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(e)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try unicodeEscape(at: escape, open: open, mode)
                    bytes.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    if let special = specialProblem(at: escape + 1) { throw fail(escape + 1, special, mode) }
                    let found = describeByte(at: escape + 1)
                    let what = found.hasPrefix("'") ? "invalid escape '\\\(found.dropFirst().prefix(1))'"
                                                    : "invalid escape: a backslash followed by \(found)"
                    throw fail(escape, what + " in a string (the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", mode)
                }
            } else if c < 0x20 {
                throw controlCharacter(at: pos, mode)
            } else if c < 0x80 {
                bytes.append(c)
                pos += 1
            } else {
                let n = UTF8Validation.sequenceLength(b, at: pos)
                guard n > 0 else { throw fail(pos, UTF8Validation.problem(b, at: pos), mode) }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[pos..<pos + n]))
                pos += n
            }
        }
        throw endOfInput(expected: nil, stringStart: open, mode)
    }

    /// The scalar of `\uXXXX` at `escape` (the backslash; `pos` is just past the `u`), joining a UTF-16
    /// surrogate pair written as two escapes. A surrogate without its partner is an error: it has no
    /// UTF-8 form, and replacing it would silently change the text.
    private mutating func unicodeEscape(at escape: Int, open: Int, _ mode: PathMode) throws -> Unicode.Scalar {
        let high = try hex4(escape: escape, open: open, mode)
        if (0xDC00...0xDFFF).contains(high) {
            throw fail(escape, "lone low surrogate \\u\(hexText(high)) in a string (it must follow a \\uD800–\\uDBFF high surrogate)", mode)
        }
        if (0xD800...0xDBFF).contains(high) {
            guard pos + 1 < count, b[pos] == UInt8(ascii: "\\"), b[pos + 1] == UInt8(ascii: "u") else {
                if pos >= count { throw endOfInput(expected: nil, stringStart: open, mode) }
                throw fail(escape, "lone high surrogate \\u\(hexText(high)) in a string (it must be followed by a \\uDC00–\\uDFFF low surrogate)",
                           mode)
            }
            let second = pos
            pos += 2
            let low = try hex4(escape: second, open: open, mode)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw fail(escape, "lone high surrogate \\u\(hexText(high)) in a string (it is followed by \\u\(hexText(low)), "
                           + "not a \\uDC00–\\uDFFF low surrogate)", mode)
            }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
        }
        return Unicode.Scalar(high)!
    }

    /// The four hex digits after `\u`; `pos` is at the first and ends past the last.
    private mutating func hex4(escape: Int, open: Int, _ mode: PathMode) throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard pos < count else { throw endOfInput(expected: nil, stringStart: open, mode) }
            let c = b[pos]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default:
                if let special = specialProblem(at: pos) { throw fail(pos, special, mode) }
                throw fail(escape, "invalid \\u escape in a string: expected four hex digits, found \(describeByte(at: pos))", mode)
            }
            v = v << 4 | UInt32(digit)
            pos += 1
        }
        return v
    }

    private func hexText(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    private func controlCharacter(at offset: Int, _ mode: PathMode) -> JSONParseError {
        let c = b[offset]
        if c == 0x0A || c == 0x0D {
            return fail(offset, "unescaped line break in a string (write it as \\\(c == 0x0A ? "n" : "r"); or is a closing quote missing?)", mode)
        }
        let escape = c == 0x09 ? "\\t" : "\\u" + hexText(UInt32(c))
        return fail(offset, "unescaped control character \(describeByte(at: offset)) in a string (write it as \(escape))", mode)
    }

    // MARK: Numbers

    /// Reads a number at its first byte (`-` or a digit), by the RFC 8259 grammar
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. Integers of up to 15 digits are converted
    /// directly (exact); everything else through `Double(String)`, which rounds correctly.
    mutating func parseNumber() throws -> Double {
        let start = pos
        let negative = b[pos] == UInt8(ascii: "-")
        if negative {
            pos += 1
            guard pos < count else { throw endOfInput(expected: "a digit after '-'", .child) }
            if isWordByte(b[pos]) && !isDigit(b[pos]) {
                let w = word(at: pos)
                if ["infinity", "inf"].contains(w.lowercased()) {
                    throw fail(start, "numbers must be finite: '-\(w)' is not a JSON number", .child)
                }
            }
            guard isDigit(b[pos]) else { throw unexpected(at: pos, expected: "a digit after '-'", .child) }
        }
        let integerStart = pos
        if b[pos] == UInt8(ascii: "0") {
            pos += 1
            if pos < count && isDigit(b[pos]) {
                while pos < count && isDigit(b[pos]) { pos += 1 }
                throw fail(start, "numbers must not have leading zeros: '\(text(start..<pos))'", .child)
            }
        } else {
            while pos < count && isDigit(b[pos]) { pos += 1 }
        }
        let integerEnd = pos
        var mantissaEnd = pos
        if pos < count && b[pos] == UInt8(ascii: ".") {
            pos += 1
            try digits(after: "the decimal point", numberStart: start)
            mantissaEnd = pos
        }
        if pos < count && (b[pos] == UInt8(ascii: "e") || b[pos] == UInt8(ascii: "E")) {
            pos += 1
            if pos < count && (b[pos] == UInt8(ascii: "+") || b[pos] == UInt8(ascii: "-")) { pos += 1 }
            try digits(after: "the exponent", numberStart: start)
        }
        if pos == integerEnd && integerEnd - integerStart <= 15 {
            var v = 0
            for i in integerStart..<integerEnd { v = v &* 10 &+ Int(b[i] &- UInt8(ascii: "0")) }
            return negative ? -Double(v) : Double(v)
        }
        let literal = text(start..<pos)
        guard let value = Double(literal) else { throw fail(start, "number '\(literal)' cannot be read", .child) }
        guard value.isFinite else {
            throw fail(start, "number \(shortened(literal)) is out of range for a 64-bit float", .child)
        }
        if value == 0 && b[start..<mantissaEnd].contains(where: { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") }) {
            throw fail(start, "number \(shortened(literal)) is too small for a 64-bit float (it would read as 0)", .child)
        }
        return value
    }

    /// One or more digits at `pos` (after a decimal point or exponent marker).
    private mutating func digits(after what: String, numberStart: Int) throws {
        guard pos < count else { throw endOfInput(expected: "a digit after \(what)", .child) }
        guard isDigit(b[pos]) else {
            if let special = specialProblem(at: pos) { throw fail(pos, special, .child) }
            throw fail(pos, "expected a digit after \(what) in '\(shortened(text(numberStart..<pos)))', found \(describeByte(at: pos))", .child)
        }
        while pos < count && isDigit(b[pos]) { pos += 1 }
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self)
    }

    /// A long number cut in the middle so that messages stay short.
    private func shortened(_ s: String) -> String {
        s.count <= 40 ? s : s.prefix(24) + "…" + s.suffix(12)
    }

    // MARK: Literals and stray characters

    /// `true`, `false` or `null` at `pos`; anything else that can start no value is an error saying what
    /// was probably meant.
    mutating func parseLiteral() throws -> JSONValue {
        let c = b[pos]
        if isWordByte(c) {
            let w = word(at: pos)
            switch w {
            case "true": pos += 4; return .bool(true)
            case "false": pos += 5; return .bool(false)
            case "null": pos += 4; return .null
            default: break
            }
            if pos + w.utf8.count == count, let literal = ["true", "false", "null"].first(where: { $0.hasPrefix(w) }) {
                throw endOfInput(expected: "'\(literal)'", .child)
            }
            let shown = JSONPath.escaped(w, limit: 40)
            switch w.lowercased() {
            case "nan", "infinity", "inf":
                throw fail(pos, "numbers must be finite: '\(shown)' is not a JSON number", .child)
            case "true", "false", "null", "none", "nil":
                throw fail(pos, "'\(shown)' is not a JSON literal: the literals are true, false and null, in lower case", .child)
            default:
                throw fail(pos, "unexpected word '\(shown)': strings must be in double quotes", .child)
            }
        }
        switch c {
        case UInt8(ascii: "+"):
            throw fail(pos, "numbers must not start with '+'", .child)
        case UInt8(ascii: "."):
            throw fail(pos, "numbers must start with a digit (write 0.5, not .5)", .child)
        case UInt8(ascii: "'"):
            throw fail(pos, "strings must be in double quotes, not single quotes", .child)
        default:
            throw unexpected(at: pos, expected: "a value", .child)
        }
    }

    /// The run of ASCII letters, digits and underscores at `offset`.
    func word(at offset: Int) -> String {
        var end = offset
        while end < count && isWordByte(b[end]) { end += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: b[offset..<end]), as: UTF8.self)
    }

    @inline(__always)
    func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

    @inline(__always)
    func isWordByte(_ c: UInt8) -> Bool {
        isDigit(c) || (c | 0x20) &- UInt8(ascii: "a") < 26 || c == UInt8(ascii: "_")
    }
}
