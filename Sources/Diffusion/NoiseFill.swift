import Dispatch
import LinearAlgebra
import Randomness

/// Standard-normal matrices read off a stream key, with row i of the batch drawn from stream row
/// `firstRow + i`: the same numbers for a sample whatever the batch split, shard or thread count.
public enum NoiseFill {
    /// A rows×columns matrix of normals; rows are filled in parallel chunks when `threads` > 1.
    public static func normals(rows: Int, columns: Int, key: StreamKey, firstRow: Int = 0, threads: Int = 1) -> Matrix<Double> {
        var m = Matrix<Double>(rows: rows, columns: columns)
        fill(&m, key: key, firstRow: firstRow, threads: threads)
        return m
    }

    public static func fill(_ m: inout Matrix<Double>, key: StreamKey, firstRow: Int = 0, threads: Int = 1) {
        let stream = RandomStream(key)
        let (rows, columns) = (m.rows, m.columns)
        m.elements.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress!
            let chunks = max(1, min(threads, rows / 8))
            if chunks == 1 {
                for i in 0..<rows {
                    stream.fillNormals(UnsafeMutableBufferPointer(start: base + i * columns, count: columns), row: firstRow + i)
                }
            } else {
                nonisolated(unsafe) let shared = base
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let lo = rows * c / chunks, hi = rows * (c + 1) / chunks
                    for i in lo..<hi {
                        stream.fillNormals(UnsafeMutableBufferPointer(start: shared + i * columns, count: columns), row: firstRow + i)
                    }
                }
            }
        }
    }
}
