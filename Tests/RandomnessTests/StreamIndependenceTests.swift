import Randomness
import Testing

/// Streams are named by (seed, purpose, index) and read by (row, block): every coordinate of the name
/// must change the numbers, the same name must give the same numbers, and a row's numbers must not depend
/// on how many are read or how many rows are drawn.
///
/// "Different numbers" is tested on whole blocks of 128 bits (or 64 normals): two independent streams agree
/// on one 32-bit word with probability 2⁻³², so requiring every compared word to differ would be flaky;
/// requiring the arrays to differ has a false-fail rate below 2⁻¹²⁸.
@Suite struct StreamIndependenceTests {
    private static let base = StreamKey(seed: 1234, purpose: .stepNoise, index: 7)

    private static func first64(_ key: StreamKey, row: Int = 0) -> [Double] { RandomStream(key).normals(row: row, count: 64) }

    @Test("different seeds, purposes, indices and rows give different numbers")
    func everyCoordinateMatters() {
        let reference = Self.first64(Self.base)
        #expect(Self.first64(StreamKey(seed: 1235, purpose: .stepNoise, index: 7)) != reference)
        #expect(Self.first64(StreamKey(seed: 1234, purpose: .initialNoise, index: 7)) != reference)
        #expect(Self.first64(StreamKey(seed: 1234, purpose: .stepNoise, index: 8)) != reference)
        #expect(Self.first64(StreamKey(seed: 1234, purpose: .stepNoise, index: 7 | (1 << 32))) != reference)
        #expect(Self.first64(Self.base, row: 1) != reference)
        // Seeds that differ only in high bits, and the purpose/seed swap, must not collide either.
        #expect(Self.first64(StreamKey(seed: 1234 | (1 << 63), purpose: .stepNoise, index: 7)) != reference)
        #expect(Self.first64(StreamKey(seed: 2, purpose: Purpose(rawValue: 1), index: 0))
                != Self.first64(StreamKey(seed: 1, purpose: Purpose(rawValue: 2), index: 0)))
    }

    @Test("all pairs among 6 seeds × 10 purposes have distinct Philox keys")
    func philoxKeysDistinct() {
        var seen = Set<UInt64>()
        for seed: UInt64 in [0, 1, 1234, 2345, 3456, .max] {
            for p: UInt32 in 1...10 {
                let k = StreamKey(seed: seed, purpose: Purpose(rawValue: p)).philoxKey
                seen.insert(UInt64(k.0) | UInt64(k.1) << 32)
            }
        }
        #expect(seen.count == 60)
    }

    @Test("the same key gives identical numbers from independent stream objects")
    func sameKeySameNumbers() {
        let a = RandomStream(StreamKey(seed: 42, purpose: .data, index: 3))
        let b = RandomStream(StreamKey(seed: 42, purpose: .data, index: 3))
        #expect(a.normals(row: 5, count: 33) == b.normals(row: 5, count: 33))
        #expect(a.uniforms(row: 0, count: 9) == b.uniforms(row: 0, count: 9))
        #expect(a.normalMatrix(rows: 4, columns: 3) == b.normalMatrix(rows: 4, columns: 3))
    }

    @Test("(major, minor) index packs into the high and low words")
    func majorMinorIndex() {
        let k = StreamKey(seed: 1, purpose: .stepNoise, major: 3, minor: 200)
        #expect(k.index == 3 << 32 | 200)
        #expect(k == StreamKey(seed: 1, purpose: .stepNoise, index: 3 << 32 | 200))
    }

    @Test("prefix property: reading fewer numbers of a row gives a prefix", arguments: [1, 2, 7, 16, 33])
    func prefixOfRow(count: Int) {
        let s = RandomStream(Self.base)
        let long = s.normals(row: 9, count: 64)
        #expect(s.normals(row: 9, count: count) == Array(long.prefix(count)))
        let longU = s.uniforms(row: 9, count: 64)
        #expect(s.uniforms(row: 9, count: count) == Array(longU.prefix(count)))
    }

    @Test("a row's draws do not depend on how many rows are drawn or where the batch starts")
    func rowsIndependentOfBatch() {
        let s = RandomStream(Self.base)
        let columns = 5   // odd, so a row ends in the middle of a Philox block
        let big = s.normalMatrix(rows: 40, columns: columns)
        let small = s.normalMatrix(rows: 3, columns: columns)
        #expect(small == Array(big.prefix(3 * columns)))
        let shard = s.normalMatrix(rows: 10, columns: columns, firstRow: 25)
        #expect(shard == Array(big[(25 * columns)..<(35 * columns)]))
        for r in [0, 13, 39] {
            #expect(s.normals(row: r, count: columns) == Array(big[(r * columns)..<((r + 1) * columns)]))
        }
    }

    @Test("SequentialGenerator reads its row from the start, and equal keys replay equal sequences")
    func sequentialReplay() {
        let key = StreamKey(seed: 5, purpose: .shuffle, index: 2)
        var a = SequentialGenerator(key, row: 3)
        var b = SequentialGenerator(key, row: 3)
        let xs = (0..<10).map { _ in a.next() }
        #expect(xs == (0..<10).map { _ in b.next() })
        let block0 = RandomStream(key).bits(row: 3, block: 0)
        #expect(xs[0] == UInt64(block0.0) << 32 | UInt64(block0.1))
        #expect(xs[1] == UInt64(block0.2) << 32 | UInt64(block0.3))
        var c = SequentialGenerator(key, row: 4)
        #expect((0..<10).map { _ in c.next() } != xs)
    }
}
