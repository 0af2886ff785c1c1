/// Reading and writing NumPy `.npz` archives: zip files whose members `NAME.npy` are
/// `.npy` files, one array per name (what `numpy.savez` and `numpy.savez_compressed` write).
///
/// Reading parses the zip central directory, checks every member's local header, accepts
/// stored and deflate-compressed members, verifies each CRC-32, and understands zip64
/// records. Every member must be named `*.npy`, names must be unique, and members must
/// not overlap; anything else is an error rather than being skipped. Writing produces an
/// uncompressed archive (like `numpy.savez`) with deterministic bytes.
///
/// Reading is bounded by `NPZLimits` (defaults: 1 GiB file, 1 GiB declared uncompressed in total and
/// per member, 10 000 members, deflate's 1032:1 ratio), checked against the central directory before
/// anything is decompressed; a member never inflates past the size it declares.
///
/// All functions throw only `NumPyIOError`. Errors from `read(contentsOf:)` carry the file in
/// `NumPyIOError.path` and name it once in their `description`: don't prefix the path again (use
/// `descriptionWithoutPath` if your message must start with the path itself).
public enum NPZArchive {
    /// The arrays of an in-memory `.npz` archive, keyed by member name without `.npy`.
    public static func read(_ data: [UInt8], limits: NPZLimits = .default) throws -> [String: NumPyArray] {
        var result: [String: NumPyArray] = [:]
        for (name, array) in try readOrdered(data, limits: limits) { result[name] = array }
        return result
    }

    /// Reads a `.npz` file; errors name `path` (once, in `NumPyIOError.path`) and, where relevant, the
    /// member. A file larger than `limits.maxFileBytes` is refused from its `fstat` size, unread.
    public static func read(contentsOf path: String, limits: NPZLimits = .default) throws -> [String: NumPyArray] {
        let data = try FileIO.readAll(path: path, maxBytes: limits.maxFileBytes, limitName: " (NPZLimits.maxFileBytes)")
        return try withErrorContext(path: path) { try read(data, limits: limits) }
    }

    /// The arrays of an in-memory `.npz` archive in the archive's own (central directory)
    /// order, for callers that care about order.
    public static func readOrdered(_ data: [UInt8], limits: NPZLimits = .default) throws -> [(name: String, array: NumPyArray)] {
        let view = ByteView(bytes: data)
        let entries = try ZipReader.entries(view, limits: limits)
        var seen = Set<String>()
        var names: [String] = []
        for entry in entries {
            guard entry.name.hasSuffix(".npy"), !entry.name.hasSuffix("/") else {
                throw NumPyIOError(.notNPYMember, "not a .npy file (every .npz member must be named NAME.npy)", member: entry.name)
            }
            guard seen.insert(entry.name).inserted else {
                throw NumPyIOError(.duplicateMember, "name appears more than once in the archive", member: entry.name)
            }
            names.append(String(entry.name.dropLast(4)))
        }
        var result: [(name: String, array: NumPyArray)] = []
        for (entry, name) in zip(entries, names) {
            let array = try withErrorContext(member: entry.name) {
                try NumPyFile.readNPY(try ZipReader.extract(entry, view))
            }
            result.append((name, array))
        }
        return result
    }

    /// An uncompressed `.npz` archive holding `arrays` in the given order, each as member
    /// `NAME.npy` (always suffixed, as `numpy.savez` does, so `read` gives back `NAME`). Byte-for-byte
    /// deterministic: timestamps are fixed at 1980-01-01 00:00.
    ///
    /// - Precondition: member names are unique and at most 65535 UTF-8 bytes. (`write`
    ///   checks this and throws instead.)
    public static func bytes(_ arrays: [(String, NumPyArray)]) -> [UInt8] {
        bytes(arrays, forceZip64: false)
    }

    /// Writes `arrays` as an uncompressed `.npz` file at `path`, atomically (temporary file
    /// in the same directory, then rename; nothing is left behind on failure). Throws
    /// `invalidArgument` for duplicate or over-long names.
    public static func write(_ arrays: [(String, NumPyArray)], to path: String) throws {
        try withErrorContext(path: path) { try validate(arrays) }
        try FileIO.writeAtomically(bytes(arrays), to: path)
    }

    /// `bytes`, optionally with zip64 records even where not needed (for tests).
    static func bytes(_ arrays: [(String, NumPyArray)], forceZip64: Bool) -> [UInt8] {
        let members = arrays.map { (name: memberName($0.0), contents: NumPyFile.npyBytes($0.1)) }
        var seen = Set<String>()
        for member in members {
            precondition(seen.insert(member.name).inserted, "NPZArchive.bytes: duplicate array name '\(member.name)'")
        }
        return ZipWriter.archive(members, forceZip64: forceZip64)
    }

    private static func memberName(_ name: String) -> String {
        name + ".npy"
    }

    private static func validate(_ arrays: [(String, NumPyArray)]) throws {
        var seen = Set<String>()
        for (name, _) in arrays {
            let member = memberName(name)
            guard member.utf8.count <= Int(UInt16.max) else {
                throw NumPyIOError(.invalidArgument, "array name is longer than a zip member name can be (65535 bytes)")
            }
            guard seen.insert(member).inserted else {
                throw NumPyIOError(.invalidArgument, "duplicate array name '\(name)'")
            }
        }
    }
}
