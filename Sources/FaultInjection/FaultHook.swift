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
    /// The graded fault switched on now and its size (nil in every normal run).
    @usableFromInline nonisolated(unsafe) static var currentGraded: (fault: GradedFault, size: Double)?
    private static let lock = NSLock()

    /// The fault switched on now (nil in every normal run).
    public static var active: Fault? { current }

    /// The graded fault switched on now, with its size (nil in every normal run).
    public static var activeGraded: (fault: GradedFault, size: Double)? { currentGraded }

    /// The size ε of `fault` when it is switched on, else 0: a site multiplies by 1 + ε or adds ε.
    @inlinable @inline(__always)
    public static func size(_ fault: GradedFault) -> Double {
        guard let c = currentGraded, c.fault == fault else { return 0 }
        return c.size
    }

    /// Whether `fault` is switched on.
    @inlinable @inline(__always)
    public static func isActive(_ fault: Fault) -> Bool {
        guard let c = current else { return false }
        return c == fault
    }

    /// Runs `body` with `fault` switched on, then switches it off. One fault at a time; set it before
    /// starting any threads that read it (the run's own threads may read it freely).
    public static func inject<R>(_ fault: Fault, acknowledging phrase: String, during body: () throws -> R) throws -> R {
        try switched(acknowledging: phrase, on: { current = fault }, off: { current = nil }, during: body)
    }

    /// Runs `body` with the graded `fault` switched on at size `size` (finite), then switches it off.
    /// The same rules as `inject(_:acknowledging:during:)`: one fault (plain or graded) at a time.
    public static func inject<R>(_ fault: GradedFault, size: Double, acknowledging phrase: String, during body: () throws -> R) throws -> R {
        guard phrase == acknowledgement else { throw FaultHookError.notAcknowledged }
        guard size.isFinite else { throw FaultHookError.badSize(fault, size) }
        return try switched(acknowledging: phrase, on: { currentGraded = (fault, size) }, off: { currentGraded = nil }, during: body)
    }

    /// The one switch both kinds go through: acknowledged, refused while any fault is on, off again
    /// whatever `body` does.
    private static func switched<R>(acknowledging phrase: String, on: () -> Void, off: () -> Void, during body: () throws -> R) throws -> R {
        guard phrase == acknowledgement else { throw FaultHookError.notAcknowledged }
        lock.lock()
        if let busy = activeName {
            lock.unlock()
            throw FaultHookError.alreadyActive(busy)
        }
        on()
        lock.unlock()
        defer {
            lock.lock()
            off()
            lock.unlock()
        }
        return try body()
    }

    /// The name of whatever fault is on (called under the lock).
    private static var activeName: String? {
        current?.rawValue ?? currentGraded.map { "\($0.fault.rawValue) at ε = \($0.size)" }
    }
}

public enum FaultHookError: Error, CustomStringConvertible, Equatable {
    case notAcknowledged
    case alreadyActive(String)
    case badSize(GradedFault, Double)

    public var description: String {
        switch self {
        case .notAcknowledged: return "a fault can only be injected with FaultHook.acknowledgement"
        case let .alreadyActive(f): return "fault '\(f)' is already active; one fault at a time"
        case let .badSize(f, size): return "graded fault '\(f.rawValue)' needs a finite size, got \(size)"
        }
    }
}
