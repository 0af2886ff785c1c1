import Foundation

/// Failures found earlier, kept as replay tokens (one file per property, one token per line) and
/// replayed first on every run, as Hypothesis keeps its example database.
public struct RegressionStore: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    func path(for property: String) -> String { (directory as NSString).appendingPathComponent("\(property).tokens") }

    /// The stored tokens for a property (unreadable or malformed lines are skipped).
    public func tokens(for property: String) -> [ReplayToken] {
        guard let text = try? String(contentsOfFile: path(for: property), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty, !t.hasPrefix("#") else { return nil }
            return try? ReplayToken(parsing: t)
        }.filter { $0.property == property }
    }

    /// Adds a token unless present; the file is rewritten atomically (temporary file, then rename), its
    /// other lines (tokens and the comments that say where each came from) kept as they were.
    public func add(_ token: ReplayToken) throws {
        guard !tokens(for: token.property).map(\.description).contains(token.description) else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let target = path(for: token.property)
        let temporary = target + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        var text = (try? String(contentsOfFile: target, encoding: .utf8))
            ?? "# Failures found for property \(token.property); replayed first on every run (ggd check --replay TOKEN).\n"
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        text += token.description + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, target) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw PropertyError.badResults("cannot write \(target)")
        }
    }
}
