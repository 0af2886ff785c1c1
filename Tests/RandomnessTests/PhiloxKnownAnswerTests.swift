import Randomness
import Testing

/// Philox4x32-10 against the known-answer vectors of Random123 (kat_vectors, "philox4x32 10" lines):
/// counter words c0…c3, key words k0, k1, output words in the same order.
struct PhiloxVector: Sendable, CustomTestStringConvertible {
    let counter: [UInt32]
    let key: [UInt32]
    let expected: [UInt32]
    let testDescription: String
}

@Suite struct PhiloxKnownAnswerTests {
    @Test("Random123 known-answer vectors", arguments: [
        PhiloxVector(counter: [0, 0, 0, 0], key: [0, 0],
                     expected: [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8], testDescription: "zeros"),
        PhiloxVector(counter: [0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff], key: [0xffff_ffff, 0xffff_ffff],
                     expected: [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd], testDescription: "all ones"),
        PhiloxVector(counter: [0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344], key: [0xa409_3822, 0x299f_31d0],
                     expected: [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1], testDescription: "digits of π"),
    ])
    func knownAnswer(v: PhiloxVector) {
        let out = Philox4x32.block(counter: (v.counter[0], v.counter[1], v.counter[2], v.counter[3]), key: (v.key[0], v.key[1]))
        #expect([out.0, out.1, out.2, out.3] == v.expected)
    }

    @Test("RandomStream.bits puts (block, row, index low, index high) into the counter")
    func counterLayout() {
        let key = StreamKey(seed: 99, purpose: .stepNoise, major: 0x0102_0304, minor: 0x0506_0708)
        let stream = RandomStream(key)
        let out = stream.bits(row: 17, block: 3)
        let direct = Philox4x32.block(counter: (3, 17, 0x0506_0708, 0x0102_0304), key: key.philoxKey)
        #expect([out.0, out.1, out.2, out.3] == [direct.0, direct.1, direct.2, direct.3])
    }

    @Test("SplitMix64 finaliser known answers (the first two outputs of SplitMix64 seeded with 0)")
    func splitMixKnownAnswer() {
        // SplitMix64 with state 0: state += 0x9E3779B97F4A7C15 then the finaliser; `mix` is exactly that step.
        #expect(StreamKey.mix(0) == 0xE220_A839_7B1D_CDAF)
        #expect(StreamKey.mix(0x9E37_79B9_7F4A_7C15) == 0x6E78_9E6A_A1B9_65F4)
    }
}
