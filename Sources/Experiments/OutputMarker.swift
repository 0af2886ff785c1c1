import Foundation

/// The file that marks a folder as a `ggd` output, so a later run of the same command may replace the
/// folder whole while any other folder (a user's thesis, a folder of another command) is refused.
/// One line: `ggd-output command=NAME tool=VERSION`.
public enum OutputMarker {
    public static let fileName = ".ggd-output"

    public static func text(command: String) -> String { "ggd-output command=\(command) tool=\(ToolVersion.string)\n" }

    /// The command whose output `folder` is, or nil when it carries no marker.
    public static func command(of folder: String) -> String? {
        guard let data = FileManager.default.contents(atPath: FilePaths.join(folder, fileName)), data.count < 4096 else { return nil }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first ?? ""
        let fields = line.split(separator: " ")
        guard fields.first == "ggd-output", let c = fields.first(where: { $0.hasPrefix("command=") }) else { return nil }
        return String(c.dropFirst("command=".count))
    }
}
