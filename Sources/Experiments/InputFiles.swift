import Foundation

/// An input file that is missing, not a regular file, unreadable, or larger than the run allows.
/// `ggd` exits 66 (EX_NOINPUT) on it; malformed *contents* are a `SettingError` (65) instead.
public struct InputFileError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    public let reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "'\(path)': \(reason)" }
}

/// Reading whole input files with a size bound checked before a byte is read.
public enum InputFiles {
    /// The default bound on a setting, results or baseline file: far above any real one, far below memory.
    public static let defaultMaximumBytes = 256 << 20

    /// The file's bytes; a missing file, a folder, an unreadable file or one over `maximumBytes` is an
    /// `InputFileError` naming the path.
    public static func read(_ path: String, maximumBytes: Int = defaultMaximumBytes) throws -> Data {
        try requireReadableFile(path)
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.int64Value > Int64(maximumBytes) {
            throw InputFileError(path: path, reason: "is \(ByteCount.text(Double(size.int64Value))), more than the \(ByteCount.text(Double(maximumBytes))) such a file may have")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw InputFileError(path: path, reason: "cannot be read") }
        guard data.count <= maximumBytes else {
            throw InputFileError(path: path, reason: "is more than the \(ByteCount.text(Double(maximumBytes))) such a file may have")
        }
        return data
    }
}

extension InputFiles {
    /// Throws an `InputFileError` unless `path` is an existing, readable regular file; `context` (an option
    /// such as "--network") is put in front of the reason.
    public static func requireReadableFile(_ path: String, context: String? = nil) throws {
        let prefix = context.map { "\($0): " } ?? ""
        switch FilePaths.kind(of: path) {
        case .absent: throw InputFileError(path: path, reason: prefix + "no such file")
        case .folder: throw InputFileError(path: path, reason: prefix + "is a folder, not a file")
        case .file: break
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw InputFileError(path: path, reason: prefix + "cannot be read (permission denied)")
        }
    }
}

/// Byte counts for messages: "512 B", "3.2 MB", "1.6 GB" (decimal units, as `ls -h --si` and disk vendors).
public enum ByteCount {
    public static func text(_ bytes: Double) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = bytes
        var unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        if !value.isFinite { return "an unbounded amount" }
        return unit == 0 ? "\(Int(value)) B" : String(format: "%.1f %@", value, units[unit])
    }
}
