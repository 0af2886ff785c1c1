#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Uniform and standard-normal numbers read off a `StreamKey` by position.
///
/// One Philox block (128 bits) gives two 53-bit uniforms in (0, 1), and through Box–Muller two standard
/// normals; normal number n of row r is therefore a function of (key, r, n) alone.
public struct RandomStream: Sendable {
    public let key: StreamKey
    @usableFromInline let philoxKey: Philox4x32.Key
    @usableFromInline let indexLow: UInt32
    @usableFromInline let indexHigh: UInt32

    public init(_ key: StreamKey) {
        self.key = key
        philoxKey = key.philoxKey
        indexLow = UInt32(truncatingIfNeeded: key.index)
        indexHigh = UInt32(truncatingIfNeeded: key.index >> 32)
    }

    /// The raw Philox block number `block` of row `row`.
    @inlinable @inline(__always)
    public func bits(row: UInt32, block: UInt32) -> Philox4x32.Counter {
        Philox4x32.block(counter: (block, row, indexLow, indexHigh), key: philoxKey)
    }

    /// Two uniforms in the open interval (0, 1) with 53 random bits each.
    @inlinable @inline(__always)
    public func uniformPair(row: UInt32, block: UInt32) -> (Double, Double) {
        let (a, b, c, d) = bits(row: row, block: block)
        let x = (UInt64(a) << 32 | UInt64(b)) >> 11
        let y = (UInt64(c) << 32 | UInt64(d)) >> 11
        let scale = 1.0 / 9_007_199_254_740_992.0  // 2⁻⁵³
        return ((Double(x) + 0.5) * scale, (Double(y) + 0.5) * scale)
    }

    /// Box–Muller: two independent standard normals.
    @inlinable @inline(__always)
    public func normalPair(row: UInt32, block: UInt32) -> (Double, Double) {
        let (u1, u2) = uniformPair(row: row, block: block)
        let r = (-2 * log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        return (r * cos(theta), r * sin(theta))
    }

    /// Fills `out` with the first `out.count` standard normals of row `row`.
    @inlinable
    public func fillNormals(_ out: UnsafeMutableBufferPointer<Double>, row: Int) {
        precondition(row >= 0 && row <= Int(UInt32.max), "stream row \(row) outside 0...2³²−1")
        let r = UInt32(row)
        let n = out.count
        var block: UInt32 = 0
        var i = 0
        while i + 1 < n {
            let (z0, z1) = normalPair(row: r, block: block)
            out[i] = z0
            out[i + 1] = z1
            i += 2
            block &+= 1
        }
        if i < n { out[i] = normalPair(row: r, block: block).0 }
    }

    /// The first `count` standard normals of row `row`.
    public func normals(row: Int, count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { fillNormals($0, row: row) }
        return out
    }

    /// The first `count` uniforms in (0, 1) of row `row`.
    public func uniforms(row: Int, count: Int) -> [Double] {
        precondition(row >= 0 && row <= Int(UInt32.max), "stream row \(row) outside 0...2³²−1")
        var out = [Double]()
        out.reserveCapacity(count)
        var block: UInt32 = 0
        while out.count < count {
            let (u, v) = uniformPair(row: UInt32(row), block: block)
            out.append(u)
            if out.count < count { out.append(v) }
            block &+= 1
        }
        return out
    }

    /// A row-major rows×columns array of standard normals, row i from stream row `firstRow + i`.
    public func normalMatrix(rows: Int, columns: Int, firstRow: Int = 0) -> [Double] {
        var out = [Double](repeating: 0, count: rows * columns)
        out.withUnsafeMutableBufferPointer { buf in
            for i in 0..<rows {
                fillNormals(UnsafeMutableBufferPointer(rebasing: buf[(i * columns)..<((i + 1) * columns)]), row: firstRow + i)
            }
        }
        return out
    }
}
