import Testing
import LinearAlgebra
import Compute
@testable import CUDADriver

/// The kernels and products on a real device, against the CPU loops they mirror (`CPUReference`):
/// element-wise results bit for bit, products to rounding. Skipped, with the reason, without a device.
@Suite(.serialized, .enabled(if: CUDARuntime.probe().isAvailable,
                             Comment(rawValue: CUDARuntime.probe().unavailableReason ?? "")))
struct DeviceTests {
    static func bits<T: BinaryFloatingPoint>(_ values: [T]) -> [UInt64] {
        values.map { v in
            if let f = v as? Float { return UInt64(f.bitPattern) }
            return (v as! Double).bitPattern
        }
    }

    @Test("buffers round-trip, zero, and copy on the device")
    func buffers() throws {
        let device = try CUDADevice()
        let a = try device.makeBuffer([1.5, -2, 3, 4] as [Float])
        #expect(try a.toArray() == [1.5, -2, 3, 4])
        try a.copy(from: [9, 8], at: 2)
        #expect(try a.toArray() == [1.5, -2, 9, 8])
        let b = try device.makeBuffer(count: 4, of: Float.self)
        try b.copy(from: a)
        #expect(try b.toArray() == [1.5, -2, 9, 8])
        try a.zero()
        #expect(try a.toArray() == [0, 0, 0, 0])
        #expect(throws: CUDAError.self) { try a.copy(from: [1, 2, 3], at: 2) }
        #expect(try device.makeBuffer(count: 0, of: Double.self).toArray().isEmpty)
    }

    @Test("Philox4x32-10 on the device gives Random123's known answers and the CPU's words")
    func philox() throws {
        let device = try CUDADevice()
        let kernels = try device.loadKernels()
        let out = try device.makeBuffer(count: 4 * 3, of: UInt32.self)
        try kernels.philox(into: out.pointer, blocks: 1, firstBlock: 0, counter: (0, 0, 0), key: (0, 0))
        try kernels.philox(into: out.pointer(at: 4), blocks: 1, firstBlock: 0xFFFF_FFFF,
                           counter: (0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF), key: (0xFFFF_FFFF, 0xFFFF_FFFF))
        try kernels.philox(into: out.pointer(at: 8), blocks: 1, firstBlock: 0x243F_6A88,
                           counter: (0x85A3_08D3, 0x1319_8A2E, 0x0370_7344), key: (0xA409_3822, 0x299F_31D0))
        #expect(try out.toArray() == [0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8,
                                      0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD,
                                      0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1])
        // Many blocks, across the 2³² wrap of the block counter.
        let blocks = 1_000, first: UInt32 = 0xFFFF_FF00, key: (UInt32, UInt32) = (12_345, 678)
        let many = try device.makeBuffer(count: 4 * blocks, of: UInt32.self)
        try kernels.philox(into: many.pointer, blocks: blocks, firstBlock: first, counter: (17, 5, 9), key: key)
        let expected = (0..<blocks).flatMap { CPUReference.philox(counter: (first &+ UInt32($0), 17, 5, 9), key: key) }
        #expect(try many.toArray() == expected)
    }

    @Test("SiLU layers match the CPU bit for bit", arguments: [CUDAPrecision.float, .double])
    func silu(precision: CUDAPrecision) throws {
        if precision == .float { try siluCase(Float.self) } else { try siluCase(Double.self) }
    }

    func siluCase<T: CUDAScalar & BLASScalar>(_: T.Type) throws {
        let device = try CUDADevice()
        let kernels = try device.loadKernels()
        let (rows, width) = (37, 19)
        let pre: [T] = (0..<(rows * width)).map { T(($0 * 7919) % 2001 - 1000) * T(0.0917) }
        let bias: [T] = (0..<width).map { T($0) * T(0.3) - 3 }
        let previous: [T] = (0..<(rows * width)).map { T($0 % 13) * T(0.25) }
        var h = pre, d = pre, next = pre, dr = pre
        for i in 0..<(rows * width) {
            let s = CPUReference.silu(pre[i] + bias[i % width])
            (h[i], d[i]) = (s.value, s.derivative)
            (next[i], dr[i]) = (previous[i] + s.value, s.derivative)
        }
        let bh = try device.makeBuffer(pre), bb = try device.makeBuffer(bias), bd = try device.makeBuffer(count: rows * width, of: T.self)
        try kernels.siluFirst(bh.pointer, bias: bb.pointer, derivative: bd.pointer, rows: rows, width: width)
        #expect(Self.bits(try bh.toArray()) == Self.bits(h))
        #expect(Self.bits(try bd.toArray()) == Self.bits(d))

        let bpre = try device.makeBuffer(pre), bprev = try device.makeBuffer(previous), bnext = try device.makeBuffer(count: rows * width, of: T.self)
        try kernels.siluResidual(pre: bpre.pointer, bias: bb.pointer, previous: bprev.pointer, next: bnext.pointer, derivative: bd.pointer,
                                 rows: rows, width: width)
        #expect(Self.bits(try bnext.toArray()) == Self.bits(next))
        #expect(Self.bits(try bd.toArray()) == Self.bits(dr))
    }

    @Test("bias, product, column sums, DDPM step and Adam match the CPU bit for bit")
    func elementwise() throws {
        let device = try CUDADevice()
        let kernels = try device.loadKernels()
        let (rows, width) = (300, 7)
        let m: [Double] = (0..<(rows * width)).map { Double(($0 * 31) % 97) / 7 - 6 }
        let bias: [Double] = (0..<width).map { Double($0) / 3 }
        let bm = try device.makeBuffer(m), bb = try device.makeBuffer(bias)

        try kernels.addBias(bm.pointer, bias: bb.pointer, rows: rows, width: width)
        #expect(try bm.toArray() == m.indices.map { m[$0] + bias[$0 % width] })

        let prod = try device.makeBuffer(count: m.count, of: Double.self), bm0 = try device.makeBuffer(m)
        try kernels.multiply(bm0.pointer, bm0.pointer, into: prod.pointer, count: m.count)
        #expect(try prod.toArray() == m.map { $0 * $0 })

        var sums = bias
        for r in 0..<rows { for j in 0..<width { sums[j] += m[r * width + j] } }
        try kernels.columnSums(bm0.pointer, rows: rows, width: width, into: bb.pointer, accumulate: true)
        #expect(try bb.toArray() == sums)
        var fresh = [Double](repeating: 0, count: width)
        for r in 0..<rows { for j in 0..<width { fresh[j] += m[r * width + j] } }
        try kernels.columnSums(bm0.pointer, rows: rows, width: width, into: bb.pointer, accumulate: false)
        #expect(try bb.toArray() == fresh)

        let n = m.count
        let x: [Double] = (0..<n).map { Double($0 % 11) - 5 }, z: [Double] = (0..<n).map { Double($0 % 5) / 3 }
        let (c1, c2, sd) = (0.3, 0.9, 0.1)
        let bx = try device.makeBuffer(x), bz = try device.makeBuffer(z)
        try kernels.ddpmStep(x: bx.pointer, denoised: bm0.pointer, noise: bz.pointer, count: n, c1: c1, c2: c2, sd: sd)
        #expect(try bx.toArray() == (0..<n).map { c1 * m[$0] + c2 * x[$0] + sd * z[$0] })
        try bx.copy(from: x)
        try kernels.ddpmStep(x: bx.pointer, denoised: bm0.pointer, noise: nil, count: n, c1: c1, c2: c2, sd: sd)
        #expect(try bx.toArray() == (0..<n).map { c1 * m[$0] + c2 * x[$0] })

        var p: [Float] = (0..<n).map { Float($0 % 17) / 9 - 1 }, g: [Float] = (0..<n).map { Float($0 % 23) / 5 - 2 }
        var m1 = [Float](repeating: 0.01, count: n), v1 = [Float](repeating: 0.02, count: n)
        let bp = try device.makeBuffer(p), bg = try device.makeBuffer(g), bm1 = try device.makeBuffer(m1), bv1 = try device.makeBuffer(v1)
        let (step, sq, ac1, b2, ac2, eps): (Float, Float, Float, Float, Float, Float) = (0.01, 0.1, 0.1, 0.99, 0.01, 1e-8)
        for _ in 0..<3 {
            try kernels.adamUpdate(parameters: bp.pointer, gradient: bg.pointer, firstMoment: bm1.pointer, secondMoment: bv1.pointer,
                                   count: n, stepSize: step, sqrtCorrection2: sq, c1: ac1, beta2: b2, c2: ac2, epsilon: eps)
            CPUReference.adam(p: &p, g: g, m: &m1, v: &v1, step: step, sqrtC2: sq, c1: ac1, b2: b2, c2: ac2, eps: eps)
            g = g.map { $0 * 0.5 }
            try bg.copy(from: g)
        }
        #expect(try bp.toArray() == p)
        #expect(try bm1.toArray() == m1)
        #expect(try bv1.toArray() == v1)

        // The parameters' moving average (--ema-decay): decay·a + (1 − decay)·p, no FMA, as the CPU loop.
        var average: [Float] = (0..<n).map { Float($0 % 13) / 7 - 0.5 }
        let ba = try device.makeBuffer(average)
        let (decay, weight): (Float, Float) = (0.999, Float(1 - 0.999))
        try kernels.exponentialAverage(ba.pointer, toward: bp.pointer, count: n, decay: decay, weight: weight)
        average.withUnsafeMutableBufferPointer { a in p.withUnsafeBufferPointer { q in
            Kernels.exponentialAverage(a.baseAddress!, toward: q.baseAddress!, count: n, decay: decay, weight: weight)
        } }
        #expect(try ba.toArray() == average)
    }

    @Test("cuBLAS gemm follows the CPU's row-major convention", arguments: [(false, false), (false, true), (true, false), (true, true)])
    func gemm(transA: Bool, transB: Bool) throws {
        let device = try CUDADevice()
        let blas = try CUBLASHandle(device: device)
        let (m, n, k) = (5, 3, 4)
        let lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + 2, ldc = n + 1
        let a = (0..<((transA ? k : m) * lda)).map { Double(($0 * 7) % 11) - 5 }
        let b = (0..<((transB ? n : k) * ldb)).map { Double(($0 * 5) % 13) - 6 }
        let c0 = (0..<(m * ldc)).map { Double($0 % 3) }
        var expected = c0
        RowMajorGemmTests.rowMajorGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 2, a: a, lda: lda, b: b, ldb: ldb,
                                       beta: 0.5, c: &expected, ldc: ldc)
        let (ba, bb, bc) = (try device.makeBuffer(a), try device.makeBuffer(b), try device.makeBuffer(c0))
        try blas.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 2.0, a: ba.pointer, lda: lda, b: bb.pointer, ldb: ldb,
                      beta: 0.5, c: bc.pointer, ldc: ldc)
        // Small integers: every product and sum is exact in Double, so the result is too.
        #expect(try bc.toArray() == expected)

        let (fa, fb, fc) = (try device.makeBuffer(a.map(Float.init)), try device.makeBuffer(b.map(Float.init)),
                            try device.makeBuffer(c0.map(Float.init)))
        try blas.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: Float(2), a: fa.pointer, lda: lda, b: fb.pointer, ldb: ldb,
                      beta: 0.5, c: fc.pointer, ldc: ldc)
        #expect(try fc.toArray() == expected.map(Float.init))
    }
}
