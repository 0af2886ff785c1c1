/// Zip archive structures (PKWARE APPNOTE 6.3): just what `.npz` files need. The reader
/// trusts the central directory, cross-checks each member's local header, and bounds-checks
/// every offset; the writer emits stored members with fixed 1980-01-01 timestamps so its
/// output is deterministic.
enum ZipFormat {
    static let localHeaderSignature: UInt32 = 0x0403_4B50
    static let centralHeaderSignature: UInt32 = 0x0201_4B50
    static let endOfCentralDirectorySignature: UInt32 = 0x0605_4B50
    static let zip64EndOfCentralDirectorySignature: UInt32 = 0x0606_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    static let zip64ExtraFieldID: UInt16 = 0x0001

    static let localHeaderSize = 30
    static let centralHeaderSize = 46
    static let endOfCentralDirectorySize = 22
    static let zip64EndOfCentralDirectorySize = 56
    static let zip64LocatorSize = 20

    /// Deflate cannot compress better than about 1032:1; a member claiming more is corrupt
    /// (and would otherwise make us allocate an attacker-chosen amount of memory).
    static let maxDeflateRatio = 1032

    /// MS-DOS date for 1980-01-01, the timestamp NumPy also writes.
    static let dosDate1980: UInt16 = 0x0021

    /// Flag bit 11: the name is UTF-8.
    static let utf8NameFlag: UInt16 = 0x0800
}

/// One member, as described by the central directory.
struct ZipEntry {
    var name: String
    var rawName: [UInt8]
    var flags: UInt16
    var method: UInt16
    var crc: UInt32
    var compressedSize: Int
    var uncompressedSize: Int
    var localHeaderOffset: Int
    /// Filled in after the local header is checked: where the member's data starts.
    var dataOffset = 0
}

/// Bounds-checked little-endian reads from an archive held in memory.
struct ByteView {
    let bytes: [UInt8]

    var count: Int { bytes.count }

    /// True if `length` bytes starting at `offset` are inside the data.
    func contains(_ offset: Int, _ length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= bytes.count && length <= bytes.count - offset
    }

    func uint(_ offset: Int, _ size: Int, _ what: @autoclosure () -> String) throws -> UInt64 {
        guard contains(offset, size) else {
            throw NumPyIOError(.corruptZip, "truncated zip archive: \(what()) at offset \(offset) extends past the end (\(bytes.count) bytes)")
        }
        var value: UInt64 = 0
        for k in 0..<size { value |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
        return value
    }

    func u16(_ offset: Int, _ what: @autoclosure () -> String) throws -> UInt16 {
        UInt16(truncatingIfNeeded: try uint(offset, 2, what()))
    }

    func u32(_ offset: Int, _ what: @autoclosure () -> String) throws -> UInt32 {
        UInt32(truncatingIfNeeded: try uint(offset, 4, what()))
    }

    func u64(_ offset: Int, _ what: @autoclosure () -> String) throws -> UInt64 {
        try uint(offset, 8, what())
    }

    func slice(_ offset: Int, _ length: Int, _ what: @autoclosure () -> String) throws -> [UInt8] {
        guard contains(offset, length) else {
            throw NumPyIOError(.corruptZip, "truncated zip archive: \(what()) (\(length) bytes at offset \(offset)) extends past the end (\(bytes.count) bytes)")
        }
        return Array(bytes[offset..<(offset + length)])
    }
}

/// Converts a 64-bit size or offset from the archive to `Int`, rejecting impossible values.
private func toInt(_ value: UInt64, _ what: String) throws -> Int {
    guard let result = Int(exactly: value) else {
        throw NumPyIOError(.corruptZip, "\(what) \(value) is impossibly large")
    }
    return result
}

enum ZipReader {
    /// The central directory's entries, in directory order, each with its local header
    /// checked and `dataOffset` set. Members must not overlap each other or the directory.
    ///
    /// `limits` are checked here, against the sizes the directory declares, before anything is
    /// decompressed: the archive size, the member count, each member's size and ratio, and the total.
    static func entries(_ view: ByteView, limits: NPZLimits = .default) throws -> [ZipEntry] {
        guard view.count <= limits.maxFileBytes else {
            throw NumPyIOError(
                .limitExceeded, "archive is \(describeBytes(view.count)), over the limit of \(describeBytes(limits.maxFileBytes)) (NPZLimits.maxFileBytes)")
        }
        let (entryCount, directoryOffset, directorySize, directoryLimit) = try locateCentralDirectory(view)

        guard directoryOffset <= directoryLimit, directorySize <= directoryLimit - directoryOffset else {
            throw NumPyIOError(
                .corruptZip,
                "central directory (\(directorySize) bytes at offset \(directoryOffset)) extends past its end record at offset \(directoryLimit)")
        }
        guard entryCount <= directorySize / ZipFormat.centralHeaderSize else {
            throw NumPyIOError(.corruptZip, "central directory of \(directorySize) bytes cannot hold the \(entryCount) entries it claims")
        }
        guard entryCount <= limits.maxEntries else {
            throw NumPyIOError(.limitExceeded, "archive has \(entryCount) members, over the limit of \(limits.maxEntries) (NPZLimits.maxEntries)")
        }

        var entries: [ZipEntry] = []
        entries.reserveCapacity(entryCount)
        var p = directoryOffset
        let directoryEnd = directoryOffset + directorySize
        for index in 0..<entryCount {
            let what = "central directory entry \(index)"
            guard p <= directoryEnd - ZipFormat.centralHeaderSize else {
                throw NumPyIOError(.corruptZip, "central directory ends inside entry \(index) of \(entryCount)")
            }
            guard try view.u32(p, what) == ZipFormat.centralHeaderSignature else {
                throw NumPyIOError(.corruptZip, "bad signature for \(what) at offset \(p)")
            }
            let flags = try view.u16(p + 8, what)
            let method = try view.u16(p + 10, what)
            let crc = try view.u32(p + 16, what)
            let compressed32 = try view.u32(p + 20, what)
            let uncompressed32 = try view.u32(p + 24, what)
            let nameLength = Int(try view.u16(p + 28, what))
            let extraLength = Int(try view.u16(p + 30, what))
            let commentLength = Int(try view.u16(p + 32, what))
            let disk16 = try view.u16(p + 34, what)
            let offset32 = try view.u32(p + 42, what)
            let recordLength = ZipFormat.centralHeaderSize + nameLength + extraLength + commentLength
            guard recordLength <= directoryEnd - p else {
                throw NumPyIOError(.corruptZip, "\(what) runs past the end of the central directory")
            }
            let rawName = try view.slice(p + ZipFormat.centralHeaderSize, nameLength, "\(what) name")
            let name = decodeName(rawName, utf8: flags & ZipFormat.utf8NameFlag != 0)
            let extra = try view.slice(p + ZipFormat.centralHeaderSize + nameLength, extraLength, "\(what) extra field")

            var uncompressed = UInt64(uncompressed32)
            var compressed = UInt64(compressed32)
            var offset = UInt64(offset32)
            var disk = UInt32(disk16)
            try withErrorContext(member: name) {
                try applyZip64Extra(
                    extra, uncompressed: &uncompressed, compressed: &compressed, offset: &offset, disk: &disk)
            }
            guard disk == 0 else {
                throw NumPyIOError(.unsupportedZipFeature, "multi-disk (split) zip archives are not supported", member: name)
            }
            let entry = ZipEntry(
                name: name, rawName: rawName, flags: flags, method: method, crc: crc,
                compressedSize: try toInt(compressed, "compressed size"),
                uncompressedSize: try toInt(uncompressed, "uncompressed size"),
                localHeaderOffset: try toInt(offset, "local header offset"))
            try withErrorContext(member: name) { try checkDeclaredSize(entry, limits) }
            entries.append(entry)
            p += recordLength
        }
        // The sum of what the members declare, before any is inflated: many members each within the
        // per-member bounds can still add up to far more memory than the archive's size suggests.
        var total = 0
        for entry in entries {
            let (sum, overflow) = total.addingReportingOverflow(entry.uncompressedSize)
            total = overflow ? .max : sum
        }
        guard total <= limits.maxTotalBytes else {
            throw NumPyIOError(
                .limitExceeded,
                "\(entries.count) members declare \(describeBytes(total)) uncompressed in total, "
                    + "over the limit of \(describeBytes(limits.maxTotalBytes)) (NPZLimits.maxTotalBytes)")
        }

        for index in entries.indices {
            try withErrorContext(member: entries[index].name) {
                entries[index].dataOffset = try checkLocalHeader(entries[index], view, directoryOffset: directoryOffset)
            }
        }
        // Members must not share bytes: overlapping entries are how "zip bombs" multiply output.
        let byOffset = entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        for (a, b) in zip(byOffset, byOffset.dropFirst()) where a.dataOffset + a.compressedSize > b.localHeaderOffset {
            throw NumPyIOError(.corruptZip, "members '\(a.name)' and '\(b.name)' overlap")
        }
        return entries
    }

    /// Finds the end-of-central-directory record (and the zip64 one, if present) and returns
    /// the entry count, directory offset and size, and where the directory must end by.
    private static func locateCentralDirectory(_ view: ByteView) throws -> (count: Int, offset: Int, size: Int, limit: Int) {
        let n = view.count
        guard n > 0 else { throw NumPyIOError(.empty, "empty input, not a .npz archive") }
        // The record is 22 bytes plus a comment of up to 65535 bytes, at the very end.
        var eocd: Int?
        if n >= ZipFormat.endOfCentralDirectorySize {
            let lowest = max(0, n - ZipFormat.endOfCentralDirectorySize - 0xFFFF)
            var candidate = n - ZipFormat.endOfCentralDirectorySize
            while candidate >= lowest {
                if view.bytes[candidate] == 0x50, view.bytes[candidate + 1] == 0x4B,
                   try view.u32(candidate, "end record") == ZipFormat.endOfCentralDirectorySignature,
                   candidate + ZipFormat.endOfCentralDirectorySize + Int(try view.u16(candidate + 20, "end record")) == n {
                    eocd = candidate
                    break
                }
                candidate -= 1
            }
        }
        guard let e = eocd else {
            if view.bytes.starts(with: NumPyFile.magic) {
                throw NumPyIOError(.notZip, "not a zip archive (this is a .npy file, not a .npz)")
            }
            if [0x50, 0x4B, 0x03, 0x04].starts(with: view.bytes.prefix(4)) {  // starts like a zip
                throw NumPyIOError(.corruptZip, "truncated zip archive: no end-of-central-directory record")
            }
            throw NumPyIOError(.notZip, "not a zip archive (no end-of-central-directory record)")
        }
        let what = "end-of-central-directory record"
        let disk = try view.u16(e + 4, what)
        let directoryDisk = try view.u16(e + 6, what)
        let entriesOnDisk = try view.u16(e + 8, what)
        var count = UInt64(try view.u16(e + 10, what))
        var size = UInt64(try view.u32(e + 12, what))
        var offset = UInt64(try view.u32(e + 16, what))
        var limit = e

        let locator = e - ZipFormat.zip64LocatorSize
        if locator >= 0, try view.u32(locator, "zip64 locator") == ZipFormat.zip64LocatorSignature {
            let what64 = "zip64 end-of-central-directory record"
            let locatorDisk = try view.u32(locator + 4, "zip64 locator")
            let recordOffset = try toInt(try view.u64(locator + 8, "zip64 locator"), "zip64 end record offset")
            let totalDisks = try view.u32(locator + 16, "zip64 locator")
            guard locatorDisk == 0, totalDisks <= 1 else {
                throw NumPyIOError(.unsupportedZipFeature, "multi-disk (split) zip archives are not supported")
            }
            guard recordOffset <= locator - ZipFormat.zip64EndOfCentralDirectorySize,
                  try view.u32(recordOffset, what64) == ZipFormat.zip64EndOfCentralDirectorySignature
            else {
                throw NumPyIOError(.corruptZip, "zip64 locator points to no zip64 end-of-central-directory record")
            }
            let disk64 = try view.u32(recordOffset + 16, what64)
            let directoryDisk64 = try view.u32(recordOffset + 20, what64)
            let entriesOnDisk64 = try view.u64(recordOffset + 24, what64)
            count = try view.u64(recordOffset + 32, what64)
            size = try view.u64(recordOffset + 40, what64)
            offset = try view.u64(recordOffset + 48, what64)
            guard disk64 == 0, directoryDisk64 == 0, entriesOnDisk64 == count else {
                throw NumPyIOError(.unsupportedZipFeature, "multi-disk (split) zip archives are not supported")
            }
            limit = recordOffset
        } else {
            guard disk == 0, directoryDisk == 0, UInt64(entriesOnDisk) == count else {
                throw NumPyIOError(.unsupportedZipFeature, "multi-disk (split) zip archives are not supported")
            }
        }
        return (try toInt(count, "entry count"), try toInt(offset, "central directory offset"),
                try toInt(size, "central directory size"), limit)
    }

    /// Replaces 0xFFFFFFFF/0xFFFF header fields by their values in the zip64 extra field.
    private static func applyZip64Extra(
        _ extra: [UInt8], uncompressed: inout UInt64, compressed: inout UInt64, offset: inout UInt64, disk: inout UInt32
    ) throws {
        let view = ByteView(bytes: extra)
        var p = 0
        while p + 4 <= extra.count {
            let id = try view.u16(p, "extra field")
            let length = Int(try view.u16(p + 2, "extra field"))
            let body = p + 4
            guard length <= extra.count - body else {
                throw NumPyIOError(.corruptZip, "extra field 0x\(String(id, radix: 16)) runs past the end of the extra data")
            }
            if id == ZipFormat.zip64ExtraFieldID {
                var q = body
                let end = body + length
                func next64() throws -> UInt64 {
                    guard q + 8 <= end else { throw NumPyIOError(.corruptZip, "zip64 extra field is too short") }
                    defer { q += 8 }
                    return try view.u64(q, "zip64 extra field")
                }
                if uncompressed == 0xFFFF_FFFF { uncompressed = try next64() }
                if compressed == 0xFFFF_FFFF { compressed = try next64() }
                if offset == 0xFFFF_FFFF { offset = try next64() }
                if disk == 0xFFFF {
                    guard q + 4 <= end else { throw NumPyIOError(.corruptZip, "zip64 extra field is too short") }
                    disk = try view.u32(q, "zip64 extra field")
                }
            }
            p = body + length
        }
    }

    /// One member's declared uncompressed size against `maxEntryBytes`, and a deflated member's
    /// ratio against deflate's own maximum (`corruptDeflate`) and `maxCompressionRatio`.
    private static func checkDeclaredSize(_ entry: ZipEntry, _ limits: NPZLimits) throws {
        // A ratio deflate cannot produce is corruption, whatever the limits: say so first.
        if entry.method == 8, entry.uncompressedSize / ZipFormat.maxDeflateRatio > entry.compressedSize {
            throw NumPyIOError(
                .corruptDeflate,
                "declares \(entry.uncompressedSize) bytes from \(entry.compressedSize) compressed, beyond deflate's maximum ratio")
        }
        guard entry.uncompressedSize <= limits.maxEntryBytes else {
            throw NumPyIOError(
                .limitExceeded,
                "declares \(describeBytes(entry.uncompressedSize)) uncompressed, over the limit of \(describeBytes(limits.maxEntryBytes)) per member (NPZLimits.maxEntryBytes)")
        }
        if entry.method == 8, entry.uncompressedSize / limits.maxCompressionRatio > entry.compressedSize {
            throw NumPyIOError(
                .limitExceeded,
                "declares \(entry.uncompressedSize) bytes from \(entry.compressedSize) compressed, over the limit of "
                    + "\(limits.maxCompressionRatio):1 (NPZLimits.maxCompressionRatio)")
        }
    }

    /// Checks the member's local header against the central directory and returns where
    /// its data starts; the data must end before the central directory begins.
    private static func checkLocalHeader(_ entry: ZipEntry, _ view: ByteView, directoryOffset: Int) throws -> Int {
        let p = entry.localHeaderOffset
        let what = "local header"
        guard p < directoryOffset, view.contains(p, ZipFormat.localHeaderSize) else {
            throw NumPyIOError(.corruptZip, "local header offset \(p) is outside the member area (central directory at \(directoryOffset))")
        }
        guard try view.u32(p, what) == ZipFormat.localHeaderSignature else {
            throw NumPyIOError(.corruptZip, "bad local header signature at offset \(p)")
        }
        let nameLength = Int(try view.u16(p + 26, what))
        let extraLength = Int(try view.u16(p + 28, what))
        let localName = try view.slice(p + ZipFormat.localHeaderSize, nameLength, "local header name")
        guard localName == entry.rawName else {
            throw NumPyIOError(
                .corruptZip,
                "local header name '\(decodeName(localName, utf8: entry.flags & ZipFormat.utf8NameFlag != 0))' differs from the central directory's")
        }
        let dataOffset = p + ZipFormat.localHeaderSize + nameLength + extraLength
        guard dataOffset <= directoryOffset, entry.compressedSize <= directoryOffset - dataOffset else {
            throw NumPyIOError(
                .corruptZip,
                "data (\(entry.compressedSize) bytes at offset \(dataOffset)) runs into the central directory at offset \(directoryOffset)")
        }
        return dataOffset
    }

    /// The member's uncompressed bytes, CRC-checked.
    static func extract(_ entry: ZipEntry, _ view: ByteView) throws -> [UInt8] {
        if entry.flags & 0x0001 != 0 || entry.flags & 0x0040 != 0 || entry.method == 99 {
            throw NumPyIOError(.unsupportedZipFeature, "encrypted members are not supported")
        }
        guard view.contains(entry.dataOffset, entry.compressedSize) else {
            throw NumPyIOError(
                .corruptZip,
                "truncated zip archive: member data (\(entry.compressedSize) bytes at offset \(entry.dataOffset)) extends past the end (\(view.count) bytes)")
        }
        // No copy of the compressed bytes: a slice of the archive.
        let stored = view.bytes[entry.dataOffset..<(entry.dataOffset + entry.compressedSize)]
        let contents: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw NumPyIOError(
                    .corruptZip,
                    "stored member has compressed size \(entry.compressedSize) but uncompressed size \(entry.uncompressedSize)")
            }
            contents = Array(stored)
        case 8:
            // The ratio and size limits were checked with the central directory (`checkDeclaredSize`).
            contents = try Zlib.inflateRaw(stored, expectedSize: entry.uncompressedSize)
        default:
            throw NumPyIOError(
                .unsupportedCompression,
                "compression method \(entry.method)\(methodName(entry.method)) is not supported (only 0 stored and 8 deflate)")
        }
        let crc = Zlib.checksum(contents)
        guard crc == entry.crc else {
            throw NumPyIOError(.badCRC, "CRC-32 mismatch: archive says \(hex(entry.crc)), contents have \(hex(crc))")
        }
        return contents
    }

    private static func methodName(_ method: UInt16) -> String {
        switch method {
        case 1: return " (shrink)"
        case 6: return " (implode)"
        case 9: return " (deflate64)"
        case 12: return " (bzip2)"
        case 14: return " (lzma)"
        case 93: return " (zstandard)"
        case 95: return " (xz)"
        case 98: return " (ppmd)"
        default: return ""
        }
    }

    /// Member names are UTF-8 when flag bit 11 is set, otherwise IBM code page 437 (as
    /// Python's zipfile, and so NumPy, decode them).
    static func decodeName(_ raw: [UInt8], utf8: Bool) -> String {
        if utf8 || raw.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: raw, as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        for b in raw {
            let code = b < 0x80 ? UInt32(b) : cp437High[Int(b) - 0x80]
            scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    /// Unicode code points of CP437 bytes 0x80…0xFF.
    private static let cp437High: [UInt32] = [
        0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
        0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
        0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
        0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,
        0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
        0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
        0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,
        0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
        0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
        0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
        0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B,
        0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
        0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,
        0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229,
        0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,
        0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
    ]
}

func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

enum ZipWriter {
    /// A zip archive of stored (uncompressed) members, in the given order. Zip64 records
    /// are used only where a size, offset or count needs them (or when `forceZip64`).
    static func archive(_ members: [(name: String, contents: [UInt8])], forceZip64: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        let max32 = Int(UInt32.max)
        for member in members {
            let name = Array(member.name.utf8)
            precondition(name.count <= Int(UInt16.max), "zip member name longer than 65535 bytes")
            let flags: UInt16 = name.allSatisfy({ $0 < 0x80 }) ? 0 : ZipFormat.utf8NameFlag
            let crc = Zlib.checksum(member.contents)
            let size = member.contents.count
            let offset = out.count
            let sizes64 = forceZip64 || size >= max32
            let offset64 = forceZip64 || offset >= max32
            let versionNeeded: UInt16 = sizes64 || offset64 ? 45 : 20

            // Local header: a zip64 extra field, when present, must hold both sizes.
            var localExtra: [UInt8] = []
            if sizes64 {
                localExtra.le(ZipFormat.zip64ExtraFieldID, 2); localExtra.le(16, 2)
                localExtra.le(UInt64(size), 8); localExtra.le(UInt64(size), 8)
            }
            out.le(ZipFormat.localHeaderSignature, 4)
            out.le(versionNeeded, 2)
            out.le(flags, 2)
            out.le(0, 2)  // method: stored
            out.le(0, 2)  // time 00:00
            out.le(ZipFormat.dosDate1980, 2)
            out.le(crc, 4)
            out.le(sizes64 ? UInt32.max : UInt32(size), 4)
            out.le(sizes64 ? UInt32.max : UInt32(size), 4)
            out.le(UInt16(name.count), 2)
            out.le(UInt16(localExtra.count), 2)
            out += name
            out += localExtra
            out += member.contents

            // Central directory entry: the zip64 field holds only what overflowed.
            var centralExtra: [UInt8] = []
            if sizes64 || offset64 {
                var body: [UInt8] = []
                if sizes64 { body.le(UInt64(size), 8); body.le(UInt64(size), 8) }
                if offset64 { body.le(UInt64(offset), 8) }
                centralExtra.le(ZipFormat.zip64ExtraFieldID, 2)
                centralExtra.le(UInt16(body.count), 2)
                centralExtra += body
            }
            central.le(ZipFormat.centralHeaderSignature, 4)
            central.le(UInt16(3 << 8) | versionNeeded, 2)  // made by: Unix
            central.le(versionNeeded, 2)
            central.le(flags, 2)
            central.le(0, 2)
            central.le(0, 2)
            central.le(ZipFormat.dosDate1980, 2)
            central.le(crc, 4)
            central.le(sizes64 ? UInt32.max : UInt32(size), 4)
            central.le(sizes64 ? UInt32.max : UInt32(size), 4)
            central.le(UInt16(name.count), 2)
            central.le(UInt16(centralExtra.count), 2)
            central.le(0, 2)  // comment length
            central.le(0, 2)  // disk
            central.le(0, 2)  // internal attributes
            central.le(UInt32(0o100644) << 16, 4)  // external attributes: regular file, rw-r--r--
            central.le(offset64 ? UInt32.max : UInt32(offset), 4)
            central += name
            central += centralExtra
        }
        let directoryOffset = out.count
        let directorySize = central.count
        let count = members.count
        out += central

        let needs64 = forceZip64 || count >= Int(UInt16.max) || directoryOffset >= max32 || directorySize >= max32
        if needs64 {
            let recordOffset = out.count
            out.le(ZipFormat.zip64EndOfCentralDirectorySignature, 4)
            out.le(UInt64(ZipFormat.zip64EndOfCentralDirectorySize - 12), 8)
            out.le(UInt16(3 << 8 | 45), 2)
            out.le(45, 2)
            out.le(0, 4)  // this disk
            out.le(0, 4)  // directory disk
            out.le(UInt64(count), 8)
            out.le(UInt64(count), 8)
            out.le(UInt64(directorySize), 8)
            out.le(UInt64(directoryOffset), 8)

            out.le(ZipFormat.zip64LocatorSignature, 4)
            out.le(0, 4)
            out.le(UInt64(recordOffset), 8)
            out.le(1, 4)  // total disks
        }
        out.le(ZipFormat.endOfCentralDirectorySignature, 4)
        out.le(0, 2)
        out.le(0, 2)
        out.le(needs64 ? UInt16.max : UInt16(count), 2)
        out.le(needs64 ? UInt16.max : UInt16(count), 2)
        out.le(needs64 ? UInt32.max : UInt32(directorySize), 4)
        out.le(needs64 ? UInt32.max : UInt32(directoryOffset), 4)
        out.le(0, 2)  // comment length
        return out
    }
}

extension Array where Element == UInt8 {
    /// Appends the low `size` bytes of `value`, little-endian.
    mutating func le<T: FixedWidthInteger>(_ value: T, _ size: Int) {
        let bits = UInt64(truncatingIfNeeded: value)
        for k in 0..<size { append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k)))) }
    }
}
