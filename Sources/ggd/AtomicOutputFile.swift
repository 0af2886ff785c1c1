import Foundation
import Experiments

/// One output file written atomically (through `AtomicOutput`).
struct AtomicOutputFile {
    let path: String
    let directory: String

    mutating func write(_ data: Data) throws {
        var output = AtomicOutput(directory: directory)
        output.add((path as NSString).lastPathComponent, bytes: [UInt8](data))
        try output.commit()
    }

    /// Writes `data` to `path` (its folder is created if needed), all or nothing.
    static func write(_ data: Data, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        var file = AtomicOutputFile(path: path, directory: folder.isEmpty ? "." : folder)
        try file.write(data)
    }
}
