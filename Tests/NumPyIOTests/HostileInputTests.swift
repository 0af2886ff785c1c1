import NumPyIO
import Testing

/// Malformed and hostile input: every failure must be a thrown `NumPyIOError`, never a
/// crash, hang or huge allocation.
@Suite struct HostileInputTests {
    @Test func emptyInput() {
        #expect(caughtError { try NumPyFile.readNPY([]) }?.kind == .empty)
        #expect(caughtError { try NPZArchive.read([]) }?.kind == .empty)
    }

    @Test func everyTruncationOfAnNPYFileThrows() {
        for fixture in [NumPyFixtures.shape5, NumPyFixtures.version2, NumPyFixtures.bigInt16, NumPyFixtures.shape0d] {
            #expect(caughtError { try NumPyFile.readNPY(fixture) } == nil)
            for length in 0..<fixture.count {
                let error = caughtError { try NumPyFile.readNPY(Array(fixture.prefix(length))) }
                #expect(error != nil, "prefix of \(length) bytes")
            }
        }
        let truncated = caughtError { try NumPyFile.readNPY(Array(NumPyFixtures.shape5.dropLast(3))) }
        #expect(truncated?.kind == .dataSizeMismatch)
        #expect(truncated?.description == "data has 37 bytes, shape (5,) of <f8 needs 40")
        #expect(caughtError { try NumPyFile.readNPY(Array(NumPyFixtures.shape5.prefix(50))) }?.kind == .truncated)
        // Trailing bytes are as wrong as missing ones.
        #expect(caughtError { try NumPyFile.readNPY(NumPyFixtures.shape5 + [0]) }?.kind == .dataSizeMismatch)
    }

    @Test func everyTruncationOfAnNPZArchiveThrows() {
        for fixture in [NumPyFixtures.npzStored, NumPyFixtures.npzCompressed, NumPyFixtures.zip64Archive, NumPyFixtures.zipComment] {
            #expect(caughtError { try NPZArchive.read(fixture) } == nil)
            for length in 0..<fixture.count {
                let error = caughtError { try NPZArchive.read(Array(fixture.prefix(length))) }
                #expect(error != nil, "prefix of \(length) bytes")
            }
            // Cutting bytes off the front breaks every offset.
            for drop in 1..<min(fixture.count, 200) {
                #expect(caughtError { try NPZArchive.read(Array(fixture.dropFirst(drop))) } != nil, "dropped \(drop)")
            }
        }
    }

    @Test func everySingleByteCorruptionIsHandled() {
        // Flipping any byte either still parses (e.g. a padding space) or throws; CRCs
        // catch corruption of stored member data.
        for fixture in [NumPyFixtures.npzStored, NumPyFixtures.npzCompressed, NumPyFixtures.zip64Archive] {
            for i in 0..<fixture.count {
                var bytes = fixture
                bytes[i] ^= 0xFF
                _ = caughtError { try NPZArchive.read(bytes) }
            }
        }
        for fixture in [NumPyFixtures.dtypeF8, NumPyFixtures.fortranInt32, NumPyFixtures.version3] {
            for i in 0..<fixture.count {
                for flip: UInt8 in [0xFF, 0x01, 0x80] {
                    var bytes = fixture
                    bytes[i] ^= flip
                    _ = caughtError { try NumPyFile.readNPY(bytes) }
                }
            }
        }
    }

    @Test func randomGarbageIsRejected() {
        var rng = SplitMix64(state: 42)
        for trial in 0..<2000 {
            let length = Int.random(in: 0..<300, using: &rng)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Give some of them plausible starts so the parsers get past the first check.
            if trial % 3 == 1 { bytes = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0] + bytes }
            if trial % 3 == 2 { bytes = bytes + [0x50, 0x4B, 0x05, 0x06] + (0..<18).map { _ in UInt8.random(in: 0...3, using: &rng) } }
            _ = caughtError { try NumPyFile.readNPY(bytes) }
            _ = caughtError { try NPZArchive.read(bytes) }
        }
    }

    @Test func corruptedMagic() {
        var bytes = NumPyFixtures.shape5
        bytes[1] = UInt8(ascii: "X")
        #expect(caughtError { try NumPyFile.readNPY(bytes) }?.kind == .notNPY)
        #expect(caughtError { try NumPyFile.readNPY(Array("hello world".utf8)) }?.description == "not a .npy file (bad magic string)")
        var version = NumPyFixtures.shape5
        version[6] = 4
        #expect(caughtError { try NumPyFile.readNPY(version) }?.description == "unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)")
        // An .npz given to the .npy reader and vice versa.
        #expect(caughtError { try NumPyFile.readNPY(NumPyFixtures.npzStored) }?.kind == .notNPY)
        #expect(caughtError { try NPZArchive.read(NumPyFixtures.shape5) }?.description == "not a zip archive (this is a .npy file, not a .npz)")
        #expect(caughtError { try NPZArchive.read(Array("just some text, definitely not a zip archive".utf8)) }?.kind == .notZip)
    }

    @Test(arguments: [
        ("{'descr': '<f8', 'fortran_order': False}", "missing key 'shape'"),
        ("{'descr': '<f8', 'shape': (1,)}", "missing key 'fortran_order'"),
        ("{'fortran_order': False, 'shape': (1,)}", "missing key 'descr'"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}", "unknown key 'extra'"),
        ("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", "duplicate key 'descr'"),
        ("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}", "'fortran_order' must be True or False"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': [1]}", "'shape' must be a tuple of integers"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1.5,)}", "only plain integers"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': ('1',)}", "'shape' must be a tuple of integers"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)", "expected ',' or '}'"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} junk", "after the header literal"),
        ("{'descr: '<f8', 'fortran_order': False, 'shape': (1,)}", "expected ':'"),
        ("['descr', '<f8']", "expected a dict, found a list"),
        ("{1: '<f8'}", "key 1 is not a string"),
        ("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,)}", "unexpected name 'Maybe'"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999,)}", "too large"),
        ("", "unexpected end of header"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1,,)}", "unexpected ','"),
        (String(repeating: "(", count: 10000), "nested too deeply"),
        ("{'descr': '<f8\n', 'fortran_order': False, 'shape': (1,)}", "unterminated string"),
    ])
    func badHeaderDicts(header: String, reason: String) {
        let error = caughtError { try NumPyFile.readNPY(handmadeNPY(header: header, data: float64Bytes([1]))) }
        #expect(error?.kind == .badHeader, "\(header)")
        #expect(error?.description.contains(reason) == true, "\(String(describing: error)) should mention \(reason)")
    }

    @Test func hugeShapesAreRejectedBeforeAllocating() {
        func read(_ shape: String, _ descr: String = "<f8") -> NumPyIOError? {
            caughtError { try NumPyFile.readNPY(handmadeNPY(header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }", data: float64Bytes([1, 2]))) }
        }
        let overflow = read("(1099511627776, 1099511627776)")  // (2**40, 2**40)
        #expect(overflow?.kind == .tooLarge)
        #expect(overflow?.description == "shape (1099511627776, 1099511627776) is too large (element count overflows)")
        #expect(read("(1073741824, 1073741824)")?.kind == .tooLarge)  // 2**60 elements × 8 bytes
        #expect(read("(9223372036854775807,)")?.kind == .tooLarge)
        // Fits in Int, but far more than the 16 bytes present.
        let tooBig = read("(1048576, 1048576)")
        #expect(tooBig?.kind == .dataSizeMismatch)
        #expect(tooBig?.description == "data has 16 bytes, shape (1048576, 1048576) of <f8 needs 8796093022208")
        // Huge and Fortran order and big-endian: still rejected before any work.
        #expect(caughtError { try NumPyFile.readNPY(handmadeNPY(header: "{'descr': '>f8', 'fortran_order': True, 'shape': (65536, 65536, 65536), }", data: [])) }?.kind == .dataSizeMismatch)
        // A zero dimension makes it empty, but NumPy still requires the rest to fit.
        #expect(read("(0, 1099511627776, 1099511627776)")?.kind == .tooLarge)
    }

    @Test func negativeDimensions() {
        let error = caughtError { try NumPyFile.readNPY(handmadeNPY(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (-2, 1), }", data: float64Bytes([1, 2]))) }
        #expect(error?.kind == .invalidShape)
        #expect(error?.description.contains("negative dimension -2") == true)
        #expect(caughtError { try NumPyFile.readNPY(handmadeNPY(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (-1, -1), }", data: float64Bytes([1]))) }?.kind == .invalidShape)
    }

    @Test func headerLongerThanFile() {
        var bytes = NumPyFixtures.shape5
        bytes[8] = 0xFF
        bytes[9] = 0xFF
        #expect(caughtError { try NumPyFile.readNPY(bytes) }?.kind == .truncated)
        let v2 = handmadeNPY(header: "{}", major: 2)
        var huge = v2
        huge[8] = 0xFF; huge[9] = 0xFF; huge[10] = 0xFF; huge[11] = 0xFF
        #expect(caughtError { try NumPyFile.readNPY(huge) }?.kind == .truncated)
    }

    @Test func crcMismatch() {
        var archive = NPZArchive.bytes([("a", NumPyArray([1.0, 2.0, 3.0]))])
        let dataEnd = centralDirectoryOffset(archive)
        archive[dataEnd - 1] ^= 0x01  // last byte of the last float
        let error = caughtError { try NPZArchive.read(archive) }
        #expect(error?.kind == .badCRC)
        #expect(error?.member == "a.npy")
        #expect(error?.description.hasPrefix("member 'a.npy': CRC-32 mismatch: archive says 0x") == true)

        // Corrupting the deflate stream of savez_compressed output is also caught.
        var compressed = NumPyFixtures.npzCompressed
        let cd = centralDirectoryOffset(compressed)
        compressed[cd / 2] ^= 0x55
        let kind = caughtError { try NPZArchive.read(compressed) }?.kind
        #expect(kind == .badCRC || kind == .corruptDeflate || kind == .corruptZip)
    }

    @Test func unknownCompressionMethod() {
        let bzip2 = caughtError { try NPZArchive.read(NumPyFixtures.zipBzip2) }
        #expect(bzip2?.kind == .unsupportedCompression)
        #expect(bzip2?.description == "member 'a.npy': compression method 12 (bzip2) is not supported (only 0 stored and 8 deflate)")

        var archive = NPZArchive.bytes([("a", NumPyArray([1.0]))])
        let cd = centralDirectoryOffset(archive)
        archive[cd + 10] = 7  // central directory method field
        #expect(caughtError { try NPZArchive.read(archive) }?.kind == .unsupportedCompression)
        archive[cd + 8] = 1  // encryption flag
        #expect(caughtError { try NPZArchive.read(archive) }?.kind == .unsupportedZipFeature)
    }

    @Test func memberProblems() {
        let text = caughtError { try NPZArchive.read(NumPyFixtures.zipWithTextMember) }
        #expect(text?.kind == .notNPYMember)
        #expect(text?.member == "readme.txt")
        #expect(text?.description == "member 'readme.txt': not a .npy file (every .npz member must be named NAME.npy)")
        let duplicate = caughtError { try NPZArchive.read(NumPyFixtures.zipDuplicate) }
        #expect(duplicate?.kind == .duplicateMember)
        #expect(duplicate?.description == "member 'a.npy': name appears more than once in the archive")
        #expect(caughtError { try NPZArchive.read(NumPyFixtures.zipDirectory) }?.kind == .notNPYMember)
        let badMember = caughtError { try NPZArchive.read(storedZip([("x.npy", Array("not numpy".utf8))])) }
        #expect(badMember?.kind == .notNPY)
        #expect(badMember?.member == "x.npy")
    }

    @Test func structuralDamage() {
        let good = NPZArchive.bytes([("a", NumPyArray([1.0])), ("b", NumPyArray([2.0]))])
        let eocd = endRecordOffset(good)
        let cd = centralDirectoryOffset(good)

        var claimsMore = good
        claimsMore[eocd + 8] = 200; claimsMore[eocd + 10] = 200  // 200 entries in a 2-entry directory
        #expect(caughtError { try NPZArchive.read(claimsMore) }?.kind == .corruptZip)

        var badOffset = good
        badOffset[eocd + 16] = 0xF0; badOffset[eocd + 19] = 0x7F  // directory offset far past the end
        #expect(caughtError { try NPZArchive.read(badOffset) }?.kind == .corruptZip)

        var badSignature = good
        badSignature[cd] = 0
        #expect(caughtError { try NPZArchive.read(badSignature) }?.kind == .corruptZip)

        var badLocal = good
        badLocal[0] = 0
        #expect(caughtError { try NPZArchive.read(badLocal) }?.kind == .corruptZip)

        // Both central entries pointing at the same local header: overlapping members.
        var overlap = good
        let secondEntry = cd + 46 + 5
        for k in 0..<4 { overlap[secondEntry + 42 + k] = 0 }
        #expect(caughtError { try NPZArchive.read(overlap) }?.kind == .corruptZip)

        // Central directory and local header disagree on the name.
        var renamed = good
        renamed[cd + 46] = UInt8(ascii: "z")
        #expect(caughtError { try NPZArchive.read(renamed) }?.kind == .corruptZip)

        // Multi-disk archives.
        var multiDisk = good
        multiDisk[eocd + 4] = 1
        #expect(caughtError { try NPZArchive.read(multiDisk) }?.kind == .unsupportedZipFeature)

        // A deflate member that claims an impossible expansion ratio.
        var bomb = NumPyFixtures.npzCompressed
        let bombCD = centralDirectoryOffset(bomb)
        for k in 0..<4 { bomb[bombCD + 24 + k] = 0xFF }  // uncompressed size 4 GiB
        bomb[bombCD + 24 + 3] = 0x7F
        #expect(caughtError { try NPZArchive.read(bomb) }?.kind == .corruptDeflate)
    }
}
