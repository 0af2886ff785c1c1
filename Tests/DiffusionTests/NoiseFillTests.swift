import Diffusion
import LinearAlgebra
import Randomness
import Testing
import TestSupport

/// The parallel noise fill gives the same numbers as the serial stream, row by row, whatever the thread
/// count or the shard offset (bit-identical: == on the element arrays).
@Suite struct NoiseFillTests {
    static let key = StreamKey(seed: 99, purpose: .stepNoise, major: 2, minor: 17)

    @Test("every thread count gives the serial stream's numbers", arguments: [1, 2, 3, 4, 7, 16])
    func threadCountIrrelevant(threads: Int) {
        let rows = 203, columns = 11                 // rows not divisible by any chunk count, odd columns
        let serial = RandomStream(Self.key).normalMatrix(rows: rows, columns: columns)
        let filled = NoiseFill.normals(rows: rows, columns: columns, key: Self.key, threads: threads)
        #expect(filled.elements == serial)
    }

    @Test("a shard starting at firstRow equals the matching rows of the whole batch", arguments: [1, 4])
    func shards(threads: Int) {
        let whole = NoiseFill.normals(rows: 96, columns: 6, key: Self.key, threads: threads)
        let first = NoiseFill.normals(rows: 40, columns: 6, key: Self.key, firstRow: 0, threads: threads)
        let second = NoiseFill.normals(rows: 56, columns: 6, key: Self.key, firstRow: 40, threads: 3)
        #expect(whole.rows(0..<40) == first)
        #expect(whole.rows(40..<96) == second)
    }

    @Test("fill overwrites the whole matrix in place")
    func fillInPlace() {
        var m = Matrix<Double>(rows: 30, columns: 4, repeating: .nan)
        NoiseFill.fill(&m, key: Self.key, firstRow: 5, threads: 2)
        #expect(m.elements == RandomStream(Self.key).normalMatrix(rows: 30, columns: 4, firstRow: 5))
    }
}
