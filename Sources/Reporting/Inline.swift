import Foundation

/// A run of text inside a paragraph, list item or table cell. A string literal is `.text`, so
/// `["Slope ", .code("-1/2"), " as predicted."]` is a paragraph's content.
public enum Inline: Sendable, Codable, Equatable, ExpressibleByStringLiteral {
    case text(String)
    /// Monospaced: identifiers, commands, values to copy.
    case code(String)
    case strong(String)
    case emphasis(String)
    /// A hyperlink; only `http`, `https`, `mailto` and relative URLs become links, any other scheme
    /// (`javascript:`, `data:`) is shown as text so that a report never carries a script.
    case link(text: String, url: String)

    public init(stringLiteral value: String) {
        self = .text(value)
    }

    /// The visible text, without markup.
    public var plainText: String {
        switch self {
        case .text(let s), .code(let s), .strong(let s), .emphasis(let s): return s
        case .link(let text, _): return text
        }
    }

    /// Whether `url` may be rendered as a link: http(s), mailto, or no scheme (a relative path or `#anchor`).
    static func isSafeURL(_ url: String) -> Bool {
        let trimmed = url.trimmingCharacters(in: .whitespaces).lowercased()
        guard let colon = trimmed.firstIndex(of: ":") else { return true }
        let scheme = trimmed[..<colon]
        // A colon after '/', '?' or '#' is part of a relative path, not a scheme.
        if scheme.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return true }
        return scheme == "http" || scheme == "https" || scheme == "mailto"
    }
}
