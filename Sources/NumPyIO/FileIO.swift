#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic whole-file writes, with errors that name the path and
/// the operating system's reason.
enum FileIO {
    /// Reads the whole regular file at `path`, refusing (before reading anything) a file of more than
    /// `maxBytes` bytes.
    static func readAll(path: String, maxBytes: Int = .max, limitName: String = "") throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("cannot open for reading", path: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ioError("cannot stat", path: path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            // Refuse directories, devices and pipes (reading /dev/zero would never end).
            throw NumPyIOError(.io, "not a regular file", path: path)
        }
        let size = Int(info.st_size)
        guard size <= maxBytes else {
            throw NumPyIOError(.limitExceeded, "file is \(describeBytes(size)), over the limit of \(describeBytes(maxBytes))\(limitName)", path: path)
        }
        var result = [UInt8]()
        result.reserveCapacity(size)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError("cannot read", path: path)
            }
            if n == 0 { break }
            guard n <= maxBytes - result.count else {  // the file grew while being read
                throw NumPyIOError(.limitExceeded, "file grew past the limit of \(describeBytes(maxBytes))\(limitName) while being read", path: path)
            }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// Writes `bytes` to `path` atomically: a uniquely named temporary file in the same
    /// directory is written, flushed to disk and renamed over `path`. On any failure the
    /// temporary file is removed and `path` is left as it was.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        guard !path.isEmpty else { throw NumPyIOError(.io, "empty file path") }
        let (directory, name) = split(path)
        guard !name.isEmpty, name != ".", name != ".." else {
            throw NumPyIOError(.io, "path names a directory, not a file", path: path)
        }
        var fd: Int32 = -1
        var temporary = ""
        for _ in 0..<16 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            temporary = directory + "." + name + ".tmp-" + suffix
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw ioError("cannot create a temporary file in the destination directory", path: path) }

        var failure: NumPyIOError?
        var written = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let n = write(fd, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = ioError("cannot write", path: path)
                    return
                }
                written += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = ioError("cannot flush to disk", path: path) }
        if close(fd) != 0, failure == nil { failure = ioError("cannot close", path: path) }
        if failure == nil, rename(temporary, path) != 0 { failure = ioError("cannot rename the temporary file into place", path: path) }
        if let failure {
            unlink(temporary)
            throw failure
        }
        // Best effort: make the rename itself durable.
        let dirfd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            close(dirfd)
        }
    }

    /// Splits a path into its directory (with trailing "/", or "" for the current
    /// directory) and last component.
    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    private static func ioError(_ what: String, path: String) -> NumPyIOError {
        let code = errno
        return NumPyIOError(.io, "\(what): \(String(cString: strerror(code)))", path: path)
    }
}
