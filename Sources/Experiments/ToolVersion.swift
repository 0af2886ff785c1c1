/// The tool's version, recorded in every output (results, checkpoints, reports).
public enum ToolVersion {
    public static let string = "0.2.0"
}
