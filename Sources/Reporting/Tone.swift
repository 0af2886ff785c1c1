/// The verdict a table cell or row carries. Renderers colour it and always spell it out in text as
/// well, so the verdict survives printing in grey and colour-vision deficiencies.
public enum Tone: String, Sendable, Codable, Equatable {
    case pass
    case fail
    case warn
    case neutral

    /// The word conventionally written in a verdict cell; failures are capitalised to stand out.
    public var label: String {
        switch self {
        case .pass: return "pass"
        case .fail: return "FAIL"
        case .warn: return "warn"
        case .neutral: return "—"
        }
    }

    /// Symbol prefixed to toned cells in HTML (a glyph that reads without colour).
    var htmlMark: String? {
        switch self {
        case .pass: return "✓"
        case .fail: return "✗"
        case .warn: return "!"
        case .neutral: return nil
        }
    }

    /// Emoji prefixed to toned cells in Markdown, which has no cell colours.
    var markdownMark: String? {
        switch self {
        case .pass: return "✅"
        case .fail: return "❌"
        case .warn: return "⚠️"
        case .neutral: return nil
        }
    }
}
