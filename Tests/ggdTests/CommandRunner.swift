import Foundation
import Testing

/// Runs the built `ggd` executable (it sits beside the test bundle in the build folder), optionally
/// under a wall-clock limit and an address-space limit, and tells a clean exit from a trap or a kill.
struct CommandRunner {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        /// True when the process ended by a signal (a trap, SIGILL/SIGTRAP/SIGSEGV/SIGABRT, or our kill).
        var signaled: Bool = false
        /// True when the wall-clock limit ran out and the process was killed.
        var timedOut: Bool = false
        var seconds: Double = 0
    }

    /// The `ggd` under test: the one built beside the test bundle, or `GGD_EXECUTABLE` (to run these tests
    /// against another build, e.g. an earlier commit's, and see which findings it still has).
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["GGD_EXECUTABLE"] { return URL(fileURLWithPath: path) }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("ggd")
    }

    /// Runs `ggd arguments…`. `timeout` kills it after that many seconds; `addressSpaceBytes` caps its virtual
    /// memory (through `prlimit`, inherited by ggd's own re-execution), so an allocation beyond the memory
    /// policy fails in the child instead of swapping the machine.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double? = nil,
                    addressSpaceBytes: Int? = nil, workingDirectory: URL? = nil) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        return try runClean(arguments, environment: env, timeout: timeout, addressSpaceBytes: addressSpaceBytes, workingDirectory: workingDirectory)
    }

    /// As `run`, with exactly `environment` (nothing inherited), for tests of variables being unset.
    static func runClean(_ arguments: [String], environment: [String: String], timeout: Double? = nil,
                         addressSpaceBytes: Int? = nil, workingDirectory: URL? = nil) throws -> Result {
        let path = executable.path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "ggd not built at \(path); run `swift build --build-tests` first"])
        }
        let process = Process()
        if let addressSpaceBytes {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
            process.arguments = ["--as=\(addressSpaceBytes)", "--", path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let started = Date()
        try process.run()
        // The watchdog holds only the pid and a flag, not the Process and its pipes, so a finished run's
        // descriptors close at once (a timer holding the Process kept them open until the deadline).
        let watch = Watchdog(pid: process.processIdentifier)
        if let timeout { DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { watch.fire() } }
        // Read both pipes concurrently so a chatty child cannot block on a full pipe.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        process.waitUntilExit()
        watch.finish()
        let seconds = Date().timeIntervalSince(started)
        let signaled = process.terminationReason == .uncaughtSignal
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), signaled: signaled,
                      timedOut: signaled && process.terminationStatus == SIGKILL && timeout.map { seconds >= $0 } == true, seconds: seconds)
    }

    /// Kills a pid at the deadline unless the run finished first (checked under a lock, so a reused pid is safe).
    final class Watchdog: @unchecked Sendable {
        private let pid: Int32
        private var finished = false
        private let lock = NSLock()
        init(pid: Int32) { self.pid = pid }
        func fire() { lock.lock(); if !finished { kill(pid, SIGKILL) }; lock.unlock() }
        func finish() { lock.lock(); finished = true; lock.unlock() }
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ggd-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The error lines of a run: ArgumentParser's `Error: …` for usage errors, `ggd CMD: error: …` for the rest.
    static func errorLines(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") || ($0.hasPrefix("ggd") && $0.contains(": error: ")) }
    }

    /// The exit statuses `ggd --help` documents; anything else (or a signal) is a crash.
    static let documentedStatuses: Set<Int32> = [0, 1, 64, 65, 66, 69, 70, 73]
}
