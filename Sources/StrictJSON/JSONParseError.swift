/// Why a JSON document was rejected, and where.
///
/// A verification tool must reject malformed hand-written input with a message a person can act on, so
/// every error names the line and column, the byte offset, and the JSON path of the value being read
/// when the problem was found (`data.mixture.weights[2]`; empty at the top level). `description` is one
/// line: `line 3, column 12 (data.T): number 1e400 is out of range for a 64-bit float`.
public struct JSONParseError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The line, 1-based. Lines end at LF, CR LF or a lone CR.
    public var line: Int
    /// The column, 1-based, counted in Unicode scalars (code points) from the start of the line: a tab or
    /// an `é` counts as one column. `byteOffset` gives the exact byte.
    public var column: Int
    /// The offset from the start of the input in bytes, 0-based.
    public var byteOffset: Int
    /// The JSON path of the enclosing value, e.g. `data.mixture.weights[2]`; empty at the top level.
    /// Keys that are not plain identifiers are written `["a key"]`.
    public var path: String
    /// What is wrong, without the position; one line.
    public var message: String

    public init(line: Int, column: Int, byteOffset: Int, path: String, message: String) {
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
        self.path = path
        self.message = message
    }

    /// `line L, column C (path): message`, the path part left out at the top level.
    public var description: String {
        "line \(line), column \(column)\(path.isEmpty ? "" : " (\(path))"): \(message)"
    }
}
