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
