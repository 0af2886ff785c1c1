/// How the parser words its errors: position, path, and what was found where something else was expected.
extension Parser {
    /// An error at byte `offset` with the path `mode` selects.
    func fail(_ offset: Int, _ message: String, _ mode: PathMode) -> JSONParseError {
        let (line, column) = TextLocation.of(offset, in: b)
        return JSONParseError(line: line, column: column, byteOffset: offset, path: path(mode), message: message)
    }

    /// The JSON path of the value being read (`child`) or of the innermost open container (`container`).
    func path(_ mode: PathMode) -> String {
        var components = [JSONPath.Component]()
        components.reserveCapacity(stack.count)
        for (i, frame) in stack.enumerated() {
            if mode == .container && i == stack.count - 1 { break }
            components.append(frame.isObject ? .key(frame.pendingKey) : .index(frame.elements.count))
        }
        return JSONPath.render(components)
    }

    /// "expected X, found Y" at `offset`, or the more specific problem there (end of input, a comment,
    /// invalid UTF-8).
    func unexpected(at offset: Int, expected: String, _ mode: PathMode) -> JSONParseError {
        if offset >= count { return endOfInput(expected: expected, mode) }
        if let special = specialProblem(at: offset) { return fail(offset, special, mode) }
        return fail(offset, "expected \(expected), found \(describeByte(at: offset))", mode)
    }

    /// A problem at `offset` that deserves its own message wherever it occurs: invalid UTF-8 or a comment.
    func specialProblem(at offset: Int) -> String? {
        let c = b[offset]
        if c >= 0x80 && UTF8Validation.sequenceLength(b, at: offset) == 0 { return UTF8Validation.problem(b, at: offset) }
        if c == UInt8(ascii: "/") && offset + 1 < count && (b[offset + 1] == UInt8(ascii: "/") || b[offset + 1] == UInt8(ascii: "*")) {
            return "comments are not allowed in JSON"
        }
        return nil
    }

    /// The character at `offset` as a message shows it: `'x'`, `'é' (U+00E9)`, `U+0009 (tab)`.
    func describeByte(at offset: Int) -> String {
        let c = b[offset]
        if c >= 0x80 {
            guard UTF8Validation.sequenceLength(b, at: offset) > 0 else { return "byte 0x" + String(c, radix: 16, uppercase: true) }
            return describe(UTF8Validation.scalar(b, at: offset))
        }
        return describe(Unicode.Scalar(c))
    }

    func describe(_ u: Unicode.Scalar) -> String {
        let hex = String(u.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let name: String? = switch u {
        case "\t": "tab"
        case "\n": "line feed"
        case "\r": "carriage return"
        case "\u{0}": "NUL"
        case "\u{A0}": "no-break space"
        case "\u{FEFF}": "zero-width no-break space / byte order mark"
        default: nil
        }
        if let name { return "\(code) (\(name))" }
        if JSONPath.isInvisible(u) { return code }
        return u.isASCII ? "'\(u)'" : "'\(u)' (\(code))"
    }

    /// Input ended where `expected` was due. Names the unclosed string, or else the innermost unclosed
    /// container and where it opened.
    func endOfInput(expected: String?, stringStart: Int? = nil, _ mode: PathMode) -> JSONParseError {
        var message = "unexpected end of input"
        if let stringStart {
            message += " inside the string that starts at \(TextLocation.phrase(stringStart, in: b))"
        } else if stack.isEmpty && !b.contains(where: { !(0x20 == $0 || 0x0A == $0 || 0x0D == $0 || 0x09 == $0) }) {
            message += count == 0 ? ": the input is empty" : ": the input holds only whitespace"
            message += expected.map { " (expected \($0 == "a value" ? "a JSON value" : $0))" } ?? ""
            return fail(count, message, mode)
        } else if let expected {
            message += " (expected \(expected))"
        }
        if let open = stack.last {
            message += ": the \(open.isObject ? "object" : "array") opened at \(TextLocation.phrase(open.start, in: b)) is not closed"
        }
        return fail(count, message, mode)
    }
}
