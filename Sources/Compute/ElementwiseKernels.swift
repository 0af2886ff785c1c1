import LinearAlgebra

/// The element-wise loops of the network, on raw row-major buffers. Everything else is BLAS.
public enum Kernels {
    /// average[i] = decay·average[i] + weight·parameters[i]: the parameters' moving average (`--ema-decay`),
    /// one loop for the CPU trainer and the host backends, so a resident run equals a CPU run bit for bit.
    @inlinable
    public static func exponentialAverage<S: BLASScalar>(_ average: UnsafeMutablePointer<S>, toward parameters: UnsafePointer<S>, count: Int,
                                                          decay: S, weight: S) {
        for i in 0..<count { average[i] = decay * average[i] + weight * parameters[i] }
    }

    /// σ(p) = 1/(1 + e^{−p}), with the branch-free exponentials below for Float and Double (so that
    /// the element-wise loops vectorise; libm's exp is a call per element), libm otherwise.
    @inlinable @inline(__always)
    static func sigmoid<S: BLASScalar>(_ p: S) -> S {
        if S.self == Float.self { return unsafeBitCast(1 / (1 + exp(-unsafeBitCast(p, to: Float.self))), to: S.self) }
        if S.self == Double.self { return unsafeBitCast(1 / (1 + exp(-unsafeBitCast(p, to: Double.self))), to: S.self) }
        return 1 / (1 + S.exp(-p))
    }

    /// e^x in Float without branches or calls: x clamped to [−87, 88] (beyond, σ is 0 or 1 to Float
    /// precision anyway), n = round(x/ln 2) by the 1.5·2²³ trick, r = x − n ln 2 in two parts
    /// (|r| ≤ ln2/2), e^r by Cephes' expf polynomial (relative error ≤ 2e-7), times 2ⁿ from the exponent bits.
    @inlinable @inline(__always)
    static func exp(_ x0: Float) -> Float {
        let x = Swift.min(Swift.max(x0, -87), 88)
        let shifter: Float = 12_582_912                       // 1.5·2²³
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
        let scale = Float(bitPattern: (t.bitPattern &- shifter.bitPattern &+ 127) &<< 23)
        return y * scale
    }

    /// e^x in Double the same way: x clamped to [−708, 709], degree-13 Taylor polynomial on
    /// |r| ≤ ln2/2 (truncation below 5e-18, so within an ulp or two of libm).
    @inlinable @inline(__always)
    static func exp(_ x0: Double) -> Double {
        let x = Swift.min(Swift.max(x0, -708), 709)
        let shifter: Double = 6_755_399_441_055_744              // 1.5·2⁵²
        let t = x * 1.442_695_040_888_963_4 + shifter
        let n = t - shifter
        let r = (x - n * 6.931_471_803_691_238_2e-1) - n * 1.908_214_929_270_587_7e-10
        var y: Double = 1.0 / 6_227_020_800                   // 1/13!
        y = y * r + 1.0 / 479_001_600
        y = y * r + 1.0 / 39_916_800
        y = y * r + 1.0 / 3_628_800
        y = y * r + 1.0 / 362_880
        y = y * r + 1.0 / 40_320
        y = y * r + 1.0 / 5_040
        y = y * r + 1.0 / 720
        y = y * r + 1.0 / 120
        y = y * r + 1.0 / 24
        y = y * r + 1.0 / 6
        y = y * r + 0.5
        y = y * r + 1
        y = y * r + 1
        let scale = Double(bitPattern: (t.bitPattern &- shifter.bitPattern &+ 1023) &<< 52)
        return y * scale
    }

    /// First hidden layer, in place: p = h + b (broadcast over rows), h ← SiLU(p) = p·σ(p),
    /// d ← SiLU′(p) = σ(p)·(1 + p·(1 − σ(p))).
    ///
    /// Float and Double go to the non-inlinable copies below, compiled (and vectorised) here once, so
    /// that the speed of the element-wise work does not depend on how a client module inlines it.
    @inlinable
    static func siluFirst<S: BLASScalar>(_ h: UnsafeMutablePointer<S>, bias: UnsafePointer<S>,
                                         derivative d: UnsafeMutablePointer<S>, rows: Int, width: Int) {
        if S.self == Float.self {
            siluFirstFloat(cast(h), bias: cast(bias), derivative: cast(d), rows: rows, width: width)
        } else if S.self == Double.self {
            siluFirstDouble(cast(h), bias: cast(bias), derivative: cast(d), rows: rows, width: width)
        } else {
            siluFirstBody(h, bias: bias, derivative: d, rows: rows, width: width)
        }
    }

    /// Residual block: p = pre + b, next = previous + SiLU(p), d ← SiLU′(p).
    @inlinable
    static func siluResidual<S: BLASScalar>(pre: UnsafePointer<S>, bias: UnsafePointer<S>, previous: UnsafePointer<S>,
                                            next: UnsafeMutablePointer<S>, derivative d: UnsafeMutablePointer<S>,
                                            rows: Int, width: Int) {
        if S.self == Float.self {
            siluResidualFloat(pre: cast(pre), bias: cast(bias), previous: cast(previous), next: cast(next), derivative: cast(d),
                              rows: rows, width: width)
        } else if S.self == Double.self {
            siluResidualDouble(pre: cast(pre), bias: cast(bias), previous: cast(previous), next: cast(next), derivative: cast(d),
                               rows: rows, width: width)
        } else {
            siluResidualBody(pre: pre, bias: bias, previous: previous, next: next, derivative: d, rows: rows, width: width)
        }
    }

    @inlinable @inline(__always)
    static func siluFirstBody<S: BLASScalar>(_ h: UnsafeMutablePointer<S>, bias: UnsafePointer<S>,
                                             derivative d: UnsafeMutablePointer<S>, rows: Int, width: Int) {
        for r in 0..<rows {
            let hr = h + r * width, dr = d + r * width
            for j in 0..<width {
                let p = hr[j] + bias[j]
                let s = sigmoid(p)
                hr[j] = p * s
                dr[j] = s * (1 + p * (1 - s))
            }
        }
    }

    @inlinable @inline(__always)
    static func siluResidualBody<S: BLASScalar>(pre: UnsafePointer<S>, bias: UnsafePointer<S>, previous: UnsafePointer<S>,
                                                next: UnsafeMutablePointer<S>, derivative d: UnsafeMutablePointer<S>,
                                                rows: Int, width: Int) {
        for r in 0..<rows {
            let o = r * width
            for j in 0..<width {
                let p = pre[o + j] + bias[j]
                let s = sigmoid(p)
                next[o + j] = previous[o + j] + p * s
                d[o + j] = s * (1 + p * (1 - s))
            }
        }
    }

    // The Float and Double copies work on explicit SIMD vectors (8 Floats, 4 Doubles) rather than rely
    // on the auto-vectoriser, which gives up on loops over five unrelated pointers.

    @usableFromInline @inline(never)
    static func siluFirstFloat(_ h: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, derivative d: UnsafeMutablePointer<Float>,
                               rows: Int, width: Int) {
        typealias V = SIMD8<Float>
        let vectorEnd = width - width % V.scalarCount
        for r in 0..<rows {
            let hr = h + r * width, dr = d + r * width
            var j = 0
            while j < vectorEnd {
                let p = load(hr + j, as: V.self) + load(bias + j, as: V.self)
                let s = 1 / (1 + exp(-p))
                store(p * s, hr + j)
                store(s * (1 + p * (1 - s)), dr + j)
                j += V.scalarCount
            }
            siluFirstBody(hr + j, bias: bias + j, derivative: dr + j, rows: 1, width: width - j)
        }
    }

    @usableFromInline @inline(never)
    static func siluFirstDouble(_ h: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, derivative d: UnsafeMutablePointer<Double>,
                                rows: Int, width: Int) {
        typealias V = SIMD4<Double>
        let vectorEnd = width - width % V.scalarCount
        for r in 0..<rows {
            let hr = h + r * width, dr = d + r * width
            var j = 0
            while j < vectorEnd {
                let p = load(hr + j, as: V.self) + load(bias + j, as: V.self)
                let s = 1 / (1 + exp(-p))
                store(p * s, hr + j)
                store(s * (1 + p * (1 - s)), dr + j)
                j += V.scalarCount
            }
            siluFirstBody(hr + j, bias: bias + j, derivative: dr + j, rows: 1, width: width - j)
        }
    }

    @usableFromInline @inline(never)
    static func siluResidualFloat(pre: UnsafePointer<Float>, bias: UnsafePointer<Float>, previous: UnsafePointer<Float>,
                                  next: UnsafeMutablePointer<Float>, derivative d: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        typealias V = SIMD8<Float>
        let vectorEnd = width - width % V.scalarCount
        for r in 0..<rows {
            let o = r * width
            var j = 0
            while j < vectorEnd {
                let p = load(pre + o + j, as: V.self) + load(bias + j, as: V.self)
                let s = 1 / (1 + exp(-p))
                store(load(previous + o + j, as: V.self) + p * s, next + o + j)
                store(s * (1 + p * (1 - s)), d + o + j)
                j += V.scalarCount
            }
            siluResidualBody(pre: pre + o + j, bias: bias + j, previous: previous + o + j, next: next + o + j, derivative: d + o + j,
                             rows: 1, width: width - j)
        }
    }

    @usableFromInline @inline(never)
    static func siluResidualDouble(pre: UnsafePointer<Double>, bias: UnsafePointer<Double>, previous: UnsafePointer<Double>,
                                   next: UnsafeMutablePointer<Double>, derivative d: UnsafeMutablePointer<Double>, rows: Int, width: Int) {
        typealias V = SIMD4<Double>
        let vectorEnd = width - width % V.scalarCount
        for r in 0..<rows {
            let o = r * width
            var j = 0
            while j < vectorEnd {
                let p = load(pre + o + j, as: V.self) + load(bias + j, as: V.self)
                let s = 1 / (1 + exp(-p))
                store(load(previous + o + j, as: V.self) + p * s, next + o + j)
                store(s * (1 + p * (1 - s)), d + o + j)
                j += V.scalarCount
            }
            siluResidualBody(pre: pre + o + j, bias: bias + j, previous: previous + o + j, next: next + o + j, derivative: d + o + j,
                             rows: 1, width: width - j)
        }
    }

    @inlinable @inline(__always)
    static func load<V: SIMD>(_ p: UnsafePointer<V.Scalar>, as _: V.Type) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    @inlinable @inline(__always)
    static func load<V: SIMD>(_ p: UnsafeMutablePointer<V.Scalar>, as _: V.Type) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    @inlinable @inline(__always)
    static func store<V: SIMD>(_ v: V, _ p: UnsafeMutablePointer<V.Scalar>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }

    /// `exp(Float)` below, eight lanes at a time.
    @inlinable @inline(__always)
    static func exp(_ x0: SIMD8<Float>) -> SIMD8<Float> {
        // Clamped by masks: `clamped(lowerBound:upperBound:)` is an out-of-line call per vector here.
        let lo = SIMD8<Float>(repeating: -87), hi = SIMD8<Float>(repeating: 88)
        let x = x0.replacing(with: lo, where: x0 .< lo).replacing(with: hi, where: x0 .> hi)
        let shifter: Float = 12_582_912
        let t = x * 1.442_695_040_888_963_4 + shifter
        let n = t - shifter
        let r = (x - n * 0.693_359_375) - n * -2.121_944_400_546_905_8e-4
        let z = r * r
        var y = SIMD8<Float>(repeating: 1.987_569_150_0e-4)
        y = y * r + 1.398_199_950_7e-3
        y = y * r + 8.333_451_907_3e-3
        y = y * r + 4.166_579_589_4e-2
        y = y * r + 1.666_666_545_9e-1
        y = y * r + 5.000_000_120_1e-1
        y = y * z + r + 1
        let bits = (unsafeBitCast(t, to: SIMD8<UInt32>.self) &- shifter.bitPattern &+ 127) &<< 23
        return y * unsafeBitCast(bits, to: SIMD8<Float>.self)
    }

    /// `exp(Double)` below, four lanes at a time.
    @inlinable @inline(__always)
    static func exp(_ x0: SIMD4<Double>) -> SIMD4<Double> {
        let lo = SIMD4<Double>(repeating: -708), hi = SIMD4<Double>(repeating: 709)
        let x = x0.replacing(with: lo, where: x0 .< lo).replacing(with: hi, where: x0 .> hi)
        let shifter: Double = 6_755_399_441_055_744
        let t = x * 1.442_695_040_888_963_4 + shifter
        let n = t - shifter
        let r = (x - n * 6.931_471_803_691_238_2e-1) - n * 1.908_214_929_270_587_7e-10
        var y = SIMD4<Double>(repeating: 1.0 / 6_227_020_800)
        y = y * r + 1.0 / 479_001_600
        y = y * r + 1.0 / 39_916_800
        y = y * r + 1.0 / 3_628_800
        y = y * r + 1.0 / 362_880
        y = y * r + 1.0 / 40_320
        y = y * r + 1.0 / 5_040
        y = y * r + 1.0 / 720
        y = y * r + 1.0 / 120
        y = y * r + 1.0 / 24
        y = y * r + 1.0 / 6
        y = y * r + 0.5
        y = y * r + 1
        y = y * r + 1
        let bits = (unsafeBitCast(t, to: SIMD4<UInt64>.self) &- shifter.bitPattern &+ 1023) &<< 52
        return y * unsafeBitCast(bits, to: SIMD4<Double>.self)
    }

    /// A pointer to S seen as a pointer to T (only called where S == T).
    @inlinable @inline(__always)
    static func cast<S, T>(_ p: UnsafeMutablePointer<S>) -> UnsafeMutablePointer<T> { UnsafeMutableRawPointer(p).assumingMemoryBound(to: T.self) }
    @inlinable @inline(__always)
    static func cast<S, T>(_ p: UnsafePointer<S>) -> UnsafePointer<T> { UnsafeRawPointer(p).assumingMemoryBound(to: T.self) }

    /// Whether every one of `count` elements is finite: x·0 is 0 for finite x and NaN otherwise, so one
    /// sum of x·0 over SIMD lanes answers for the whole buffer (a branch per element would not vectorise).
    @inlinable
    static func allFinite<S: BLASScalar>(_ p: UnsafePointer<S>, count n: Int) -> Bool {
        if S.self == Float.self { return allFiniteFloat(cast(p), count: n) }
        var i = 0
        while i < n { if !p[i].isFinite { return false }; i += 1 }
        return true
    }

    @usableFromInline @inline(never)
    static func allFiniteFloat(_ p: UnsafePointer<Float>, count n: Int) -> Bool {
        typealias V = SIMD16<Float>
        var acc = V(), i = 0
        while i + V.scalarCount <= n {
            acc += load(p + i, as: V.self) * 0
            i += V.scalarCount
        }
        while i < n { if !p[i].isFinite { return false }; i += 1 }
        return acc == V()
    }

    /// Whether every element of `values` is finite.
    public static func allFinite<S: BLASScalar>(_ values: [S]) -> Bool {
        values.withUnsafeBufferPointer { b in b.isEmpty || allFinite(b.baseAddress!, count: b.count) }
    }

    /// out[r, j] += bias[j].
    @inlinable
    static func addBias<S: BLASScalar>(_ out: UnsafeMutablePointer<S>, bias: UnsafePointer<S>, rows: Int, width: Int) {
        for r in 0..<rows {
            let o = out + r * width
            for j in 0..<width { o[j] += bias[j] }
        }
    }

    /// out = a ⊙ b over `count` elements.
    @inlinable
    static func multiply<S: BLASScalar>(_ a: UnsafePointer<S>, _ b: UnsafePointer<S>, into out: UnsafeMutablePointer<S>, count: Int) {
        for i in 0..<count { out[i] = a[i] * b[i] }
    }

    /// sums[j] (+)= Σ_r m[r, j].
    @inlinable
    static func columnSums<S: BLASScalar>(_ m: UnsafePointer<S>, rows: Int, width: Int,
                                          into sums: UnsafeMutablePointer<S>, accumulate: Bool) {
        if !accumulate { sums.update(repeating: 0, count: width) }
        for r in 0..<rows {
            let row = m + r * width
            for j in 0..<width { sums[j] += row[j] }
        }
    }
}
