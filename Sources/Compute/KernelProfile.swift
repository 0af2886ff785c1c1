import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a run's time goes, kernel by kernel, on the host backends (`ggd bench --profile`): off in every
/// normal run (one load and a branch per kernel call), and on only inside `measure(_:)`, which returns
/// the seconds and calls of each category. Only the kernel calls made on the thread that called `measure`
/// count (a kernel that splits its work over threads is timed whole, on its caller), so other threads'
/// work in the same process (a parallel test run) is never mixed in. One `measure` at a time.
public enum KernelProfile {
    public enum Category: Int, CaseIterable, Sendable {
        case gemm, gemv, activation, elementwise, sampler, noise, copies

        public var name: String {
            switch self {
            case .gemm: return "gemm (BLAS)"
            case .gemv: return "gemv (BLAS)"
            case .activation: return "SiLU and its derivative"
            case .elementwise: return "bias, products, column sums"
            case .sampler: return "x̂₀, β and the guidance rows, the DDPM step, conversions"
            case .noise: return "Philox normals"
            case .copies: return "copies"
            }
        }
    }

    public struct Entry: Sendable, Equatable {
        public var seconds: Double
        public var calls: Int
    }

    @usableFromInline nonisolated(unsafe) static var active = false
    @usableFromInline nonisolated(unsafe) static var owner = pthread_self()
    @usableFromInline nonisolated(unsafe) static var nanoseconds = [UInt64](repeating: 0, count: Category.allCases.count)
    @usableFromInline nonisolated(unsafe) static var calls = [Int](repeating: 0, count: Category.allCases.count)

    /// The start of a kernel call (0 when profiling is off): paired with `stop`, in the kernel's own body,
    /// so the kernel's loops stay as the compiler specialises them (no closure around them).
    @inlinable @inline(__always)
    public static func start() -> UInt64 {
        guard active, pthread_equal(pthread_self(), owner) != 0 else { return 0 }
        return DispatchTime.now().uptimeNanoseconds
    }

    /// The end of a kernel call begun at `start`.
    @inlinable @inline(__always)
    public static func stop(_ category: Category, _ start: UInt64) {
        guard active, start != 0 else { return }
        record(category, DispatchTime.now().uptimeNanoseconds &- start)
    }

    @usableFromInline static func record(_ category: Category, _ elapsed: UInt64) {
        nanoseconds[category.rawValue] &+= elapsed
        calls[category.rawValue] += 1
    }

    /// Runs `body` with profiling on: its result, its wall time and each category's share.
    public static func measure<R>(_ body: () throws -> R) rethrows -> (result: R, wall: Double, entries: [Category: Entry]) {
        nanoseconds = [UInt64](repeating: 0, count: Category.allCases.count)
        calls = [Int](repeating: 0, count: Category.allCases.count)
        owner = pthread_self()
        active = true
        defer { active = false }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var entries: [Category: Entry] = [:]
        for c in Category.allCases { entries[c] = Entry(seconds: Double(nanoseconds[c.rawValue]) / 1e9, calls: calls[c.rawValue]) }
        return (result, wall, entries)
    }
}
