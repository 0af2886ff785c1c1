/// Line and column of a byte offset, computed only when an error is reported.
///
/// The parser's hot path tracks byte offsets alone; turning one into a line and column is a scan from the
/// start of the input, done once per error (and for the positions an error message names).
enum TextLocation {
    /// The 1-based line and column of `offset`. Lines end at LF, CR LF or a lone CR; columns count
    /// Unicode scalars (every byte that is not a UTF-8 continuation byte), so they match what an editor
    /// shows for text without combining marks or wide characters.
    static func of(_ offset: Int, in b: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var i = 0
        let end = min(offset, b.count)
        while i < end {
            let c = b[i]
            if c == 0x0A {
                line += 1
                column = 1
            } else if c == 0x0D {
                // A lone CR ends a line; in CR LF the LF does (and the CR takes no column).
                if !(i + 1 < b.count && b[i + 1] == 0x0A) {
                    line += 1
                    column = 1
                }
            } else if c & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return (line, column)
    }

    /// `line L column C`, the form messages use to point at a second position.
    static func phrase(_ offset: Int, in b: UnsafeBufferPointer<UInt8>) -> String {
        let (line, column) = of(offset, in: b)
        return "line \(line) column \(column)"
    }
}
