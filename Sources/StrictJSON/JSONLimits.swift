/// Bounds on what `JSONParser` accepts.
///
/// Settings and results files are small; the limits exist so that hostile or runaway input (a file of a
/// million `[`, a multi-gigabyte log fed by mistake) fails at once with a clear error instead of
/// exhausting memory. The parser is iterative, so parsing never recurses whatever the depth; but a parsed
/// `JSONValue` is released recursively by Swift (and `plain` recurses), so a limit of many thousands of
/// levels would move the risk of a stack overflow from the parser to the caller. Keep it modest.
public struct JSONLimits: Sendable, Equatable {
    /// The deepest nesting of arrays and objects accepted: a top-level `[]` is depth 1. Default 256.
    public var maxDepth: Int
    /// The largest input accepted, in bytes. Default 256 MiB.
    public var maxInputBytes: Int

    public init(maxDepth: Int = 256, maxInputBytes: Int = 256 << 20) {
        self.maxDepth = maxDepth
        self.maxInputBytes = maxInputBytes
    }

    /// Depth 256, 256 MiB.
    public static let `default` = JSONLimits()
}
