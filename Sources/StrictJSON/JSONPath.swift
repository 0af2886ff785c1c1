/// JSON paths and quoted text as error messages show them.
///
/// A path reads like code that would reach the value: `data.mixture.weights[2]`; a key that is not a
/// plain identifier is bracketed and quoted (`data["a b"]`). Text quoted from the input is escaped and
/// shortened so that every message stays on one line and a reasonable length.
enum JSONPath {
    enum Component {
        case key(String)
        case index(Int)
    }

    static func render(_ components: [Component]) -> String {
        var out = ""
        for c in components {
            switch c {
            case let .index(i):
                out += "[\(i)]"
            case let .key(k):
                if isIdentifier(k) { out += out.isEmpty ? k : "." + k }
                else { out += "[\"\(escaped(k, limit: 40))\"]" }
            }
        }
        return out
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// `s` with quotes, backslashes and invisible characters escaped, cut to `limit` scalars plus `…`.
    static func escaped(_ s: String, limit: Int = 60) -> String {
        var out = ""
        var n = 0
        for u in s.unicodeScalars {
            if n == limit { return out + "…" }
            n += 1
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if isInvisible(u) { out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}" }
                else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// Control, format, separator and unassigned scalars, which would not show (or break the line).
    static func isInvisible(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .surrogate, .unassigned, .privateUse:
            return u != " "
        default:
            return false
        }
    }
}
