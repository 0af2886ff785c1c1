import Foundation

/// The resource policy: every size a run will allocate is estimated *before* the allocation and held
/// against one limit, so an absurd `--count`, `D` or `--width` fails at once with a message naming the
/// size, the estimate and the limit, instead of swapping or being killed minutes later.
///
/// The default limit is the smaller of 4 GB and half the machine's memory: enough for every workload
/// in the paper at its own scale, small enough that a typo cannot take the machine down. `--max-memory`
/// raises or lowers it.
public struct MemoryPolicy: Sendable, Equatable {
    /// The most bytes a run may plan to hold at once.
    public var limitBytes: Double

    public init(limitBytes: Double) { self.limitBytes = limitBytes }

    public static var standard: MemoryPolicy {
        MemoryPolicy(limitBytes: min(4e9, Double(ProcessInfo.processInfo.physicalMemory) / 2))
    }

    /// Parses "4G", "512M", "1.5GB", "2GiB", "1000000" (bytes); decimal units (k, M, G, T), binary with "i".
    public static func parse(_ text: String) throws -> MemoryPolicy {
        let t = text.trimmingCharacters(in: .whitespaces)
        var digits = t
        var multiplier = 1.0
        let suffixes: [(String, Double)] = [
            ("KIB", 1024), ("MIB", 1_048_576), ("GIB", 1_073_741_824), ("TIB", 1_099_511_627_776),
            ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("B", 1),
        ]
        for (suffix, m) in suffixes where t.uppercased().hasSuffix(suffix) {
            digits = String(t.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            multiplier = m
            break
        }
        guard let value = Double(digits), value.isFinite, value > 0 else {
            throw SettingError("--max-memory must be a positive size such as 512M, 8G or 2GiB, got '\(text)'")
        }
        return MemoryPolicy(limitBytes: value * multiplier)
    }

    /// Throws `ResourceLimitError` when `estimate` exceeds the limit.
    public func require(_ estimate: MemoryEstimate) throws {
        guard estimate.bytes <= limitBytes else { throw ResourceLimitError(estimate: estimate, limitBytes: limitBytes) }
    }
}

/// What a piece of work will hold in memory, item by item, in bytes. Sizes are Doubles so that products
/// of absurd inputs (D = 1e30) stay representable instead of overflowing `Int`.
public struct MemoryEstimate: Sendable, Equatable {
    /// What the estimate is for ("ggd sample --count 10000000").
    public var work: String
    /// (what, bytes), the largest items the work holds at once.
    public var items: [(String, Double)]

    public init(_ work: String, items: [(String, Double)] = []) {
        self.work = work
        self.items = items
    }

    public var bytes: Double { items.reduce(0) { $0 + $1.1 } }

    /// Adds `count` elements of `bytesEach` bytes (8 for Double, 4 for Float).
    public mutating func add(_ what: String, elements count: Double, bytesEach: Double = 8) {
        items.append((what, max(0, count) * bytesEach))
    }

    /// Adds the estimates of another piece of work held at the same time.
    public mutating func add(_ other: MemoryEstimate) { items += other.items }

    public static func == (a: MemoryEstimate, b: MemoryEstimate) -> Bool {
        a.work == b.work && a.items.map(\.0) == b.items.map(\.0) && a.items.map(\.1) == b.items.map(\.1)
    }
}

/// A run that would need more memory than the policy allows. `ggd` exits 64 on it (the options or the
/// setting ask for too much), without the usage text.
public struct ResourceLimitError: Error, CustomStringConvertible, Sendable, Equatable {
    public let estimate: MemoryEstimate
    public let limitBytes: Double

    public var description: String {
        let largest = estimate.items.sorted { $0.1 > $1.1 }.prefix(3)
            .map { "\($0.0) \(ByteCount.text($0.1))" }.joined(separator: ", ")
        return "\(estimate.work) would need about \(ByteCount.text(estimate.bytes)) of memory (\(largest)), more than the limit of "
            + "\(ByteCount.text(limitBytes)); make it smaller, or raise the limit with --max-memory (e.g. --max-memory 16G) if the machine has the memory"
    }
}
