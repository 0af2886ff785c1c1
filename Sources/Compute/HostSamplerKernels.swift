import FaultInjection
import LinearAlgebra
import Randomness

/// The sampler's and the training step's kernels on the host: the loops of `NetworkScore`,
/// `LookaheadGuidance`, `DDPMSampler` and `DenoisingScoreMatching`, with the same operations in the
/// same order, so a resident trajectory on a host backend equals the CPU path bit for bit. The loops
/// over Scalar are prespecialised, so a caller holding the backend as an existential (`BackendChoice`)
/// still runs them at full speed.
extension HostKernels: SamplerBackend {
    /// Scans host memory in place (no copy).
    public func allFinite(_ p: BackendPointer<Double>, count: Int) -> Bool {
        UnsafeBufferPointer(start: p.host, count: count).allSatisfy(\.isFinite)
    }

    public func fillNormals(_ out: BackendPointer<Double>, rows: Int, columns: Int, key: StreamKey, firstRow: Int) {
        let profiled = KernelProfile.start()
        defer { KernelProfile.stop(.noise, profiled) }
        HostNoiseFill.fill(out.host, rows: rows, columns: columns, key: key, firstRow: firstRow, threads: threads)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func loadRows(_ x: BackendPointer<Double>, rows: Int, columns: Int, into input: BackendPointer<Scalar>, stride: Int) {
        let profiled = KernelProfile.start()
        defer { KernelProfile.stop(.sampler, profiled) }
        let (src, dst) = (x.host, input.host)
        for r in 0..<rows { for j in 0..<columns { dst[r * stride + j] = Scalar(src[r * columns + j]) } }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func convert(_ x: BackendPointer<Double>, count: Int, into out: BackendPointer<Scalar>) {
        let profiled = KernelProfile.start()
        defer { KernelProfile.stop(.sampler, profiled) }
        let (src, dst) = (x.host, out.host)
        for i in 0..<count { dst[i] = Scalar(src[i]) }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func tweedie(base: BackendPointer<Double>, baseScale: Double, correction: BackendPointer<Scalar>, count: Int, scale: Double, factor: Double,
                        into out: BackendPointer<Double>) {
        let profiled = KernelProfile.start()
        defer { KernelProfile.stop(.sampler, profiled) }
        let (b, c, o) = (base.host, correction.host, out.host)
        for i in 0..<count { o[i] = (baseScale * b[i] - scale * Double(c[i])) * factor }
    }

    public func lookaheadShift(denoised x0: BackendPointer<Double>, vjp v: BackendPointer<Double>, gradients g: BackendPointer<Double>,
                               targets y: BackendPointer<Double>, rows: Int, columns D: Int, strength: LookaheadStrength, alpha: Double, h: Double) {
        let profiled = KernelProfile.start()
        defer { KernelProfile.stop(.sampler, profiled) }
        let (xp, gp, yp) = (x0.host, g.host, y.host)
        let vp = LookaheadRows.direction(vjp: v.host, gradients: g.host)
        let f = UnsafeMutablePointer<Double>.allocate(capacity: max(rows, 1))
        defer { f.deallocate() }
        LookaheadRows.factors(denoised: xp, direction: vp, gradients: gp, targets: yp, rows: rows, columns: D, strength: strength, alpha: alpha,
                              h: h, into: f)
        let a = LookaheadRows.shiftScale(alpha: alpha, h: h)
        for r in 0..<rows {
            let o = r * D, fr = f[r]
            for j in 0..<D { xp[o + j] += a * (vp[o + j] * fr) }
        }
    }

    public func ddpmStep(x: BackendPointer<Double>, denoised x0: BackendPointer<Double>, noise: BackendPointer<Double>?, count: Int,
                         c1: Double, c2: Double, sd: Double) {
        let profiled = KernelProfile.start()
        defer { KernelProfile.stop(.sampler, profiled) }
        let (xp, dp) = (x.host, x0.host)
        if let z = noise?.host {
            for i in 0..<count { xp[i] = c1 * dp[i] + c2 * xp[i] + sd * z[i] }
        } else {
            for i in 0..<count { xp[i] = c1 * dp[i] + c2 * xp[i] }
        }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func diffuse(data x0: BackendPointer<Scalar>, noise: BackendPointer<Double>, steps: BackendPointer<Int32>, alphas: BackendPointer<Scalar>,
                        sigmas: BackendPointer<Scalar>, rows: Int, columns D: Int, into input: BackendPointer<Scalar>, stride: Int) {
        let (xp, np, tp, ap, sp, ip) = (x0.host, noise.host, steps.host, alphas.host, sigmas.host, input.host)
        for r in 0..<rows {
            let t = Int(tp[r])
            let (a, s) = (ap[t], sp[t])
            for j in 0..<D { ip[r * stride + j] = a * xp[r * D + j] + s * Scalar(np[r * D + j]) }
        }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func gatherRows(table: BackendPointer<Scalar>, indices: BackendPointer<Int32>, rows: Int, width: Int, into out: BackendPointer<Scalar>,
                           stride: Int) {
        let (tp, ip, op) = (table.host, indices.host, out.host)
        for r in 0..<rows { (op + r * stride).update(from: tp + Int(ip[r]) * width, count: width) }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func exponentialAverage(_ average: BackendPointer<Scalar>, toward parameters: BackendPointer<Scalar>, count: Int, decay: Scalar,
                                   weight: Scalar) {
        Kernels.exponentialAverage(average.host, toward: UnsafePointer(parameters.host), count: count, decay: decay, weight: weight)
    }

    public func scoreResidual(output: BackendPointer<Scalar>, input: BackendPointer<Scalar>, stride: Int, steps: BackendPointer<Int32>,
                              skips: BackendPointer<Scalar>, outputScales: BackendPointer<Scalar>, noise: BackendPointer<Double>, rows: Int,
                              columns D: Int, scale: Scalar, cotangent: BackendPointer<Scalar>, rowSquares: BackendPointer<Double>) {
        let (op, np, cp, sp, xp) = (output.host, noise.host, cotangent.host, rowSquares.host, input.host)
        for r in 0..<rows {
            var sum = 0.0
            let t = Int(steps.host[r])
            let (s, c) = (skips.host[t], outputScales.host[t])
            let cs = scale * c
            for j in 0..<D {
                let i = r * D + j
                let d = (c * op[i] + s * xp[r * stride + j]) - Scalar(np[i])
                sum += Double(d * d)
                cp[i] = cs * d
            }
            sp[r] = sum
        }
    }
}
