import Compute
import LinearAlgebra
import Randomness

/// Standard-normal matrices read off a stream key, with row i of the batch drawn from stream row
/// `firstRow + i`: the same numbers for a sample whatever the batch split, shard or thread count
/// (`HostNoiseFill`, which every host backend's noise fill uses too).
public enum NoiseFill {
    /// A rows×columns matrix of normals; rows are filled in parallel chunks when `threads` > 1.
    public static func normals(rows: Int, columns: Int, key: StreamKey, firstRow: Int = 0, threads: Int = 1) -> Matrix<Double> {
        var m = Matrix<Double>(rows: rows, columns: columns)
        fill(&m, key: key, firstRow: firstRow, threads: threads)
        return m
    }

    public static func fill(_ m: inout Matrix<Double>, key: StreamKey, firstRow: Int = 0, threads: Int = 1) {
        let (rows, columns) = (m.rows, m.columns)
        guard rows > 0, columns > 0 else { return }
        m.elements.withUnsafeMutableBufferPointer { buf in
            HostNoiseFill.fill(buf.baseAddress!, rows: rows, columns: columns, key: key, firstRow: firstRow, threads: threads)
        }
    }
}
