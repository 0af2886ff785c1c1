import Foundation
import LinearAlgebra
import NumPyIO
import Guidance

/// Serialisation of results: JSON with sorted keys (byte-identical for identical runs), CSV and .npy.
public enum ResultEncoding {
    /// Pretty JSON with sorted keys and a trailing newline.
    public static func json(_ object: Any) throws -> String { JSONWriter.string(object) }

    /// A JSON number for a Double: non-finite values become null (JSON has no NaN).
    public static func number(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
    public static func number(_ x: Double?) -> Any { x.map { number($0) } ?? NSNull() }
    public static func numbers(_ xs: [Double]) -> [Any] { xs.map { number($0) } }

    /// The samples as CSV, one point per line, columns x0…x(D−1), full precision.
    public static func csv(_ m: Matrix<Double>) -> String {
        var out = (0..<m.columns).map { "x\($0)" }.joined(separator: ",") + "\n"
        for i in 0..<m.rows { out += m.row(i).map { "\($0)" }.joined(separator: ",") + "\n" }
        return out
    }

    /// The samples as a float64 .npy array of shape (n, D).
    public static func npy(_ m: Matrix<Double>) throws -> [UInt8] {
        NumPyFile.npyBytes(try NumPyArray(m.elements, shape: [m.rows, m.columns]))
    }

    /// Per-round metrics as CSV.
    public static func roundsCSV(_ records: [RoundRecord]) -> String {
        var out = "round,mean_reward,top4_reward,mean_r_off,mean_sphere_deviation,mean_signed_sphere_deviation,mean_norm,mean_target,fine_tuning_loss\n"
        func f(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
        for r in records {
            out += "\(r.round),\(r.meanReward),\(r.top4Reward),\(f(r.meanOffSupportRatio)),\(f(r.meanSphereDeviation)),\(f(r.meanSignedSphereDeviation)),\(r.meanNorm),\(f(r.meanTarget)),\(f(r.fineTuningLoss))\n"
        }
        return out
    }

    /// Per-round metrics as JSON objects.
    public static func roundsJSON(_ records: [RoundRecord]) -> [[String: Any]] {
        records.map { r in
            [
                "round": r.round, "mean_reward": number(r.meanReward), "top4_reward": number(r.top4Reward),
                "mean_r_off": number(r.meanOffSupportRatio), "mean_sphere_deviation": number(r.meanSphereDeviation),
                "mean_signed_sphere_deviation": number(r.meanSignedSphereDeviation), "mean_norm": number(r.meanNorm), "mean_target": number(r.meanTarget), "iterate_mean": numbers(r.iterateMean),
                "fine_tuning_loss": number(r.fineTuningLoss),
            ]
        }
    }
}
