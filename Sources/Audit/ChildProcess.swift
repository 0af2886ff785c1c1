#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An external program run for an audit: `/bin/sh -c CMD` in its own process group, spoken to through
/// pipes, with a deadline on every exchange and a bound on what it may write. It cannot hang the audit
/// (the whole group is killed at the deadline), flood it (output past the bound is an error), or fail
/// silently (its exit status and the tail of its stderr are in the error).
final class ChildProcess {
    let command: String
    private var pid: pid_t = 0
    private var stdinFD: Int32 = -1
    private var stdoutFD: Int32 = -1
    private var stderrFD: Int32 = -1
    private var stderrTail: [UInt8] = []
    private var exited: Int32?

    init(command: String) throws {
        self.command = command
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0], errors: [Int32] = [0, 0]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0, pipe(&errors) == 0 else {
            throw AuditError(.stepCommand, "cannot create pipes for the step command: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        for fd in toChild + fromChild + errors { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { for a in argv { free(a) } }
        let status = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        close(toChild[0]); close(fromChild[1]); close(errors[1])
        guard status == 0 else {
            close(toChild[1]); close(fromChild[0]); close(errors[0])
            throw AuditError(.stepCommand, "cannot start the step command '\(command)': \(String(cString: strerror(status)))")
        }
        stdinFD = toChild[1]
        stdoutFD = fromChild[0]
        stderrFD = errors[0]
        for fd in [stdinFD, stdoutFD, stderrFD] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        signal(SIGPIPE, SIG_IGN)
    }

    deinit { kill() }

    /// Sends `request`, then reads what `complete` accepts (it returns the bytes a full reply needs, or nil
    /// while it cannot tell yet), within `timeout` seconds and at most `maximumBytes`.
    func exchange(_ request: [UInt8], timeout: Double, maximumBytes: Int, complete: ([UInt8]) throws -> Int?) throws -> [UInt8] {
        let deadline = Date().addingTimeInterval(timeout)
        var written = 0
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            if let needed = try complete(reply), reply.count >= needed {
                guard reply.count == needed else {
                    throw failure("wrote \(reply.count - needed) bytes more than one reply (one .npy array per request)")
                }
                return reply
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                kill()
                throw AuditError(.stepCommand, String(format: "the step command '%@' did not answer within %.0f s (it was stopped)%@", command, timeout, stderrNote))
            }
            var fds = [pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0), pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)]
            if written < request.count { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining, 1) * 1000))
            if ready < 0 && errno != EINTR { throw AuditError(.stepCommand, "poll failed: \(String(cString: strerror(errno)))") }
            if fds.count > 2, fds[2].revents & Int16(POLLOUT | POLLERR | POLLHUP) != 0 {
                let n = request.withUnsafeBytes { write(stdinFD, $0.baseAddress! + written, request.count - written) }
                if n > 0 { written += n } else if n < 0 && errno != EAGAIN && errno != EINTR {
                    throw failure("stopped reading its input (\(String(cString: strerror(errno))))", awaitExit: true)
                }
            }
            if fds[1].revents & Int16(POLLIN | POLLHUP) != 0 { drainStderr(&buffer) }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let n = read(stdoutFD, &buffer, buffer.count)
                if n > 0 {
                    reply += buffer[0..<n]
                    _ = try complete(reply)   // garbage is named as such before its size is
                    guard reply.count <= maximumBytes else { throw failure("wrote more than \(maximumBytes) bytes for one reply") }
                } else if n == 0 {
                    drainStderr(&buffer)
                    throw failure(reply.isEmpty ? "closed its output without a reply" : "closed its output after \(reply.count) bytes of an incomplete reply",
                                  awaitExit: true)
                }
            }
        }
    }

    /// Closes the child's input and waits (up to `timeout`) for it to exit.
    func finish(timeout: Double) {
        if stdinFD >= 0 { close(stdinFD); stdinFD = -1 }
        let deadline = Date().addingTimeInterval(timeout)
        while exited == nil && Date() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { exited = status; break }
            usleep(10_000)
        }
        kill()
    }

    /// Kills the whole process group and reaps the child.
    func kill() {
        if pid > 0 && exited == nil {
            _ = Glibc.kill(-pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            exited = status
        }
        for fd in [stdinFD, stdoutFD, stderrFD] where fd >= 0 { close(fd) }
        stdinFD = -1; stdoutFD = -1; stderrFD = -1
    }

    private func drainStderr(_ buffer: inout [UInt8]) {
        while stderrFD >= 0 {
            let n = read(stderrFD, &buffer, buffer.count)
            guard n > 0 else { return }
            stderrTail += buffer[0..<n]
            if stderrTail.count > 4096 { stderrTail.removeFirst(stderrTail.count - 4096) }
        }
    }

    private var stderrNote: String {
        let text = String(decoding: stderrTail, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return "" }
        let lines = text.split(separator: "\n").suffix(3).joined(separator: " | ")
        return "; its stderr ends: \(lines.prefix(400))"
    }

    /// An error naming the command, its exit status when it has exited, and its stderr.
    func failure(_ what: String, awaitExit: Bool = false) -> AuditError {
        var status: Int32 = 0
        var exitNote = ""
        // A child that closed its output is usually exiting: give it a second to say with what status.
        let deadline = Date().addingTimeInterval(awaitExit ? 1 : 0)
        while exited == nil && pid > 0 {
            if waitpid(pid, &status, WNOHANG) == pid { exited = status; break }
            guard Date() < deadline else { break }
            usleep(5_000)
        }
        if let s = exited {
            let code = (s >> 8) & 0xff, signalNumber = s & 0x7f
            exitNote = signalNumber != 0 ? " (it was killed by signal \(signalNumber))" : " (it exited with status \(code))"
        }
        let message = "the step command '\(command)' \(what)\(exitNote)\(stderrNote)"
        kill()
        return AuditError(.stepCommand, message)
    }
}
