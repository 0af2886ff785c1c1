import NumPyIO
import Randomness
import Testing

/// Seeded fuzzing of the `.npy`/`.npz` readers (issue 7, hostile input): every mutated input either reads
/// back as a consistent array or throws a `NumPyIOError` — never a trap, a hang, another error type or an
/// allocation beyond the input's own size. Complements `HostileInputTests` (single-byte flips, every
/// truncation), with several mutations per input and hostile headers built to order.
@Suite struct FuzzTests {
    /// What happened to one input.
    enum Outcome: Equatable { case read, numPyError(NumPyIOError.Kind), otherError(String) }

    static func outcome(_ body: () throws -> Void) -> Outcome {
        do {
            try body()
            return .read
        } catch let error as NumPyIOError {
            return .numPyError(error.kind)
        } catch {
            return .otherError("\(type(of: error)): \(error)")
        }
    }

    /// Checks an array that was read: its bytes are exactly what its shape and dtype say, and no more than
    /// the input held (so nothing was allocated from a header's claim alone).
    static func expectConsistent(_ a: NumPyArray, inputSize: Int) {
        let elements = a.shape.reduce(1, *)
        #expect(a.littleEndianBytes.count == elements * a.dtype.itemSize)
        #expect(a.littleEndianBytes.count <= inputSize)
    }

    /// One to four random edits: bit flips, random bytes, inserted or deleted runs, a duplicated slice,
    /// a truncation, or a length/offset-looking field overwritten with an extreme value.
    static func mutate(_ input: [UInt8], _ rng: inout SequentialGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let n = bytes.count
            switch Int.random(in: 0..<7, using: &rng) {
            case 0 where n > 0:
                bytes[Int.random(in: 0..<n, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            case 1 where n > 0:
                bytes[Int.random(in: 0..<n, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 2:
                let at = Int.random(in: 0...n, using: &rng)
                bytes.insert(contentsOf: (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            case 3 where n > 0:
                let at = Int.random(in: 0..<n, using: &rng)
                bytes.removeSubrange(at..<min(n, at + Int.random(in: 1...8, using: &rng)))
            case 4 where n > 1:
                let from = Int.random(in: 0..<n, using: &rng)
                let slice = bytes[from..<min(n, from + Int.random(in: 1...32, using: &rng))]
                bytes.insert(contentsOf: slice, at: Int.random(in: 0...n, using: &rng))
            case 5:
                bytes = Array(bytes.prefix(Int.random(in: 0...n, using: &rng)))
            case 6 where n >= 4:
                let at = Int.random(in: 0...(n - 4), using: &rng)
                let value: [UInt8] = [[0xFF, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0x7F], [0, 0, 0, 0x80], [0, 0, 0, 0]][Int.random(in: 0..<4, using: &rng)]
                bytes.replaceSubrange(at..<(at + 4), with: value)
            default:
                break
            }
        }
        return bytes
    }

    /// Input class: `.npy` files (versions 1–3, every dtype family, C and Fortran order, big-endian, 0-d)
    /// with 1–4 random edits each; 2400 inputs.
    @Test func mutatedNPYFiles() {
        let fixtures = [NumPyFixtures.shape5, NumPyFixtures.dtypeF8, NumPyFixtures.dtypeB1, NumPyFixtures.fortranInt32,
                        NumPyFixtures.bigFortranInt64, NumPyFixtures.version2, NumPyFixtures.version3, NumPyFixtures.shape0d,
                        NumPyFixtures.shape2x3x4, NumPyFixtures.shape2x0, NumPyFixtures.bigInt16, NumPyFixtures.scalarInt64]
        var rng = SequentialGenerator(StreamKey(seed: 7001, purpose: .generation, index: 1))
        var counts = [String: Int]()
        for fixture in fixtures {
            for _ in 0..<200 {
                let bytes = Self.mutate(fixture, &rng)
                let result = Self.outcome { Self.expectConsistent(try NumPyFile.readNPY(bytes), inputSize: bytes.count) }
                if case .otherError(let what) = result { Issue.record("readNPY threw a non-NumPyIOError: \(what)") }
                counts[result == .read ? "read" : "thrown", default: 0] += 1
            }
        }
        // Both outcomes occur, so the fuzzing reaches past the first checks.
        #expect(counts["read", default: 0] > 0 && counts["thrown", default: 0] > 0)
    }

    /// Input class: `.npz` archives (stored and deflated members, zip64 records, an archive comment) with
    /// 1–4 random edits each; 1600 inputs.
    @Test func mutatedNPZArchives() {
        let fixtures = [NumPyFixtures.npzStored, NumPyFixtures.npzCompressed, NumPyFixtures.zip64Archive, NumPyFixtures.zipComment]
        var rng = SequentialGenerator(StreamKey(seed: 7001, purpose: .generation, index: 2))
        for fixture in fixtures {
            for _ in 0..<400 {
                let bytes = Self.mutate(fixture, &rng)
                let result = Self.outcome {
                    for (_, a) in try NPZArchive.readOrdered(bytes) { Self.expectConsistent(a, inputSize: Int.max) }
                }
                if case .otherError(let what) = result { Issue.record("NPZArchive.read threw a non-NumPyIOError: \(what)") }
            }
        }
    }

    /// Input class: `.npy` headers with random hostile shapes (negative, 2³¹, 2⁴⁰, 2⁶², Int.max, beyond
    /// Int64) in random dtypes and orders, over 16 data bytes: refused before any allocation unless the shape
    /// really is 16 bytes; also as a stored `.npz` member.
    @Test func hostileShapesAreRefusedBeforeAllocating() {
        let dims = ["0", "1", "2", "-1", "-9223372036854775808", "2147483648", "1099511627776", "4611686018427387904",
                    "9223372036854775807", "18446744073709551616", "99999999999999999999999999"]
        let descrs = ["<f8", ">f8", "<f4", "|u1", "|b1", ">i2", "<i8"]
        var rng = SequentialGenerator(StreamKey(seed: 7001, purpose: .generation, index: 3))
        for trial in 0..<600 {
            let rank = Int.random(in: 0...5, using: &rng)
            let shape = (0..<rank).map { _ in dims[Int.random(in: 0..<dims.count, using: &rng)] }
            let tuple = "(" + shape.joined(separator: ", ") + (rank == 1 ? ",)" : ")")
            let descr = descrs[Int.random(in: 0..<descrs.count, using: &rng)]
            let fortran = Bool.random(using: &rng) ? "True" : "False"
            let npy = handmadeNPY(header: "{'descr': '\(descr)', 'fortran_order': \(fortran), 'shape': \(tuple), }", data: float64Bytes([1, 2]))
            let result = Self.outcome { Self.expectConsistent(try NumPyFile.readNPY(npy), inputSize: npy.count) }
            switch result {
            case .read, .numPyError(.tooLarge), .numPyError(.invalidShape), .numPyError(.dataSizeMismatch), .numPyError(.badHeader): break
            default: Issue.record("shape \(tuple) of \(descr): \(result)")
            }
            if trial % 4 == 0 {
                let member = Self.outcome { _ = try NPZArchive.read(storedZip([("a.npy", npy)])) }
                #expect(member == result, "shape \(tuple) of \(descr) inside an .npz")
            }
        }
    }

    /// Input class: wrong dtypes (complex, object, unicode, bytes, void, datetime, float16, odd sizes,
    /// unknown byte orders) in otherwise valid files, C and Fortran order: each is `unsupportedDType` naming
    /// the descr, also inside an `.npz`.
    @Test(arguments: ["<c16", ">c8", "|O", "<U3", "|S5", "|V16", "<M8[ns]", "<m8", "<f2", ">f16", "<i16", "<u3", "|b2", "!f8", "<<f8",
                      "f", "8", "<f8x", "<f-8", "<f+8"])
    func wrongDTypes(_ descr: String) {
        for fortran in ["False", "True"] {
            let npy = handmadeNPY(header: "{'descr': '\(descr)', 'fortran_order': \(fortran), 'shape': (2,), }", data: float64Bytes([1, 2]))
            let error = caughtError { try NumPyFile.readNPY(npy) }
            #expect(error?.kind == .unsupportedDType, "\(descr)")
            #expect(error?.description.contains("'\(descr)'") == true, "\(String(describing: error))")
            let inArchive = caughtError { try NPZArchive.read(storedZip([("w.npy", npy)])) }
            #expect(inArchive?.kind == .unsupportedDType)
            #expect(inArchive?.member == "w.npy")
        }
    }
}
