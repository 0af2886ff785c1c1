import Foundation

/// Where `ggd train` (and `ggd reproduce`, which trains when needed) may write a checkpoint.
public enum CheckpointDestination {
    /// The path must name a file (not a folder); its folder is created if it does not exist.
    public static func prepare(_ path: String) throws {
        if FilePaths.kind(of: path) == .folder { throw OutputError("checkpoint '\(path)' is a folder; name a .npz file") }
        let folder = FilePaths.parent(of: path)
        switch FilePaths.kind(of: folder) {
        case .file: throw OutputError("cannot write checkpoint '\(path)': '\(folder)' is a file, not a folder")
        case .folder: break
        case .absent:
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw OutputError("cannot create the folder '\(folder)' for checkpoint '\(path)': \((error as NSError).localizedDescription)")
            }
        }
    }
}
