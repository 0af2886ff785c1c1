/// Bounds on what reading one `.npz` archive may cost, so a hostile or broken file ("zip bomb")
/// fails with a clear `limitExceeded` error instead of exhausting memory.
///
/// Everything is checked against the zip central directory *before* any member is decompressed:
/// the archive's own size, the member count, each member's declared uncompressed size and
/// compression ratio, and the sum of all declared uncompressed sizes. While a member is inflated,
/// its output never grows past the size it declared (a header that lies gets an error, not more
/// memory). So reading allocates at most about `maxFileBytes + maxTotalBytes` for the raw bytes,
/// plus the arrays built from them (about `maxTotalBytes` again).
///
/// The defaults suit everything this package reads: a paper setting file is a few KB and a network
/// checkpoint (e.g. mlp-512x4 with its Adam moments) 10–30 MB, so 1 GiB leaves ample room while a
/// bomb is still refused. Callers that know their files are small should pass smaller limits,
/// e.g. `NPZLimits(maxFileBytes: 1 << 20, maxTotalBytes: 16 << 20)` for settings.
public struct NPZLimits: Sendable, Equatable {
    /// The archive's own size in bytes: the file on disk (checked with `fstat` before it is read) or
    /// the bytes given to `read(_:limits:)`. Default 1 GiB.
    public var maxFileBytes: Int
    /// The sum of the uncompressed sizes the central directory declares for all members. Default 1 GiB.
    public var maxTotalBytes: Int
    /// One member's declared uncompressed size. Default 1 GiB.
    public var maxEntryBytes: Int
    /// The number of members. Default 10 000 (a checkpoint has about ten).
    public var maxEntries: Int
    /// A deflated member's declared uncompressed size over its compressed size. Default 1032, deflate's
    /// own maximum (anything above it is reported as `corruptDeflate`, whatever this limit says).
    public var maxCompressionRatio: Int

    public init(maxFileBytes: Int = 1 << 30, maxTotalBytes: Int = 1 << 30, maxEntryBytes: Int = 1 << 30,
                maxEntries: Int = 10_000, maxCompressionRatio: Int = 1032) {
        self.maxFileBytes = max(0, maxFileBytes)
        self.maxTotalBytes = max(0, maxTotalBytes)
        self.maxEntryBytes = max(0, maxEntryBytes)
        self.maxEntries = max(0, maxEntries)
        self.maxCompressionRatio = max(1, maxCompressionRatio)
    }

    /// The defaults above.
    public static let `default` = NPZLimits()

    /// No bounds beyond deflate's own ratio (for trusted archives; not recommended for files).
    public static let unlimited = NPZLimits(maxFileBytes: .max, maxTotalBytes: .max, maxEntryBytes: .max, maxEntries: .max)
}

/// "1.5 GiB (1610612736 bytes)": a byte count for messages, exact and readable.
func describeBytes(_ n: Int) -> String {
    let units: [(String, Double)] = [("GiB", 1_073_741_824), ("MiB", 1_048_576), ("KiB", 1024)]
    for (unit, size) in units where Double(n) >= size {
        let value = Double(n) / size
        let rounded = (value * 10).rounded() / 10
        let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        return "\(text) \(unit) (\(n) bytes)"
    }
    return "\(n) bytes"
}
