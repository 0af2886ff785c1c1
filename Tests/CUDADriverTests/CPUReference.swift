
import LinearAlgebra
import Randomness
@testable import ScoreNetwork
@testable import Compute

/// The CPU code the kernels mirror, taken from the package itself (ScoreNetwork's `Kernels` and
/// `HostKernels`, Randomness' `Philox4x32.block`), so the device is held against what the CPU runs and
/// a change on either side shows. The device results are compared with these bit for bit.
enum CPUReference {
    /// (SiLU(p), SiLU′(p)) as `Kernels.siluFirstBody`.
    static func silu<T: BLASScalar>(_ p: T) -> (value: T, derivative: T) {
        let s = Kernels.sigmoid(p)
        return (p * s, s * (1 + p * (1 - s)))
    }

    /// One Adam step through the host backend (the C kernel `ggd_adam_update_f32/f64`).
    static func adam<T: BLASScalar>(p: inout [T], g: [T], m: inout [T], v: inout [T], step: T, sqrtC2: T, c1: T, b2: T, c2: T, eps: T) {
        p.withUnsafeMutableBufferPointer { pp in g.withUnsafeBufferPointer { gp in
            m.withUnsafeMutableBufferPointer { mp in v.withUnsafeMutableBufferPointer { vp in
                HostKernels<T>(.openBLAS).adamUpdate(parameters: BackendPointer(pp.baseAddress!), gradient: BackendPointer(gp.baseAddress!),
                                                     firstMoment: BackendPointer(mp.baseAddress!), secondMoment: BackendPointer(vp.baseAddress!),
                                                     count: pp.count, stepSize: step, sqrtCorrection2: sqrtC2, c1: c1, beta2: b2, c2: c2, epsilon: eps)
            } }
        } }
    }

    static func philox(counter: (UInt32, UInt32, UInt32, UInt32), key: (UInt32, UInt32)) -> [UInt32] {
        let (a, b, c, d) = Philox4x32.block(counter: counter, key: key)
        return [a, b, c, d]
    }
}
