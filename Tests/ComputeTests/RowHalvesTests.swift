@testable import Compute
import LinearAlgebra
import Testing

/// The host backend runs large element-wise passes (≥ 2¹⁷ elements) on two threads, half the rows each.
/// Each element sees the same operations, so the result equals the single pass over the whole buffer bit
/// for bit: checked against `Kernels` called directly, for the network's widths at B = 256 and 1027 (odd,
/// so the halves differ in size), Float and Double.
@Suite struct RowHalvesTests {
    static func values<S: BLASScalar>(_ n: Int, seed: Int) -> [S] {
        (0..<n).map { i in S(Double(((i &* 2_654_435_761 &+ seed) % 2001) - 1000) / 250) }
    }

    func check<S: BLASScalar>(_: S.Type, rows: Int, width: Int) throws {
        let k = HostKernels<S>(.openBLAS)
        let n = rows * width
        let pre: [S] = Self.values(n, seed: 1), previous: [S] = Self.values(n, seed: 2), bias: [S] = Self.values(width, seed: 3)
        let (p, q, b) = (try k.array(pre), try k.array(previous), try k.array(bias))
        let (next, d, next2, d2) = (k.allocate(S.self, count: n), k.allocate(S.self, count: n), k.allocate(S.self, count: n), k.allocate(S.self, count: n))
        k.siluResidual(pre: p.pointer, bias: b.pointer, previous: q.pointer, next: next.pointer, derivative: d.pointer, rows: rows, width: width)
        Kernels.siluResidual(pre: p.pointer.host, bias: b.pointer.host, previous: q.pointer.host, next: next2.pointer.host,
                             derivative: d2.pointer.host, rows: rows, width: width)
        #expect(try k.values(next.pointer, count: n) == (try k.values(next2.pointer, count: n)))
        #expect(try k.values(d.pointer, count: n) == (try k.values(d2.pointer, count: n)))

        let h = try k.array(pre), h2 = try k.array(pre)
        k.siluFirst(h.pointer, bias: b.pointer, derivative: d.pointer, rows: rows, width: width)
        Kernels.siluFirst(h2.pointer.host, bias: b.pointer.host, derivative: d2.pointer.host, rows: rows, width: width)
        #expect(try k.values(h.pointer, count: n) == (try k.values(h2.pointer, count: n)))
        #expect(try k.values(d.pointer, count: n) == (try k.values(d2.pointer, count: n)))

        k.multiply(p.pointer, q.pointer, into: next.pointer, count: n)
        #expect(try k.values(next.pointer, count: n) == zip(pre, previous).map { $0 * $1 })
    }

    @Test("split passes equal the single pass bit for bit", arguments: [256, 1027])
    func splitEqualsWhole(rows: Int) throws {
        try check(Float.self, rows: rows, width: 512)
        try check(Double.self, rows: rows, width: 512)
    }
}
