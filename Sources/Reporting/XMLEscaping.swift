/// Escaping of user text for XML and HTML, shared by the SVG and HTML renderers.
enum XMLEscaping {
    /// `text` safe inside element content and quoted attribute values: `& < > " '` become
    /// character references, and characters XML 1.0 forbids (most C0 controls, unpaired
    /// surrogates cannot occur in Swift strings) become U+FFFD, so the output always parses.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
