/// Why a figure or a report could not be built; each message names the offending value so that the
/// caller can fix the input without reading this module.
public enum ReportingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A figure id is used as a file stem, so it must be non-empty and use only `a-z`, `0-9` and `-`.
    case invalidFigureID(String)
    /// Two figures of one report share an id, so their SVG files would overwrite each other.
    case duplicateFigureID(String)
    /// A band's `x`, `lower` and `upper` arrays differ in length.
    case bandLengthMismatch(name: String, x: Int, lower: Int, upper: Int)
    /// A series built from separate coordinate arrays got arrays of different lengths.
    case seriesLengthMismatch(name: String, x: Int, y: Int)

    public var description: String {
        switch self {
        case .invalidFigureID(let id):
            return "invalid figure id \"\(id)\": use 1–100 characters from a-z, 0-9 and '-' (it becomes figures/<id>.svg)"
        case .duplicateFigureID(let id):
            return "duplicate figure id \"\(id)\": each figure of a report needs its own id (it becomes figures/<id>.svg)"
        case .bandLengthMismatch(let name, let x, let lower, let upper):
            return "band \"\(name)\": x, lower and upper must have equal lengths (got \(x), \(lower), \(upper))"
        case .seriesLengthMismatch(let name, let x, let y):
            return "series \"\(name)\": x and y must have equal lengths (got \(x), \(y))"
        }
    }
}
