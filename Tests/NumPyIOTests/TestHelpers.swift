import Foundation
import NumPyIO
import Randomness

/// The error `body` throws, or nil if it returns normally (or throws something else).
func caughtError<T>(_ body: () throws -> T) -> NumPyIOError? {
    do {
        _ = try body()
        return nil
    } catch let error as NumPyIOError {
        return error
    } catch {
        return nil
    }
}

/// A `.npy` file with an arbitrary header text (unpadded) and data, for malformed inputs.
func handmadeNPY(header: String, data: [UInt8] = [], major: UInt8 = 1) -> [UInt8] {
    let text = Array(header.utf8)
    var out: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0]
    if major == 1 {
        out += [UInt8(text.count & 0xFF), UInt8(text.count >> 8)]
    } else {
        out += [UInt8(text.count & 0xFF), UInt8((text.count >> 8) & 0xFF), UInt8((text.count >> 16) & 0xFF), 0]
    }
    return out + text + data
}

/// Little-endian bytes of float64 values.
func float64Bytes(_ values: [Double]) -> [UInt8] {
    values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt64($0))) } }
}

/// Reads a little-endian integer from an archive (for locating fields to corrupt).
func readLE(_ bytes: [UInt8], at offset: Int, size: Int) -> Int {
    (0..<size).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
}

/// Offset of the end-of-central-directory record of an archive without comment.
func endRecordOffset(_ zip: [UInt8]) -> Int { zip.count - 22 }

/// Offset of the central directory of an archive without comment or zip64 records.
func centralDirectoryOffset(_ zip: [UInt8]) -> Int { readLE(zip, at: endRecordOffset(zip) + 16, size: 4) }

/// A fresh empty directory under the system temporary directory.
func makeTemporaryDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("NumPyIOTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// The repository's committed paper files (Sources/Experiments/PaperFiles).
func paperFile(_ name: String, filePath: String = #filePath) -> String {
    URL(fileURLWithPath: filePath)
        .deletingLastPathComponent()  // NumPyIOTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("Sources/Experiments/PaperFiles/\(name)")
        .path
}

/// A small deterministic generator (SplitMix64) for fuzz-style tests, on the project's own SplitMix64
/// finaliser (`StreamKey.mix` adds the increment and mixes).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        defer { state &+= 0x9E37_79B9_7F4A_7C15 }
        return StreamKey.mix(state)
    }
}
