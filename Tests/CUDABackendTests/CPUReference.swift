/// The CPU loops the kernels mirror, copied from the main package (ScoreNetwork's `Kernels`, CKernels'
/// Adam, Randomness' `Philox4x32.block`) so that this test target stands alone. The device results are
/// compared with these bit for bit.
enum CPUReference {
    static func exp(_ x0: Float) -> Float {
        let x = Swift.min(Swift.max(x0, -87), 88)
        let shifter: Float = 12_582_912
        let t = x * 1.442_695_040_888_963_4 + shifter
        let n = t - shifter
        let r = (x - n * 0.693_359_375) - n * -2.121_944_400_546_905_8e-4
        let z = r * r
        var y: Float = 1.987_569_150_0e-4
        y = y * r + 1.398_199_950_7e-3
        y = y * r + 8.333_451_907_3e-3
        y = y * r + 4.166_579_589_4e-2
        y = y * r + 1.666_666_545_9e-1
        y = y * r + 5.000_000_120_1e-1
        y = y * z + r + 1
        return y * Float(bitPattern: (t.bitPattern &- shifter.bitPattern &+ 127) &<< 23)
    }

    static func exp(_ x0: Double) -> Double {
        let x = Swift.min(Swift.max(x0, -708), 709)
        let shifter: Double = 6_755_399_441_055_744
        let t = x * 1.442_695_040_888_963_4 + shifter
        let n = t - shifter
        let r = (x - n * 6.931_471_803_691_238_2e-1) - n * 1.908_214_929_270_587_7e-10
        var y: Double = 1.0 / 6_227_020_800
        let divisors: [Double] = [479_001_600, 39_916_800, 3_628_800, 362_880, 40_320, 5_040, 720, 120, 24, 6]
        for d in divisors { y = y * r + 1 / d }
        y = y * r + 0.5
        y = y * r + 1
        y = y * r + 1
        return y * Double(bitPattern: (t.bitPattern &- shifter.bitPattern &+ 1023) &<< 52)
    }

    /// (SiLU(p), SiLU′(p)) as `Kernels.siluFirstBody`.
    static func silu<T: CUDAScalarReference>(_ p: T) -> (value: T, derivative: T) {
        let s = 1 / (1 + T.referenceExp(-p))
        return (p * s, s * (1 + p * (1 - s)))
    }

    /// One Adam step as `ggd_adam_update_f32/f64`.
    static func adam<T: CUDAScalarReference>(p: inout [T], g: [T], m: inout [T], v: inout [T], step: T, sqrtC2: T, c1: T, b2: T, c2: T, eps: T) {
        for i in p.indices {
            let gi = g[i]
            let mi = m[i] + c1 * (gi - m[i])
            let vi = b2 * v[i] + c2 * gi * gi
            m[i] = mi
            v[i] = vi
            p[i] -= step * mi / (vi.squareRoot() / sqrtC2 + eps)
        }
    }

    static func philox(counter: (UInt32, UInt32, UInt32, UInt32), key: (UInt32, UInt32)) -> [UInt32] {
        var (c0, c1, c2, c3) = counter
        var (k0, k1) = key
        for round in 0..<10 {
            if round > 0 { k0 &+= 0x9E37_79B9; k1 &+= 0xBB67_AE85 }
            let p0 = UInt64(0xD251_1F53) &* UInt64(c0), p1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            (c0, c1, c2, c3) = (UInt32(truncatingIfNeeded: p1 >> 32) ^ c1 ^ k0, UInt32(truncatingIfNeeded: p1),
                                UInt32(truncatingIfNeeded: p0 >> 32) ^ c3 ^ k1, UInt32(truncatingIfNeeded: p0))
        }
        return [c0, c1, c2, c3]
    }
}

/// Float and Double with the reference exponential.
protocol CUDAScalarReference: BinaryFloatingPoint {
    static func referenceExp(_ x: Self) -> Self
}
extension Float: CUDAScalarReference { static func referenceExp(_ x: Float) -> Float { CPUReference.exp(x) } }
extension Double: CUDAScalarReference { static func referenceExp(_ x: Double) -> Double { CPUReference.exp(x) } }
