/// A parsed Python literal, the subset that appears in `.npy` headers: strings, integers,
/// `True`/`False`/`None`, tuples, lists and dicts.
///
/// NumPy writes the header with `repr` and reads it with `ast.literal_eval`; this parser
/// accepts what NumPy (any version) writes, plus harmless variations (extra whitespace,
/// trailing commas, either quote style, Python 2 `L` integer suffixes and `u''` strings),
/// and rejects everything else with a message saying where.
indirect enum PythonLiteral {
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(key: PythonLiteral, value: PythonLiteral)])

    /// Python-like rendering, for error messages.
    var repr: String {
        switch self {
        case .string(let s): return "'" + s + "'"
        case .int(let i): return String(i)
        case .bool(let b): return b ? "True" : "False"
        case .none: return "None"
        case .tuple(let items):
            return items.count == 1 ? "(\(items[0].repr),)" : "(" + items.map(\.repr).joined(separator: ", ") + ")"
        case .list(let items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
        case .dict(let pairs): return "{" + pairs.map { "\($0.key.repr): \($0.value.repr)" }.joined(separator: ", ") + "}"
        }
    }

    /// A short description of the value's Python type, for error messages.
    var typeName: String {
        switch self {
        case .string: return "str"
        case .int: return "int"
        case .bool: return "bool"
        case .none: return "NoneType"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        }
    }
}

/// Parses one Python literal from `bytes`, which must contain nothing else but whitespace.
/// Strings are decoded as Latin-1, or as UTF-8 when `utf8` is true (`.npy` version 3.0).
struct PythonLiteralParser {
    private let bytes: [UInt8]
    private let utf8: Bool
    private var position = 0
    private static let maxDepth = 32

    init(_ bytes: [UInt8], utf8: Bool) {
        self.bytes = bytes
        self.utf8 = utf8
    }

    /// Parses the whole input as one literal; errors are `badHeader` with a reason.
    static func parse(_ bytes: [UInt8], utf8: Bool) throws -> PythonLiteral {
        var parser = PythonLiteralParser(bytes, utf8: utf8)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.position < bytes.count {
            throw parser.failure("unexpected \(parser.describeCurrent()) after the header literal")
        }
        return value
    }

    private func failure(_ reason: String) -> NumPyIOError {
        NumPyIOError(.badHeader, "bad .npy header: \(reason)")
    }

    private func describeCurrent() -> String {
        guard position < bytes.count else { return "end of header" }
        let b = bytes[position]
        let shown = (0x21...0x7E).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x" + String(b, radix: 16)
        return "\(shown) at offset \(position)"
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let b = current, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C {
            position += 1
        }
    }

    private mutating func parseValue(depth: Int) throws -> PythonLiteral {
        guard depth < Self.maxDepth else { throw failure("literal nested too deeply") }
        guard let b = current else { throw failure("unexpected end of header") }
        switch b {
        case UInt8(ascii: "{"):
            return .dict(try parseDict(depth: depth))
        case UInt8(ascii: "("):
            let (items, sawComma) = try parseSequence(close: UInt8(ascii: ")"), depth: depth)
            // `(x)` is just a parenthesised x; `(x,)` and `()` are tuples.
            if items.count == 1 && !sawComma { return items[0] }
            return .tuple(items)
        case UInt8(ascii: "["):
            return .list(try parseSequence(close: UInt8(ascii: "]"), depth: depth).items)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let next = position + 1 < bytes.count ? bytes[position + 1] : 0
            guard next == UInt8(ascii: "'") || next == UInt8(ascii: "\"") else { return try parseIdentifier() }
            position += 1
            return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .int(try parseInt())
        default:
            return try parseIdentifier()
        }
    }

    private mutating func parseIdentifier() throws -> PythonLiteral {
        let start = position
        while let b = current, (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "_") {
            position += 1
        }
        switch String(decoding: bytes[start..<position], as: UTF8.self) {
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "None": return .none
        case "":
            throw failure("unexpected \(describeCurrent())")
        case let word:
            position = start
            throw failure("unexpected name '\(word)' at offset \(start)")
        }
    }

    private mutating func parseInt() throws -> Int {
        let start = position
        var negative = false
        if current == UInt8(ascii: "-") || current == UInt8(ascii: "+") {
            negative = current == UInt8(ascii: "-")
            position += 1
        }
        var value = 0
        var digits = 0
        while let b = current, b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
            let digit = Int(b - UInt8(ascii: "0"))
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            guard !o1 && !o2 else { throw failure("integer at offset \(start) is too large") }
            value = next
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw failure("expected digits at offset \(position)") }
        if current == UInt8(ascii: "L") || current == UInt8(ascii: "l") { position += 1 }  // Python 2 long
        if let b = current, b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") || b == UInt8(ascii: "j") || b == UInt8(ascii: "x") || b == UInt8(ascii: "_") {
            throw failure("only plain integers are supported, found \(describeCurrent())")
        }
        return value
    }

    private mutating func parseString() throws -> String {
        guard let quote = current else { throw failure("unexpected end of header") }
        let start = position
        position += 1
        var content: [UInt8] = []
        while true {
            guard let b = current else { throw failure("unterminated string starting at offset \(start)") }
            position += 1
            if b == quote { break }
            if b == 0x0A { throw failure("unterminated string starting at offset \(start)") }
            if b == UInt8(ascii: "\\") {
                guard let escaped = current else { throw failure("unterminated string starting at offset \(start)") }
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): content.append(0x0A)
                case UInt8(ascii: "t"): content.append(0x09)
                case UInt8(ascii: "r"): content.append(0x0D)
                case UInt8(ascii: "0"): content.append(0x00)
                case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): content.append(escaped)
                default: content.append(UInt8(ascii: "\\")); content.append(escaped)
                }
            } else {
                content.append(b)
            }
        }
        if utf8 {
            return String(decoding: content, as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: content.map { Unicode.Scalar($0) })
        return String(scalars)
    }

    /// Parses `( … )` or `[ … ]` after the opening bracket; reports whether any comma was seen.
    private mutating func parseSequence(close: UInt8, depth: Int) throws -> (items: [PythonLiteral], sawComma: Bool) {
        position += 1  // opening bracket
        var items: [PythonLiteral] = []
        var sawComma = false
        skipWhitespace()
        while true {
            if current == close { position += 1; return (items, sawComma) }
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                sawComma = true
                position += 1
                skipWhitespace()
            } else if current == close {
                position += 1
                return (items, sawComma)
            } else {
                throw failure("expected ',' or '\(Character(Unicode.Scalar(close)))', found \(describeCurrent())")
            }
        }
    }

    private mutating func parseDict(depth: Int) throws -> [(key: PythonLiteral, value: PythonLiteral)] {
        position += 1  // "{"
        var pairs: [(key: PythonLiteral, value: PythonLiteral)] = []
        skipWhitespace()
        while true {
            if current == UInt8(ascii: "}") { position += 1; return pairs }
            let key = try parseValue(depth: depth + 1)
            skipWhitespace()
            guard current == UInt8(ascii: ":") else {
                throw failure("expected ':' after dict key \(key.repr), found \(describeCurrent())")
            }
            position += 1
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            pairs.append((key, value))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                position += 1
                skipWhitespace()
            } else if current == UInt8(ascii: "}") {
                position += 1
                return pairs
            } else {
                throw failure("expected ',' or '}', found \(describeCurrent())")
            }
        }
    }
}
