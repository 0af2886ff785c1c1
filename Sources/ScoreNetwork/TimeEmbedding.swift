#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra

/// The sinusoidal embedding of the integer diffusion step t:
///
///     f_k = exp(−ln(10000)·k/64),  k = 0 … 63
///     e(t) = [sin(t·f_0), …, sin(t·f_63), cos(t·f_0), …, cos(t·f_63)]   (128 numbers)
///
/// Always computed in Double and rounded once to the network's precision, so that a Float and a Double
/// network see the same embedding up to one rounding.
public enum TimeEmbedding {
    public static let width = 128
    public static let frequencyCount = 64

    /// f_k = exp(−ln(10000)·k/64).
    @inlinable
    public static func frequency(_ k: Int) -> Double {
        exp(-log(10000.0) * Double(k) / Double(frequencyCount))
    }

    /// All 64 frequencies.
    public static var frequencies: [Double] { (0..<frequencyCount).map(frequency) }

    /// e(t).
    public static func embedding(step: Int) -> [Double] {
        let f = frequencies
        return f.map { sin(Double(step) * $0) } + f.map { cos(Double(step) * $0) }
    }

    /// Writes e(t) to `out[0 ..< 128]`.
    @inlinable
    static func write<S: BLASScalar>(step: Int, frequencies: UnsafePointer<Double>, into out: UnsafeMutablePointer<S>) {
        let t = Double(step)
        for k in 0..<frequencyCount {
            let a = t * frequencies[k]
            out[k] = S(sin(a))
            out[frequencyCount + k] = S(cos(a))
        }
    }
}
