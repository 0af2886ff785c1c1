/// An output that cannot or may not be written: the destination holds something the command must not
/// replace, or the file system refused. `ggd` exits 73 (EX_CANTCREAT) on it; nothing was written.
public struct OutputError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
