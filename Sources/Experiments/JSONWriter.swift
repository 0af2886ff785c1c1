import Foundation

/// A JSON writer whose output is byte-identical for identical values and whose numbers round-trip
/// exactly: keys sorted, doubles in Swift's shortest round-trip form (Foundation's writer drops the 17th
/// significant digit on some platforms, which breaks replaying a run from its own output), non-finite
/// numbers as null, arrays of scalars on one line.
public enum JSONWriter {
    public static func string(_ value: Any) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out + "\n"
    }

    private static func write(_ value: Any, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch value {
        case is NSNull: out += "null"
        case let s as String: out += quoted(s)
        case let b as Bool where type(of: value) == Bool.self: out += b ? "true" : "false"
        case let i as Int: out += String(i)
        case let u as UInt64: out += String(u)
        case let i as Int64: out += String(i)
        case let d as Double: out += number(d)
        case let f as Float: out += number(Double(f))
        case let dict as [String: Any]:
            if dict.isEmpty { out += "{}"; return }
            out += "{\n"
            for (n, key) in dict.keys.sorted().enumerated() {
                out += inner + quoted(key) + ": "
                write(dict[key]!, indent: indent + 1, into: &out)
                out += n + 1 < dict.count ? ",\n" : "\n"
            }
            out += pad + "}"
        case let array as [Any]:
            if array.isEmpty { out += "[]"; return }
            if array.allSatisfy({ !($0 is [Any]) && !($0 is [String: Any]) }) {
                out += "["
                for (n, e) in array.enumerated() {
                    if n > 0 { out += ", " }
                    write(e, indent: indent + 1, into: &out)
                }
                out += "]"
            } else {
                out += "[\n"
                for (n, e) in array.enumerated() {
                    out += inner
                    write(e, indent: indent + 1, into: &out)
                    out += n + 1 < array.count ? ",\n" : "\n"
                }
                out += pad + "]"
            }
        default:
            out += quoted("\(value)")
        }
    }

    /// Shortest representation that reads back to the same Double; null for NaN and infinities.
    public static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) + (d == 0 && d.sign == .minus ? ".0" : "") }
        return "\(d)"
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

extension JSONWriter {
    /// `value` encoded as JSON in this writer's layout (keys sorted, arrays of scalars on one line). The
    /// encoder's number and string tokens are kept as written (Swift's shortest round-trip doubles, exact
    /// 64-bit integers); only the layout is redone, so typed `Encodable` records and older untyped outputs
    /// read the same.
    public static func string<T: Encodable>(encoding value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var parser = TokenTree.Parser(bytes: Array(try encoder.encode(value)))
        let tree = try parser.value()
        var out = ""
        tree.write(indent: 0, into: &out)
        return out + "\n"
    }

    /// JSON as a tree whose leaves are the encoder's own tokens.
    indirect enum TokenTree {
        case scalar(String)
        case array([TokenTree])
        case object([(key: String, value: TokenTree)])

        var isContainer: Bool {
            if case .scalar = self { return false }
            return true
        }

        func write(indent: Int, into out: inout String) {
            let pad = String(repeating: "  ", count: indent), inner = String(repeating: "  ", count: indent + 1)
            switch self {
            case let .scalar(token): out += token
            case let .object(members):
                if members.isEmpty { out += "{}"; return }
                out += "{\n"
                let sorted = members.sorted { $0.key < $1.key }
                for (n, m) in sorted.enumerated() {
                    out += inner + m.key + ": "
                    m.value.write(indent: indent + 1, into: &out)
                    out += n + 1 < sorted.count ? ",\n" : "\n"
                }
                out += pad + "}"
            case let .array(elements):
                if elements.isEmpty { out += "[]"; return }
                if !elements.contains(where: \.isContainer) {
                    out += "[" + elements.map { e -> String in var s = ""; e.write(indent: 0, into: &s); return s }.joined(separator: ", ") + "]"
                    return
                }
                out += "[\n"
                for (n, e) in elements.enumerated() {
                    out += inner
                    e.write(indent: indent + 1, into: &out)
                    out += n + 1 < elements.count ? ",\n" : "\n"
                }
                out += pad + "]"
            }
        }

        /// A parser of the encoder's compact output (well-formed by construction; errors are reported anyway).
        struct Parser {
            let bytes: [UInt8]
            var i = 0

            init(bytes: [UInt8]) { self.bytes = bytes }

            struct Malformed: Error, CustomStringConvertible {
                let offset: Int
                var description: String { "malformed JSON from the encoder at byte \(offset)" }
            }

            mutating func skipSpace() { while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 } }

            mutating func value() throws -> TokenTree {
                skipSpace()
                guard i < bytes.count else { throw Malformed(offset: i) }
                switch bytes[i] {
                case UInt8(ascii: "{"):
                    i += 1
                    var members = [(key: String, value: TokenTree)]()
                    skipSpace()
                    if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                    while true {
                        skipSpace()
                        let key = try string()
                        skipSpace()
                        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw Malformed(offset: i) }
                        i += 1
                        members.append((key, try value()))
                        skipSpace()
                        guard i < bytes.count else { throw Malformed(offset: i) }
                        if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                        guard bytes[i] == UInt8(ascii: "}") else { throw Malformed(offset: i) }
                        i += 1
                        return .object(members)
                    }
                case UInt8(ascii: "["):
                    i += 1
                    var elements = [TokenTree]()
                    skipSpace()
                    if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
                    while true {
                        elements.append(try value())
                        skipSpace()
                        guard i < bytes.count else { throw Malformed(offset: i) }
                        if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                        guard bytes[i] == UInt8(ascii: "]") else { throw Malformed(offset: i) }
                        i += 1
                        return .array(elements)
                    }
                case UInt8(ascii: "\""):
                    return .scalar(try string())
                default:
                    let start = i
                    while i < bytes.count, !",]} \n\r\t".utf8.contains(bytes[i]) { i += 1 }
                    guard i > start else { throw Malformed(offset: i) }
                    return .scalar(String(decoding: bytes[start..<i], as: UTF8.self))
                }
            }

            /// A string token, quotes and escapes kept as written.
            mutating func string() throws -> String {
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw Malformed(offset: i) }
                let start = i
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
                guard i < bytes.count else { throw Malformed(offset: start) }
                i += 1
                return String(decoding: bytes[start..<i], as: UTF8.self)
            }
        }
    }
}
