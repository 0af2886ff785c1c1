import Foundation

/// Writes a set of output files so that none is ever half-written: every file is first written into a
/// staging folder next to the destination, and only when all are complete are they renamed into place.
/// If anything fails, the staging folder is removed and the destination is untouched.
public struct AtomicOutput {
    public let directory: String
    private var files: [(name: String, bytes: [UInt8])] = []

    public init(directory: String) { self.directory = directory }

    public mutating func add(_ name: String, bytes: [UInt8]) {
        precondition(!name.contains("/"), "output file names are plain names, got \(name)")
        files.append((name, bytes))
    }

    public mutating func add(_ name: String, text: String) { add(name, bytes: Array(text.utf8)) }

    /// Writes everything, or nothing.
    public func commit() throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDir) {
            guard isDir.boolValue else { throw SettingError("output path '\(directory)' exists and is not a folder") }
        } else {
            do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw SettingError("cannot create output folder '\(directory)': \(error.localizedDescription)")
            }
        }
        let staging = (directory as NSString).appendingPathComponent(".staging-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))")
        do { try fm.createDirectory(atPath: staging, withIntermediateDirectories: false) } catch {
            throw SettingError("cannot write into output folder '\(directory)': \(error.localizedDescription)")
        }
        defer { try? fm.removeItem(atPath: staging) }
        for f in files {
            let path = (staging as NSString).appendingPathComponent(f.name)
            guard fm.createFile(atPath: path, contents: Foundation.Data(f.bytes)) else {
                throw SettingError("cannot write '\(f.name)' in '\(directory)'")
            }
        }
        for f in files {
            let from = (staging as NSString).appendingPathComponent(f.name)
            let to = (directory as NSString).appendingPathComponent(f.name)
            guard rename(from, to) == 0 else { throw SettingError("cannot move '\(f.name)' into '\(directory)' (errno \(errno))") }
        }
    }
}
