#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Uniform and standard-normal numbers read off a `StreamKey` by position.
///
/// One Philox block (128 bits) gives two 64-bit words; a row's words feed the ziggurat, so the normals
/// of row r are a function of (key, r) alone, the same for every batch size, shard and thread count.
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

    /// Box–Muller: two independent standard normals from one block (kept for reference and tests).
    @inlinable @inline(__always)
    public func boxMullerPair(row: UInt32, block: UInt32) -> (Double, Double) {
        let (u1, u2) = uniformPair(row: row, block: block)
        let r = (-2 * log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        return (r * cos(theta), r * sin(theta))
    }

    /// Fills `out` with the first `out.count` standard normals of row `row`.
    ///
    /// Row `row` is read as a sequence of 64-bit words (two per Philox block, blocks 0, 1, 2, …) fed to
    /// the ziggurat; the first n normals of a row are the same whatever `out.count` is.
    @inlinable
    public func fillNormals(_ out: UnsafeMutableBufferPointer<Double>, row: Int) {
        precondition(row >= 0 && row <= Int(UInt32.max), "stream row \(row) outside 0...2³²−1")
        var words = RowWords(stream: self, row: UInt32(row))
        Ziggurat.x.withUnsafeBufferPointer { x in
            Ziggurat.fx.withUnsafeBufferPointer { fx in
                for i in 0..<out.count { out[i] = Ziggurat.normal(&words, x: x, fx: fx) }
            }
        }
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

/// The 64-bit words of one stream row, in order: two per Philox block (a·2³² + b, then c·2³² + d),
/// blocks 0, 1, 2, …; generated eight blocks at a time in SIMD lanes.
public struct RowWords {
    @usableFromInline let key: Philox4x32.Key
    @usableFromInline let row: UInt32
    @usableFromInline let indexLow: UInt32
    @usableFromInline let indexHigh: UInt32
    @usableFromInline var nextBlock: UInt32 = 0
    /// Words a·2³² + b and c·2³² + d of the current eight blocks.
    @usableFromInline var first = SIMD8<UInt64>()
    @usableFromInline var second = SIMD8<UInt64>()
    @usableFromInline var position = 16

    @inlinable
    public init(stream: RandomStream, row: UInt32) {
        key = stream.philoxKey
        indexLow = stream.indexLow
        indexHigh = stream.indexHigh
        self.row = row
    }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        if position == 16 { refill() }
        defer { position += 1 }
        return position & 1 == 0 ? first[position >> 1] : second[position >> 1]
    }

    @inlinable
    mutating func refill() {
        let (a, b, c, d) = Philox4x32.eightBlocks(firstCounter: (nextBlock, row, indexLow, indexHigh), key: key)
        first = LaneWidth.widen(a) &<< 32 | LaneWidth.widen(b)
        second = LaneWidth.widen(c) &<< 32 | LaneWidth.widen(d)
        nextBlock &+= 8
        position = 0
    }
}
