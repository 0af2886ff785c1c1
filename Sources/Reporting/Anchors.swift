/// Unique fragment identifiers for one document, so headings and figures can be linked.
struct Anchors {
    private var used = Set<String>()

    /// A unique id from `preferred` (or, when nil, from `text`): lowercase letters, digits and '-',
    /// suffixed "-2", "-3", … when already taken. Never empty.
    mutating func claim(_ preferred: String?, text: String) -> String {
        var base = Anchors.slug(preferred ?? text)
        if base.isEmpty { base = "section" }
        var candidate = base
        var n = 2
        while used.contains(candidate) {
            candidate = "\(base)-\(n)"
            n += 1
        }
        used.insert(candidate)
        return candidate
    }

    /// GitHub-like slug: lowercased, spaces to '-', other punctuation dropped (ASCII only, so the id is
    /// valid everywhere).
    static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_" {
                out.unicodeScalars.append(scalar)
            } else if scalar == " " {
                out += "-"
            }
        }
        return out
    }
}
