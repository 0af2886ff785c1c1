import Foundation
import Experiments
import LinearAlgebra
import NumPyIO

/// What an external implementation handed in: its samples (an (n, D) array) or its trajectory from the
/// shared noise (a (T+1, N, D) array, x[t] the state xₜ), float32 or float64.
public enum AuditInput: Sendable {
    case samples(Matrix<Double>, float32: Bool)
    case trajectory([Matrix<Double>], float32: Bool)

    /// Reads `path`: a .npy array, or a .npz holding one array (or 'x' or 'samples' among several). Rank 2
    /// is samples, rank 3 a trajectory. Every shape, dtype and value is checked against the case, and an
    /// error names the file and what is wrong.
    public static func read(_ path: String, for c: AuditCase, maximumBytes: Int) throws -> AuditInput {
        try InputFiles.requireReadableFile(path)
        let array: NumPyArray
        do {
            if FilePaths.pathExtension(path) == "npz" {
                let limits = NPZLimits(maxFileBytes: maximumBytes, maxTotalBytes: maximumBytes, maxEntryBytes: maximumBytes)
                let arrays = try NPZArchive.read(contentsOf: path, limits: limits)
                if arrays.count == 1 {
                    array = arrays.first!.value
                } else if let x = arrays["x"] ?? arrays["samples"] {
                    array = x
                } else {
                    throw AuditError("\(path): holds \(arrays.count) arrays (\(arrays.keys.sorted().joined(separator: ", "))); name the samples or the trajectory 'x'")
                }
            } else {
                let bytes = try InputFiles.read(path, maximumBytes: maximumBytes)
                array = try NumPyFile.readNPY([UInt8](bytes))
            }
        } catch let e as NumPyIOError {
            if e.kind == .io { throw InputFileError(path: path, reason: e.descriptionWithoutPath) }
            throw AuditError("\(path): not a NumPy array this audit can read (\(e.descriptionWithoutPath))")
        }
        let float32: Bool
        switch array.dtype {
        case .float32: float32 = true
        case .float64: float32 = false
        default: throw AuditError("\(path): the array is \(array.dtype), expected float32 or float64")
        }
        let D = c.dimension, T = c.steps
        let values = array.doubles
        switch array.shape.count {
        case 2:
            guard array.shape[1] == D else {
                throw AuditError("\(path): samples of shape \(array.shape) have \(array.shape[1]) columns; the case has D = \(D)")
            }
            let x = Matrix(rows: array.shape[0], columns: D, elements: values)
            try SampleAudit.requireFinite(x, what: "\(path): the samples")
            return .samples(x, float32: float32)
        case 3:
            let (steps, n, columns) = (array.shape[0], array.shape[1], array.shape[2])
            guard steps == T + 1, columns == D else {
                throw AuditError("\(path): a trajectory of shape \(array.shape); the case needs (T+1, N, D) = (\(T + 1), N, \(D)), x[t] the state x_t")
            }
            guard n >= 1 else { throw AuditError("\(path): the trajectory has no rows") }
            let states = (0...T).map { t in Matrix(rows: n, columns: D, elements: Array(values[(t * n * D)..<((t + 1) * n * D)])) }
            return .trajectory(states, float32: float32)
        default:
            throw AuditError("\(path): an array of shape \(array.shape); give samples as (n, D) = (n, \(D)) or a trajectory as (T+1, N, D) = (\(T + 1), N, \(D))")
        }
    }
}
