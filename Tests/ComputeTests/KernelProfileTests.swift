import Compute
import LinearAlgebra
import Testing

/// `KernelProfile` (`ggd bench --profile`): inside `measure` each host kernel call is counted in its
/// category and its time is part of the wall time; outside it nothing is counted (profiling is off in
/// every normal run).
@Suite struct KernelProfileTests {
    @Test("kernel calls are counted in their categories, only while measuring")
    func counts() throws {
        let k = HostKernels<Float>(.openBLAS)
        let (B, W) = (64, 32)
        let a = k.allocate(Float.self, count: B * W), w = k.allocate(Float.self, count: W * W), c = k.allocate(Float.self, count: B * W)
        let bias = k.allocate(Float.self, count: W), d = k.allocate(Float.self, count: B * W)
        func pass() {
            k.gemm(transA: false, transB: true, m: B, n: W, k: W, alpha: 1, a: a.pointer, lda: W, b: w.pointer, ldb: W, beta: 0, c: c.pointer, ldc: W)
            k.siluFirst(c.pointer, bias: bias.pointer, derivative: d.pointer, rows: B, width: W)
            k.multiply(c.pointer, d.pointer, into: a.pointer, count: B * W)
        }
        pass()                                                       // off: nothing recorded
        let (_, wall, entries) = KernelProfile.measure { pass(); pass() }
        #expect(entries[.gemm]?.calls == 2)
        #expect(entries[.activation]?.calls == 2)
        #expect(entries[.elementwise]?.calls == 2)
        #expect(entries[.noise]?.calls == 0)
        let accounted = entries.values.reduce(0) { $0 + $1.seconds }
        #expect(accounted <= wall && wall > 0)
        let (_, _, again) = KernelProfile.measure { }
        #expect(again.values.allSatisfy { $0.calls == 0 })
    }

}
