import Foundation

/// A command's single-file output (`--out results.json`, `--json bench.json`), written to a temporary
/// file beside it and renamed, so the file is the old one or the complete new one, never half of one.
///
/// An existing file is replaced only when it is a previous `ggd` output (a JSON object that records
/// the tool version, as every `ggd` JSON output does) or with `--force`; a folder at the path is refused.
public struct OutputFile {
    public let path: String
    public let force: Bool

    public init(path: String, force: Bool = false) {
        self.path = path
        self.force = force
    }

    /// Throws when the rule forbids writing at `path`; writes nothing.
    public func checkDestination() throws {
        guard !path.isEmpty, !path.hasSuffix("/") else { throw OutputError("'\(path)' names a folder; give a file name such as results.json") }
        switch FilePaths.kind(of: path) {
        case .absent: return
        case .folder: throw OutputError("'\(path)' is a folder; give a file name (for example \(FilePaths.join(path, "results.json")))")
        case .file:
            if force || Self.isGGDOutput(path) { return }
            throw OutputError("'\(path)' exists and is not a ggd output; choose another file, or pass --force to replace it")
        }
    }

    /// Writes `bytes` at `path`, all or nothing; the folder is created if needed.
    public func write(_ bytes: [UInt8]) throws {
        try checkDestination()
        let folder = FilePaths.parent(of: path)
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw OutputError("cannot create the folder '\(folder)' for '\(path)': \(OutputFolder.reason(error))")
        }
        let temporary = FilePaths.join(folder, ".\(FilePaths.lastComponent(path)).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))")
        do { try FileWriting.write(bytes, to: temporary, describing: "'\(path)'") } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let e = errno
            unlink(temporary)
            throw OutputError("cannot move '\(path)' into place: \(String(cString: strerror(e)))")
        }
    }

    public func write(_ data: Data) throws { try write([UInt8](data)) }

    /// A JSON object whose top level records the tool version (`tool_version` or `toolVersion`).
    static func isGGDOutput(_ path: String) -> Bool {
        guard let data = try? InputFiles.read(path, maximumBytes: 64 << 20),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        return object["tool_version"] != nil || object["toolVersion"] != nil
    }
}
