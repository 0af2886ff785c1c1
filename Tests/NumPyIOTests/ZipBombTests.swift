import CZlib
import Foundation
import NumPyIO
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decompression bombs and lying size fields: every one is refused with a `NumPyIOError` quickly and
/// without the memory its headers ask for. The bombs are built here from a small deflate stream (one
/// compressed MiB of zeros, repeated), never committed as binaries. Serialized so the peak-memory
/// measurements of one test are not disturbed by another's deliberate allocations.
@Suite(.serialized) struct ZipBombTests {
    // MARK: Building bombs

    /// One MiB of zeros as raw deflate, flushed with Z_FULL_FLUSH: non-final blocks ending byte-aligned
    /// and referring to nothing before them, so copies of it can be concatenated into one stream.
    static let zeroMiB: [UInt8] = {
        var input = [UInt8](repeating: 0, count: 1 << 20)
        var stream = z_stream()
        precondition(deflateInit2_(&stream, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: 1 << 16)
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                precondition(deflate(&stream, Z_FULL_FLUSH) == Z_OK && stream.avail_in == 0 && stream.avail_out > 0)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }()

    /// CRC-32 of `bytes` continued from `crc`.
    static func crc32(_ bytes: [UInt8], _ crc: UInt = 0) -> UInt {
        bytes.withUnsafeBufferPointer { CZlib.crc32(crc, $0.baseAddress, UInt32($0.count)) }
    }

    /// A deflated `.npy` member holding `mebibytes` MiB of uint8 zeros: its raw deflate stream (the
    /// header in a stored block, the zeros as repeated `zeroMiB`, then an empty final block), its true
    /// uncompressed size and CRC-32. About 1 KB per MiB.
    static func zeroMember(mebibytes: Int, trailing: [UInt8] = []) -> (stream: [UInt8], size: Int, crc: UInt32) {
        let header = handmadeNPY(header: "{'descr': '|u1', 'fortran_order': False, 'shape': (\(mebibytes << 20),), }")
        var stream: [UInt8] = [0x00, UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
        stream += [UInt8(~header.count & 0xFF), UInt8((~header.count >> 8) & 0xFF)] + header
        stream.reserveCapacity(stream.count + mebibytes * zeroMiB.count + 2 + trailing.count)
        for _ in 0..<mebibytes { stream += zeroMiB }
        stream += [0x03, 0x00]  // an empty final block (fixed Huffman, end-of-block code)
        stream += trailing
        let zerosCRC = crc32([UInt8](repeating: 0, count: 1 << 20))
        var crc = crc32(header)
        for _ in 0..<mebibytes { crc = crc32_combine(crc, zerosCRC, 1 << 20) }
        return (stream, header.count + (mebibytes << 20), UInt32(crc))
    }

    /// A zip of deflated members with the given sizes and CRCs as declared (which may lie), in order.
    static func deflatedZip(_ members: [(name: String, stream: [UInt8], declaredSize: Int, crc: UInt32)]) -> [UInt8] {
        func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        var out: [UInt8] = []
        var central: [UInt8] = []
        for member in members {
            let offset = out.count
            let n = Array(member.name.utf8)
            let crc = Int(member.crc)
            out += le(0x0403_4B50, 4) + le(20, 2) + le(0, 2) + le(8, 2) + le(0, 2) + le(0x21, 2)
            out += le(crc, 4) + le(member.stream.count, 4) + le(member.declaredSize, 4) + le(n.count, 2) + le(0, 2) + n + member.stream
            central += le(0x0201_4B50, 4) + le(20, 2) + le(20, 2) + le(0, 2) + le(8, 2) + le(0, 2) + le(0x21, 2)
            central += le(crc, 4) + le(member.stream.count, 4) + le(member.declaredSize, 4) + le(n.count, 2) + le(0, 2) + le(0, 2)
            central += le(0, 2) + le(0, 2) + le(0, 4) + le(offset, 4) + n
        }
        let cdOffset = out.count
        out += central
        out += le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(members.count, 2) + le(members.count, 2)
        out += le(central.count, 4) + le(cdOffset, 4) + le(0, 2)
        return out
    }

    /// `count` honest members of `mebibytes` MiB of zeros each.
    static func zeroBomb(members count: Int, mebibytes: Int) -> [UInt8] {
        let member = zeroMember(mebibytes: mebibytes)
        return deflatedZip((0..<count).map { ("z\($0).npy", member.stream, member.size, member.crc) })
    }

    // MARK: Measuring

    /// The process's peak resident set so far, in bytes (`ru_maxrss`, KiB on Linux, bytes on macOS).
    static func peakRSS() -> Int {
        var usage = rusage()
        getrusage(0, &usage)  // RUSAGE_SELF (0 on Linux and Darwin; Glibc imports it as an enum)
        #if canImport(Darwin)
        return Int(usage.ru_maxrss)
        #else
        return Int(usage.ru_maxrss) * 1024
        #endif
    }

    /// `body`'s error, how much it raised the peak resident set, and how long it took.
    static func measure<T>(_ body: () throws -> T) -> (error: NumPyIOError?, peakGrowth: Int, seconds: Double) {
        let before = peakRSS()
        let start = DispatchTime.now().uptimeNanoseconds
        let error = caughtError(body)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (error, peakRSS() - before, seconds)
    }

    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    // MARK: Tests

    @Test func theBuiltBombsAreRealArchives() throws {
        // Each MiB of zeros is within deflate's ratio (so only the size limits stop a bomb)…
        #expect(Self.zeroMiB.count >= (1 << 20) / 1032 && Self.zeroMiB.count < 1100, "\(Self.zeroMiB.count) bytes per MiB")
        // …and the builder's archives read back as what they declare.
        let arrays = try NPZArchive.read(Self.zeroBomb(members: 3, mebibytes: 2))
        #expect(arrays.count == 3)
        for (_, a) in arrays {
            #expect(a.shape == [2 << 20] && a.dtype == .uint8)
            #expect(a.littleEndianBytes.allSatisfy { $0 == 0 })
        }
    }

    /// The user's case: a file of under 2 MB whose members inflate to 1.6 GiB in total. Refused from the
    /// central directory under the default limits, in milliseconds, without touching the memory.
    @Test func aGigabyteTotalBombFromASmallFileIsRefusedQuickly() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/bomb.npz"
        let bomb = Self.zeroBomb(members: 8, mebibytes: 200)  // 8 × 200 MiB = 1.56 GiB
        #expect(bomb.count < 2_000_000, "bomb file is \(bomb.count) bytes")
        try Data(bomb).write(to: URL(fileURLWithPath: path))

        let result = Self.measure { try NPZArchive.read(contentsOf: path) }
        let error = try #require(result.error)
        #expect(error.kind == .limitExceeded)
        #expect(error.path == path)
        #expect(error.description == "\(path): 8 members declare 1.6 GiB (1677722200 bytes) uncompressed in total, over the limit of 1 GiB (1073741824 bytes) (NPZLimits.maxTotalBytes)")
        #expect(Self.occurrences(of: path, in: error.description) == 1)
        #expect(result.seconds < 5, "took \(result.seconds) s")
        #expect(result.peakGrowth < 64 << 20, "peak resident set grew by \(result.peakGrowth) bytes")

        // In memory too, and against a caller's smaller limit.
        #expect(caughtError { try NPZArchive.read(bomb) }?.kind == .limitExceeded)
        let small = caughtError { try NPZArchive.read(bomb, limits: NPZLimits(maxTotalBytes: 32 << 20)) }
        #expect(small?.description.contains("over the limit of 32 MiB (33554432 bytes) (NPZLimits.maxTotalBytes)") == true)
    }

    /// Many members, each well within the per-member size and ratio limits, that add up past the total.
    @Test func manyMembersEachWithinTheRatioButOverTheTotal() throws {
        let bomb = Self.zeroBomb(members: 64, mebibytes: 1)  // 64 MiB from 66 KB
        let limits = NPZLimits(maxTotalBytes: 16 << 20, maxEntryBytes: 2 << 20)
        let result = Self.measure { try NPZArchive.read(bomb, limits: limits) }
        #expect(result.error?.kind == .limitExceeded)
        #expect(result.error?.member == nil)
        #expect(result.error?.description == "64 members declare 64 MiB (67113536 bytes) uncompressed in total, over the limit of 16 MiB (16777216 bytes) (NPZLimits.maxTotalBytes)")
        #expect(result.peakGrowth < 16 << 20)
        // One member fewer than the limit allows reads (the per-member limits were not what stopped it).
        let fifteen = Self.zeroBomb(members: 15, mebibytes: 1)
        #expect(try NPZArchive.read(fifteen, limits: limits).count == 15)
        // A member over maxEntryBytes names the member.
        let entry = caughtError { try NPZArchive.read(Self.zeroBomb(members: 1, mebibytes: 3), limits: limits) }
        #expect(entry?.kind == .limitExceeded)
        #expect(entry?.description == "member 'z0.npy': declares 3 MiB (3145801 bytes) uncompressed, over the limit of 2 MiB (2097152 bytes) per member (NPZLimits.maxEntryBytes)")
        // And a caller's ratio limit below deflate's own.
        let ratio = caughtError { try NPZArchive.read(fifteen, limits: NPZLimits(maxCompressionRatio: 100)) }
        #expect(ratio?.kind == .limitExceeded)
        #expect(ratio?.description.contains("over the limit of 100:1 (NPZLimits.maxCompressionRatio)") == true)
    }

    /// A member whose header declares fewer bytes than its stream holds: inflating stops at the declared
    /// size (64 MiB of zeros behind a 1 KiB claim costs nothing), and the error says so.
    @Test func aHeaderThatUnderstatesItsSizeGetsNoMoreThanItDeclared() throws {
        let real = Self.zeroMember(mebibytes: 64)
        let zip = Self.deflatedZip([("a.npy", real.stream, 1024, real.crc)])
        let result = Self.measure { try NPZArchive.read(zip) }
        #expect(result.error?.kind == .corruptDeflate)
        #expect(result.error?.description == "member 'a.npy': deflate data decompresses to more than the declared 1024 bytes")
        #expect(result.peakGrowth < 16 << 20, "peak resident set grew by \(result.peakGrowth) bytes")
        #expect(result.seconds < 1, "took \(result.seconds) s: inflated past the declared size?")
    }

    /// A member whose header declares far more than its stream holds (256 MiB claimed, 1 MiB real,
    /// padded so the claim is within deflate's ratio): an error, and the claimed memory is never touched.
    @Test func aHeaderThatOverstatesItsSizeIsAnErrorWithoutTheMemory() throws {
        let real = Self.zeroMember(mebibytes: 1, trailing: [UInt8](repeating: 0xA5, count: 300_000))
        let claimed = 256 << 20
        let zip = Self.deflatedZip([("a.npy", real.stream, claimed, real.crc)])
        let result = Self.measure { try NPZArchive.read(zip) }
        #expect(result.error?.kind == .corruptDeflate)
        #expect(result.error?.description == "member 'a.npy': deflate data decompresses to \(real.size) bytes, expected \(claimed)")
        #expect(result.peakGrowth < 64 << 20, "peak resident set grew by \(result.peakGrowth) bytes")
    }

    /// Seeded lies about the size, both ways, on small members: read exactly when the claim is true.
    @Test func seededSizeLies() throws {
        var rng = SplitMix64(state: 7003)
        let real = Self.zeroMember(mebibytes: 1)
        for _ in 0..<40 {
            let claimed: Int
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: claimed = real.size
            case 1: claimed = real.size + Int.random(in: 1...1000, using: &rng)
            case 2: claimed = real.size - Int.random(in: 1...real.size, using: &rng)
            default: claimed = Int.random(in: 0...(real.size * 2), using: &rng)
            }
            let error = caughtError { try NPZArchive.read(Self.deflatedZip([("a.npy", real.stream, claimed, real.crc)])) }
            if claimed == real.size {
                #expect(error == nil, "claimed \(claimed)")
            } else {
                #expect(error?.kind == .corruptDeflate, "claimed \(claimed): \(String(describing: error))")
            }
        }
    }

    /// A stored (uncompressed) member claiming a huge size, through the 32-bit fields and through zip64:
    /// refused from the directory, never allocated, even without limits.
    @Test func aStoredMemberClaimingAHugeSize() throws {
        let npy = handmadeNPY(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", data: float64Bytes([1, 2]))
        let good = storedZip([("a.npy", npy)])
        let cd = centralDirectoryOffset(good)

        // 32-bit: both sizes 0xFFFFFFF0 (4 GiB).
        var huge32 = good
        for field in [20, 24] { for k in 0..<4 { huge32[cd + field + k] = k == 0 ? 0xF0 : 0xFF } }
        let limited = Self.measure { try NPZArchive.read(huge32) }
        #expect(limited.error?.kind == .limitExceeded)
        #expect(limited.error?.description == "member 'a.npy': declares 4 GiB (4294967280 bytes) uncompressed, over the limit of 1 GiB (1073741824 bytes) per member (NPZLimits.maxEntryBytes)")
        let unlimited = Self.measure { try NPZArchive.read(huge32, limits: .unlimited) }
        #expect(unlimited.error?.kind == .corruptZip)
        #expect(unlimited.error?.description.contains("runs into the central directory") == true)
        #expect(limited.peakGrowth < 16 << 20 && unlimited.peakGrowth < 16 << 20)

        // Stored with sizes that disagree (compressed small, uncompressed huge): not copied, refused.
        var disagree = good
        for k in 0..<4 { disagree[cd + 24 + k] = [0, 0, 0, 0x40][k] }  // 1 GiB uncompressed
        let mismatch = caughtError { try NPZArchive.read(disagree, limits: .unlimited) }
        #expect(mismatch?.kind == .corruptZip)
        #expect(mismatch?.description.contains("stored member has compressed size") == true)

        // Zip64: the archive writer's own zip64 layout, with the 64-bit sizes set to 2^40.
        let honest64 = zip64Member(npy, size: npy.count)
        #expect(caughtError { try NPZArchive.read(honest64) } == nil)
        let zip64 = zip64Member(npy, size: 1 << 40)
        #expect(caughtError { try NPZArchive.read(zip64) }?.kind == .limitExceeded)
        #expect(caughtError { try NPZArchive.read(zip64, limits: .unlimited) }?.kind == .corruptZip)
    }

    /// A zip64 archive with one stored member whose 64-bit sizes in both headers are set to `size`.
    func zip64Member(_ npy: [UInt8], size: Int) -> [UInt8] {
        // The 32-bit sizes are 0xFFFFFFFF and a zip64 extra field (ID 1, two 8-byte sizes) holds `size`.
        func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        let name = Array("a.npy".utf8)
        let extra = le(1, 2) + le(16, 2) + le(size, 8) + le(size, 8)
        let crc = Int(Self.crc32(npy))
        var out = le(0x0403_4B50, 4) + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0x21, 2)
        out += le(crc, 4) + le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) + le(name.count, 2) + le(extra.count, 2) + name + extra + npy
        let cdOffset = out.count
        var central = le(0x0201_4B50, 4) + le(45, 2) + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0x21, 2)
        central += le(crc, 4) + le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) + le(name.count, 2) + le(extra.count, 2) + le(0, 2)
        central += le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4) + name + extra
        out += central
        out += le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(1, 2) + le(1, 2) + le(central.count, 4) + le(cdOffset, 4) + le(0, 2)
        return out
    }

    /// More members than `maxEntries`, and directories that claim counts they cannot hold.
    @Test func memberCounts() throws {
        let twenty = NPZArchive.bytes((0..<20).map { ("m\($0)", NumPyArray([Double($0)])) })
        #expect(try NPZArchive.read(twenty).count == 20)
        let error = caughtError { try NPZArchive.read(twenty, limits: NPZLimits(maxEntries: 10)) }
        #expect(error?.kind == .limitExceeded)
        #expect(error?.description == "archive has 20 members, over the limit of 10 (NPZLimits.maxEntries)")
        // The end record claiming 65535 members in a 20-member directory: corrupt, not a 65535-slot allocation.
        var claims = twenty
        let eocd = endRecordOffset(claims)
        for k in [8, 9, 10, 11] { claims[eocd + k] = 0xFF }
        #expect(caughtError { try NPZArchive.read(claims) }?.kind == .corruptZip)
    }

    /// The file's size comes from `fstat` before any byte is read: a sparse 2 GiB file is refused at once.
    @Test func fileSizeIsBoundedBeforeReading() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/sparse.npz"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, off_t(2) << 30) == 0)
        let result = Self.measure { try NPZArchive.read(contentsOf: path) }
        #expect(result.error?.kind == .limitExceeded)
        #expect(result.error?.description == "\(path): file is 2 GiB (2147483648 bytes), over the limit of 1 GiB (1073741824 bytes) (NPZLimits.maxFileBytes)")
        #expect(result.seconds < 1 && result.peakGrowth < 16 << 20)

        let small = dir + "/small.npz"
        try Data(NumPyFixtures.npzStored).write(to: URL(fileURLWithPath: small))
        #expect(try NPZArchive.read(contentsOf: small, limits: NPZLimits(maxFileBytes: NumPyFixtures.npzStored.count)).count == 2)
        let tight = caughtError { try NPZArchive.read(contentsOf: small, limits: NPZLimits(maxFileBytes: 100)) }
        #expect(tight?.description == "\(small): file is \(NumPyFixtures.npzStored.count) bytes, over the limit of 100 bytes (NPZLimits.maxFileBytes)")
        // The same bound applies to bytes given in memory.
        let inMemory = caughtError { try NPZArchive.read(NumPyFixtures.npzStored, limits: NPZLimits(maxFileBytes: 100)) }
        #expect(inMemory?.kind == .limitExceeded)
        #expect(inMemory?.description.hasPrefix("archive is \(NumPyFixtures.npzStored.count) bytes, over the limit of 100 bytes") == true)
    }

    /// Every failure of `read(contentsOf:)` names the file exactly once, in `path`; `descriptionWithoutPath`
    /// is the rest, for callers that put the path in front themselves.
    @Test func errorsNameThePathExactlyOnce() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let shortNPY = handmadeNPY(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", data: [1, 2, 3])
        let cases: [(String, [UInt8]?, NPZLimits)] = [
            ("missing.npz", nil, .default),
            ("text.npz", Array("not a zip archive at all".utf8), .default),
            ("truncated.npz", Array(NumPyFixtures.npzStored.dropLast(5)), .default),
            ("member.npz", storedZip([("A.npy", shortNPY)]), .default),
            ("bomb.npz", Self.zeroBomb(members: 4, mebibytes: 1), NPZLimits(maxTotalBytes: 1 << 20)),
            ("big.npz", NumPyFixtures.npzStored, NPZLimits(maxFileBytes: 10)),
        ]
        for (name, bytes, limits) in cases {
            let path = dir + "/" + name
            if let bytes { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
            let error = try #require(caughtError { try NPZArchive.read(contentsOf: path, limits: limits) }, "\(name)")
            #expect(error.path == path)
            #expect(Self.occurrences(of: path, in: error.description) == 1, "\(error.description)")
            #expect(Self.occurrences(of: name, in: error.message) == 0, "the message repeats the path: \(error.message)")
            #expect(!error.descriptionWithoutPath.contains(path))
            #expect(error.description == "\(path): \(error.descriptionWithoutPath)")
        }
    }
}
