/// Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11):
/// a counter-based generator, i.e. a keyed bijection from a 128-bit counter to 128 random bits.
///
/// Counter-based means any draw is a pure function of (key, counter): no state to carry, no order to
/// respect, and the same numbers on every backend and thread count.
public enum Philox4x32 {
    public typealias Counter = (UInt32, UInt32, UInt32, UInt32)
    public typealias Key = (UInt32, UInt32)

    @usableFromInline static let m0: UInt32 = 0xD251_1F53
    @usableFromInline static let m1: UInt32 = 0xCD9E_8D57
    @usableFromInline static let w0: UInt32 = 0x9E37_79B9
    @usableFromInline static let w1: UInt32 = 0xBB67_AE85

    /// The ten-round Philox4x32 bijection.
    @inlinable @inline(__always)
    public static func block(counter: Counter, key: Key) -> Counter {
        var (c0, c1, c2, c3) = counter
        var (k0, k1) = key
        for round in 0..<10 {
            if round > 0 { k0 &+= w0; k1 &+= w1 }
            let p0 = UInt64(m0) &* UInt64(c0)
            let p1 = UInt64(m1) &* UInt64(c2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
        }
        return (c0, c1, c2, c3)
    }
}

extension Philox4x32 {
    /// Eight consecutive blocks at once: counters (c0 + j, c1, c2, c3) for j = 0…7, lane j of each result
    /// word. The same numbers as eight calls of `block`, computed in SIMD lanes.
    @inlinable @inline(__always)
    public static func eightBlocks(firstCounter c: Counter, key: Key) -> (SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>) {
        var c0 = SIMD8<UInt32>(repeating: c.0) &+ SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7)
        var c1 = SIMD8<UInt32>(repeating: c.1)
        var c2 = SIMD8<UInt32>(repeating: c.2)
        var c3 = SIMD8<UInt32>(repeating: c.3)
        var (k0, k1) = key
        let mul0 = SIMD8<UInt64>(repeating: UInt64(m0)), mul1 = SIMD8<UInt64>(repeating: UInt64(m1))
        for round in 0..<10 {
            if round > 0 { k0 &+= w0; k1 &+= w1 }
            let p0 = LaneWidth.widen(c0) &* mul0
            let p1 = LaneWidth.widen(c2) &* mul1
            let hi0 = LaneWidth.narrow(p0 &>> 32), lo0 = LaneWidth.narrow(p0)
            let hi1 = LaneWidth.narrow(p1 &>> 32), lo1 = LaneWidth.narrow(p1)
            c0 = hi1 ^ c1 ^ SIMD8<UInt32>(repeating: k0)
            c1 = lo1
            c2 = hi0 ^ c3 ^ SIMD8<UInt32>(repeating: k1)
            c3 = lo0
        }
        return (c0, c1, c2, c3)
    }
}

/// Lane-wise widening and narrowing of eight 32/64-bit lanes, written out so that they always inline
/// into Philox's rounds: the standard library's generic `SIMD8(truncatingIfNeeded:)` is left as a call
/// by some optimiser decisions (it was, after an unrelated file rename), which halved the noise rate.
@usableFromInline
enum LaneWidth {
    @inlinable @inline(__always)
    static func widen(_ v: SIMD8<UInt32>) -> SIMD8<UInt64> {
        SIMD8(UInt64(v[0]), UInt64(v[1]), UInt64(v[2]), UInt64(v[3]), UInt64(v[4]), UInt64(v[5]), UInt64(v[6]), UInt64(v[7]))
    }

    @inlinable @inline(__always)
    static func narrow(_ v: SIMD8<UInt64>) -> SIMD8<UInt32> {
        SIMD8(UInt32(truncatingIfNeeded: v[0]), UInt32(truncatingIfNeeded: v[1]), UInt32(truncatingIfNeeded: v[2]), UInt32(truncatingIfNeeded: v[3]),
              UInt32(truncatingIfNeeded: v[4]), UInt32(truncatingIfNeeded: v[5]), UInt32(truncatingIfNeeded: v[6]), UInt32(truncatingIfNeeded: v[7]))
    }
}
