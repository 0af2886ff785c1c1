import Foundation

/// Progress on stderr for long work: steps done, a metric, and the time left. Silent with `--quiet` and
/// for work that finishes within a second.
final class ProgressReporter {
    private let label: String
    private let total: Int
    private let quiet: Bool
    private let start = Date()
    private var lastPrint = Date.distantPast
    private var printed = false

    init(_ label: String, total: Int, quiet: Bool) {
        self.label = label
        self.total = max(total, 1)
        self.quiet = quiet
    }

    func update(_ done: Int, _ detail: String = "") {
        guard !quiet else { return }
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        guard elapsed > 1, now.timeIntervalSince(lastPrint) > 0.2 || done == total else { return }
        lastPrint = now
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let line = String(format: "\r%@ %d/%d %@ elapsed %.1fs ETA %.1fs   ", label, done, total, detail, elapsed, eta)
        FileHandle.standardError.write(Data(line.utf8))
        printed = true
    }

    func finish() {
        guard !quiet, printed else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

/// A one-line note on stderr (suppressed by --quiet).
func note(_ message: String, quiet: Bool) {
    guard !quiet else { return }
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
