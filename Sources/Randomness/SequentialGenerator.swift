/// A `RandomNumberGenerator` that reads one Philox stream row from its start, for the few draws that are
/// naturally sequential (shuffles, generated settings, property cases).
///
/// Shuffling and bounded integers are implemented here rather than taken from the standard library, whose
/// algorithms may change between Swift releases; replay tokens must stay valid.
public struct SequentialGenerator: RandomNumberGenerator, Sendable {
    public let stream: RandomStream
    public let row: UInt32
    private var block: UInt32 = 0
    private var buffer: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    private var used = 4

    public init(_ key: StreamKey, row: Int = 0) {
        precondition(row >= 0 && row <= Int(UInt32.max), "stream row \(row) outside 0...2³²−1")
        stream = RandomStream(key)
        self.row = UInt32(row)
    }

    private mutating func nextWord() -> UInt32 {
        if used == 4 {
            buffer = stream.bits(row: row, block: block)
            block &+= 1
            used = 0
        }
        defer { used += 1 }
        switch used {
        case 0: return buffer.0
        case 1: return buffer.1
        case 2: return buffer.2
        default: return buffer.3
        }
    }

    public mutating func next() -> UInt64 {
        let hi = UInt64(nextWord())
        return hi << 32 | UInt64(nextWord())
    }

    /// Uniform in (0, 1), 53 bits.
    public mutating func uniform() -> Double {
        (Double(next() >> 11) + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Standard normal (Box–Muller, one of the pair; the other is discarded to keep draws position-free).
    public mutating func normal() -> Double {
        let u1 = uniform(), u2 = uniform()
        return (-2 * _logOf(u1)).squareRoot() * _cosOf(2 * Double.pi * u2)
    }

    /// Uniform integer in 0..<bound, without modulo bias (Lemire's multiply-and-reject).
    public mutating func integer(below bound: Int) -> Int {
        precondition(bound > 0, "integer(below:) needs a positive bound, got \(bound)")
        let b = UInt64(bound)
        while true {
            let x = next()
            let (hi, lo) = x.multipliedFullWidth(by: b)
            if lo >= (0 &- b) % b { return Int(hi) }
        }
    }

    /// Uniform integer in the closed range.
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + integer(below: range.upperBound - range.lowerBound + 1)
    }

    /// Fisher–Yates permutation of 0..<n.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = integer(below: i + 1)
            p.swapAt(i, j)
        }
        return p
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
@inline(__always) private func _logOf(_ x: Double) -> Double { log(x) }
@inline(__always) private func _cosOf(_ x: Double) -> Double { cos(x) }
