import Foundation

/// The one switch through which a `Fault` is turned on, for mutation testing only.
///
/// Inert in normal runs: no fault is active unless `inject(_:acknowledging:during:)` is called with
/// the exact acknowledgement phrase, and the fault is switched off again when its body returns (or
/// throws). Nothing reads an environment variable or a file, so a fault cannot be turned on from
/// outside by accident; `ggd mutants` is the only caller in the tool. Library code asks
/// `FaultHook.isActive(.someFault)` at the fault's site — one load and compare, off the hot loops.
public enum FaultHook {
    /// The phrase `inject` requires, so that no call turns a fault on without saying so.
    public static let acknowledgement = "mutation testing: results are deliberately wrong"

    @usableFromInline nonisolated(unsafe) static var current: Fault?
    private static let lock = NSLock()

    /// The fault switched on now (nil in every normal run).
    public static var active: Fault? { current }

    /// Whether `fault` is switched on.
    @inlinable @inline(__always)
    public static func isActive(_ fault: Fault) -> Bool {
        guard let c = current else { return false }
        return c == fault
    }

    /// Runs `body` with `fault` switched on, then switches it off. One fault at a time; set it before
    /// starting any threads that read it (the run's own threads may read it freely).
    public static func inject<R>(_ fault: Fault, acknowledging phrase: String, during body: () throws -> R) throws -> R {
        guard phrase == acknowledgement else { throw FaultHookError.notAcknowledged }
        lock.lock()
        guard current == nil else {
            lock.unlock()
            throw FaultHookError.alreadyActive(current!)
        }
        current = fault
        lock.unlock()
        defer {
            lock.lock()
            current = nil
            lock.unlock()
        }
        return try body()
    }
}

public enum FaultHookError: Error, CustomStringConvertible, Equatable {
    case notAcknowledged
    case alreadyActive(Fault)

    public var description: String {
        switch self {
        case .notAcknowledged: return "a fault can only be injected with FaultHook.acknowledgement"
        case let .alreadyActive(f): return "fault '\(f.rawValue)' is already active; one fault at a time"
        }
    }
}
