import Foundation

/// Escaping of user text for GitHub-flavoured Markdown, so that text is shown as written and never
/// starts emphasis, links, headings or table columns by accident.
enum MarkdownEscaping {
    /// Characters that carry meaning somewhere in GFM inline syntax; backslash-escaping them is always safe.
    private static let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "#", "|", "~", "!"]

    /// `text` as literal inline Markdown on one line. In tables, line breaks become `<br>`; elsewhere spaces.
    static func text(_ text: String, inTable: Bool = false) -> String {
        var out = ""
        for character in text {
            if special.contains(character) {
                out += "\\\(character)"
            } else if character == "&" {
                out += "&amp;"
            } else if character.isNewline {
                out += inTable ? "<br>" : " "
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// A code span whose fence is longer than any backtick run inside. In tables `|` is escaped
    /// (GFM's table rule applies even inside code spans) and line breaks become spaces.
    static func code(_ code: String, inTable: Bool = false) -> String {
        var content = code.split(whereSeparator: \.isNewline).joined(separator: " ")
        if inTable { content = content.replacingOccurrences(of: "|", with: "\\|") }
        var longest = 0, run = 0
        for character in content {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = content.first == "`" || content.last == "`" ? " \(content) " : content
        return fence + padded + fence
    }

    /// A fenced code block whose fence is longer than any backtick run inside.
    static func codeBlock(_ code: String) -> String {
        var longest = 0, run = 0
        for character in code {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        let body = code.hasSuffix("\n") ? String(code.dropLast()) : code
        return "\(fence)text\n\(body)\n\(fence)"
    }

    /// A link destination with the characters that would end or break it percent-encoded.
    static func url(_ url: String) -> String {
        var out = ""
        for scalar in url.unicodeScalars {
            switch scalar {
            case " ": out += "%20"
            case "(": out += "%28"
            case ")": out += "%29"
            case "<": out += "%3C"
            case ">": out += "%3E"
            case "|": out += "%7C"
            case "\n", "\r", "\t": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes a line start that GFM would read as a list item, setext underline or numbered item.
    static func protectLineStart(_ line: String) -> String {
        guard let first = line.first else { return line }
        if first == "-" || first == "+" || first == "=" { return "\\" + line }
        let digits = line.prefix(while: \.isASCIIDigit)
        if !digits.isEmpty, digits.count <= 9, let next = line.dropFirst(digits.count).first, next == "." || next == ")" {
            return digits + "\\" + line.dropFirst(digits.count)
        }
        return line
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
