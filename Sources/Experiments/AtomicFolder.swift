import Foundation

/// Writes a whole folder (files in subfolders too, such as a report's `figures/`) so that readers see
/// either the previous folder or the complete new one, never a mixture: everything is written into a
/// sibling staging folder, which then replaces the destination by rename. A failure leaves the
/// destination as it was and removes the staging folder.
public struct AtomicFolder {
    public let directory: String
    private var files: [(path: String, bytes: [UInt8])] = []

    public init(directory: String) { self.directory = directory }

    /// Adds a file at a relative path ("index.html", "figures/a.svg"); no absolute paths, no "..".
    public mutating func add(_ path: String, bytes: [UInt8]) throws {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.hasPrefix("/"), !parts.isEmpty, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw SettingError("output file path must be relative and plain, got '\(path)'")
        }
        files.append((path, bytes))
    }

    public mutating func add(_ path: String, text: String) throws { try add(path, bytes: Array(text.utf8)) }

    /// Writes everything, then swaps the staging folder in for the destination.
    public func commit() throws {
        let fm = FileManager.default
        let target = (directory as NSString).standardizingPath
        let parent = (target as NSString).deletingLastPathComponent.isEmpty ? "." : (target as NSString).deletingLastPathComponent
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: target, isDirectory: &isDir), !isDir.boolValue {
            throw SettingError("output path '\(directory)' exists and is not a folder")
        }
        do { try fm.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw SettingError("cannot create '\(parent)': \(error.localizedDescription)")
        }
        let tag = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))"
        let name = (target as NSString).lastPathComponent
        let staging = (parent as NSString).appendingPathComponent(".\(name).staging-\(tag)")
        let old = (parent as NSString).appendingPathComponent(".\(name).old-\(tag)")
        do { try fm.createDirectory(atPath: staging, withIntermediateDirectories: false) } catch {
            throw SettingError("cannot write next to '\(directory)': \(error.localizedDescription)")
        }
        var committed = false
        defer { if !committed { try? fm.removeItem(atPath: staging) } }
        for f in files {
            let path = (staging as NSString).appendingPathComponent(f.path)
            try? fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard fm.createFile(atPath: path, contents: Data(f.bytes)) else { throw SettingError("cannot write '\(f.path)' for '\(directory)'") }
        }
        let existed = fm.fileExists(atPath: target)
        if existed { guard rename(target, old) == 0 else { throw SettingError("cannot replace '\(directory)' (errno \(errno))") } }
        guard rename(staging, target) == 0 else {
            let e = errno
            if existed { _ = rename(old, target) }
            throw SettingError("cannot move the new '\(directory)' into place (errno \(e))")
        }
        committed = true
        if existed { try? fm.removeItem(atPath: old) }
    }
}
