import Randomness
import Testing

/// The vectorised Philox path: eight blocks in SIMD lanes must be exactly the scalar blocks (which are
/// pinned by the Random123 known answers), and a row's 64-bit words must come out in the documented order.
@Suite struct PhiloxLanesTests {
    @Test("eightBlocks lane j equals block(counter c0 + j), also across the 2³² wrap of c0", arguments: [
        UInt32(0), 17, 0xFFFF_FFFC,
    ])
    func lanesAreScalarBlocks(c0: UInt32) {
        let key: Philox4x32.Key = (0xA409_3822, 0x299F_31D0)
        let (a, b, c, d) = Philox4x32.eightBlocks(firstCounter: (c0, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344), key: key)
        for j in 0..<8 {
            let s = Philox4x32.block(counter: (c0 &+ UInt32(j), 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344), key: key)
            #expect([a[j], b[j], c[j], d[j]] == [s.0, s.1, s.2, s.3], "lane \(j)")
        }
    }

    @Test("RowWords yields a·2³² + b, then c·2³² + d, of blocks 0, 1, 2, … (across a refill)")
    func rowWordOrder() {
        let stream = RandomStream(StreamKey(seed: 3, purpose: .stepNoise, major: 5, minor: 9))
        var words = RowWords(stream: stream, row: 42)
        for block in 0..<12 {     // 24 words: one refill of 8 blocks and part of the next
            let (a, b, c, d) = stream.bits(row: 42, block: UInt32(block))
            #expect(words.next() == UInt64(a) << 32 | UInt64(b))
            #expect(words.next() == UInt64(c) << 32 | UInt64(d))
        }
    }
}
