import Foundation

/// A command's multi-file output, written all or nothing under one rule:
///
/// - a folder that does not exist is created;
/// - an existing folder is replaced whole only when it is a previous output of the *same* command
///   (it carries `OutputMarker`) or is empty; any other folder, or a file at that path, is refused with
///   an `OutputError` that says why and names `--force`, which replaces it anyway;
/// - every file is written into a sibling staging folder, which is swapped in by rename, so readers see
///   the old folder or the complete new one, never a mixture, and no stale file of an earlier run stays.
///
/// `checkDestination()` applies the rule without writing, so commands call it before their work and a
/// refusal costs the user nothing; `commit()` applies it again at the end.
public struct OutputFolder {
    public let path: String
    public let command: String
    public let force: Bool
    private var files: [(path: String, bytes: [UInt8])] = []

    public init(path: String, command: String, force: Bool = false) {
        self.path = path
        self.command = command
        self.force = force
    }

    /// The names of the files added so far, in order.
    public var fileNames: [String] { files.map(\.path) }

    /// Adds a file at a relative path ("index.html", "figures/a.svg"); no absolute paths, no "..".
    public mutating func add(_ relativePath: String, bytes: [UInt8]) throws {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        guard !relativePath.hasPrefix("/"), !parts.isEmpty, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
              relativePath != OutputMarker.fileName else {
            throw OutputError("output file path must be relative and plain, got '\(relativePath)'")
        }
        files.append((relativePath, bytes))
    }

    public mutating func add(_ relativePath: String, text: String) throws { try add(relativePath, bytes: Array(text.utf8)) }

    /// Throws when the rule forbids writing at `path`; writes nothing.
    public func checkDestination() throws {
        guard !path.isEmpty else { throw OutputError("the output folder is an empty path") }
        let name = FilePaths.lastComponent(path)
        guard name != "/" && name != "." && name != ".." else {
            throw OutputError("'\(path)' cannot be an output folder (it would replace the folder itself); name a new folder such as runs/\(command)")
        }
        switch FilePaths.kind(of: path) {
        case .absent: return
        case .file:
            throw OutputError("'\(path)' exists and is a file, not a folder; \(command) writes a folder there. Choose another --out"
                              + (force ? "" : ", or remove the file"))
        case .folder:
            if force { return }
            if let owner = OutputMarker.command(of: path) {
                if owner == command { return }
                throw OutputError("'\(path)' holds the output of ggd \(owner), not of ggd \(command); choose another folder, or pass --force to replace it")
            }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            if entries.isEmpty { return }
            let shown = entries.sorted().prefix(3).joined(separator: ", ") + (entries.count > 3 ? ", …" : "")
            throw OutputError("'\(path)' exists and is not an output of ggd \(command) (it holds \(entries.count) entr\(entries.count == 1 ? "y" : "ies"): \(shown)); "
                              + "ggd replaces a folder whole, so it refuses to touch it. Choose a new folder, or pass --force to replace it and everything in it")
        }
    }

    /// Writes everything into a sibling staging folder, then swaps it in for `path`.
    public func commit() throws {
        try checkDestination()
        let fm = FileManager.default
        let target = FilePaths.trimmingTrailingSlashes(path)
        let parent = FilePaths.parent(of: target)
        do { try fm.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw OutputError("cannot create the folder '\(parent)' for '\(path)': \(Self.reason(error))")
        }
        let tag = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))"
        let name = FilePaths.lastComponent(target)
        let staging = FilePaths.join(parent, ".\(name).staging-\(tag)")
        let old = FilePaths.join(parent, ".\(name).old-\(tag)")
        do { try fm.createDirectory(atPath: staging, withIntermediateDirectories: false) } catch {
            throw OutputError("cannot write next to '\(path)': \(Self.reason(error))")
        }
        var committed = false
        defer { if !committed { try? fm.removeItem(atPath: staging) } }
        for f in files + [(OutputMarker.fileName, Array(OutputMarker.text(command: command).utf8))] {
            let file = FilePaths.join(staging, f.path)
            let folder = FilePaths.parent(of: file)
            if folder != staging { try? fm.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try FileWriting.write(f.bytes, to: file, describing: "'\(f.path)' for '\(path)'")
        }
        let existed = FilePaths.kind(of: target) != .absent
        if existed {
            guard rename(target, old) == 0 else { throw OutputError("cannot replace '\(path)': \(String(cString: strerror(errno)))") }
        }
        guard rename(staging, target) == 0 else {
            let e = errno
            if existed { _ = rename(old, target) }
            throw OutputError("cannot move the new '\(path)' into place: \(String(cString: strerror(e)))")
        }
        committed = true
        if existed { try? fm.removeItem(atPath: old) }
    }

    static func reason(_ error: Error) -> String { (error as NSError).localizedDescription }
}

/// Low-level writing of one file's bytes, with errors that name the file.
enum FileWriting {
    static func write(_ bytes: [UInt8], to path: String, describing what: String) throws {
        guard let handle = fopen(path, "wb") else { throw OutputError("cannot write \(what): \(String(cString: strerror(errno)))") }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        let flushed = fflush(handle) == 0 && fsync(fileno(handle)) == 0
        let closed = fclose(handle) == 0
        guard written == bytes.count, flushed, closed else { throw OutputError("cannot write \(what): \(String(cString: strerror(errno)))") }
    }
}
