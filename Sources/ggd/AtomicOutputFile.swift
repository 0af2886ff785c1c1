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
}
