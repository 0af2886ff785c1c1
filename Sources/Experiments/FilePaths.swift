import Foundation

/// Path arithmetic on plain strings. Foundation's `NSString` path methods trap on Linux for
/// one-character paths (`("z" as NSString).deletingLastPathComponent`), so every output and input path
/// of the tool goes through these instead.
public enum FilePaths {
    /// The folder that holds `path` ("." for a bare name, "/" for a top-level entry). Trailing slashes
    /// are ignored: the parent of "runs/a/" is "runs".
    public static func parent(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        let head = trimmingTrailingSlashes(String(trimmed[..<slash]))
        return head.isEmpty ? "/" : head
    }

    /// The last component of `path` ("report" for "Reports/report/"); "/" for the root.
    public static func lastComponent(_ path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `folder/name`, without doubling a slash.
    public static func join(_ folder: String, _ name: String) -> String {
        if folder.isEmpty || folder == "." { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// The path's extension in lower case ("npz" for "a/b.NPZ"), or "" when there is none.
    public static func pathExtension(_ path: String) -> String {
        let name = lastComponent(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...]).lowercased()
    }

    /// Whether something exists at `path`, and whether it is a folder (symbolic links followed).
    public static func kind(of path: String) -> Kind {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .absent }
        return isDirectory.boolValue ? .folder : .file
    }

    public enum Kind: Sendable, Equatable { case absent, file, folder }

    static func trimmingTrailingSlashes(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }
}
