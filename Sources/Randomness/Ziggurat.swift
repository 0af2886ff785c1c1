#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The tables of Marsaglia and Tsang's ziggurat for the standard normal ("The ziggurat method for
/// generating random variables", J. Stat. Softw. 5(8), 2000) with 256 layers, drawn with independent
/// bits for layer, sign and abscissa as Doornik recommends ("An improved ziggurat method to generate
/// normal random samples", 2005).
///
/// About 99% of draws take one 64-bit word and a multiply, which is why the samplers' noise is not
/// dominated by logarithms and trigonometry as Box–Muller's would be.
public enum Ziggurat {
    public static let layers = 256
    /// Right end of the base layer (the start of the tail), r.
    public static let tailStart = 3.6541528853610088
    /// The common area of every layer, v.
    public static let layerArea = 0.00492867323399

    /// x[0] = v/f(r) (the base layer's virtual width), x[1] = r, …, x[256] = 0.
    public static let x: [Double] = {
        var x = [Double](repeating: 0, count: layers + 1)
        let f = { (t: Double) in exp(-0.5 * t * t) }
        x[0] = layerArea / f(tailStart)
        x[1] = tailStart
        for i in 1..<(layers - 1) {
            x[i + 1] = (-2 * log(layerArea / x[i] + f(x[i]))).squareRoot()
        }
        x[layers] = 0
        return x
    }()

    /// f(x[i]) = exp(−x[i]²/2).
    public static let fx: [Double] = x.map { exp(-0.5 * $0 * $0) }

    /// One standard normal from a row's words (it may take more than one).
    @inlinable @inline(__always)
    public static func normal(_ words: inout RowWords) -> Double {
        x.withUnsafeBufferPointer { x in fx.withUnsafeBufferPointer { fx in normal(&words, x: x, fx: fx) } }
    }

    /// The same, with the tables passed in (the fill loops fetch them once).
    @inlinable @inline(__always)
    public static func normal(_ words: inout RowWords, x: UnsafeBufferPointer<Double>, fx: UnsafeBufferPointer<Double>) -> Double {
        while true {
            let w = words.next()
            let i = Int(w & 0xFF)
            let signBit = (w & 0x100) << 55                                     // bit 8 → the sign bit, branch-free
            let u = Double(w >> 11) * (1.0 / 9_007_199_254_740_992.0)      // [0, 1), 53 bits
            let z = u * x[i]
            if z < x[i + 1] { return Double(bitPattern: z.bitPattern | signBit) }                               // inside the layer's rectangle
            if i == 0 {                                                        // the tail beyond r
                while true {
                    let a = -log(uniformOpen(words.next())) / tailStart
                    let b = -log(uniformOpen(words.next()))
                    if 2 * b > a * a { return Double(bitPattern: (tailStart + a).bitPattern | signBit) }
                }
            }
            // The wedge between the layer's rectangle and the curve.
            let v = uniformOpen(words.next())
            if fx[i + 1] + v * (fx[i] - fx[i + 1]) < exp(-0.5 * z * z) { return Double(bitPattern: z.bitPattern | signBit) }
        }
    }

    /// A uniform in the open interval (0, 1) from the top 53 bits of a word.
    @inlinable @inline(__always)
    public static func uniformOpen(_ w: UInt64) -> Double {
        (Double(w >> 11) + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }
}
