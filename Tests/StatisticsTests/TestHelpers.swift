import Randomness
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// |a − b| ≤ max(absolute, relative · |b|).
func close(_ a: Double, _ b: Double, relative: Double = 1e-10, absolute: Double = 0) -> Bool {
    if a == b { return true }
    return abs(a - b) <= max(absolute, relative * abs(b))
}

/// A tiny deterministic generator for calibration checks (SplitMix64, Steele, Lea &
/// Flood 2014) on the project's own finaliser, so the tests are reproducible.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        defer { state &+= 0x9E37_79B9_7F4A_7C15 }
        return StreamKey.mix(state)          // the project's SplitMix64 finaliser: adds the increment, mixes
    }

    /// Uniform on the open interval (0, 1), 53 bits.
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// Standard normal by Box–Muller.
    mutating func normal() -> Double {
        let u = uniform(), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    mutating func uniforms(_ n: Int) -> [Double] { (0..<n).map { _ in uniform() } }
    mutating func normals(_ n: Int) -> [Double] { (0..<n).map { _ in normal() } }
}

/// Standard normal CDF Φ(x) = erfc(−x/√2)/2.
func standardNormalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

/// CDF of the uniform distribution on [0, 1].
func uniformCDF(_ x: Double) -> Double { min(1, max(0, x)) }
