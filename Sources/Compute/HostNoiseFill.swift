import Dispatch
import Randomness

/// Standard normals into host memory, row i of the block from stream row `firstRow + i` of `key`:
/// the same numbers whatever the batch split, shard or thread count (rows are filled in parallel
/// chunks when `threads` > 1). The CUDA source's `ggd_normals` draws the same rows on a device.
public enum HostNoiseFill {
    @inlinable
    public static func fill(_ base: UnsafeMutablePointer<Double>, rows: Int, columns: Int, key: StreamKey, firstRow: Int, threads: Int) {
        let stream = RandomStream(key)
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
