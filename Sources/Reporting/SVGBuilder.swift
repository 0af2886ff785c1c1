/// Accumulates SVG markup one element per line, escaping every attribute value and text.
struct SVGBuilder {
    private(set) var output = ""

    /// An element with optional text content; attributes whose value is nil are left out.
    mutating func element(_ name: String, _ attributes: [(String, String?)], text: String? = nil) {
        output += "<\(name)"
        appendAttributes(attributes)
        if let text {
            output += ">\(XMLEscaping.escape(text))</\(name)>\n"
        } else {
            output += "/>\n"
        }
    }

    /// Opens an element that `close` ends.
    mutating func open(_ name: String, _ attributes: [(String, String?)]) {
        output += "<\(name)"
        appendAttributes(attributes)
        output += ">\n"
    }

    mutating func close(_ name: String) {
        output += "</\(name)>\n"
    }

    /// Markup already made safe by the caller (e.g. a `<text>` with `<tspan>` children).
    mutating func raw(_ markup: String) {
        output += markup
    }

    private mutating func appendAttributes(_ attributes: [(String, String?)]) {
        for (key, value) in attributes {
            if let value { output += " \(key)=\"\(XMLEscaping.escape(value))\"" }
        }
    }
}
