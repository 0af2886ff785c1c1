import LinearAlgebra

/// Which host backend runs the network's hot kernels (`HostKernels`). Every pass of `EpsilonNetwork`
/// runs on its workspace's backend, so a whole forward/backward pass (and a sampler trajectory or a
/// training step built on them) stays on one backend.
///
/// - `openBLAS`: OpenBLAS gemm/gemv and the vectorised element-wise kernels (the fast path).
/// - `reference`: plain Swift loops, no BLAS, libm's exp: the independent oracle `ggd crosscheck`
///   holds the others against (run it in Double).
public enum ComputeBackend: String, Sendable, CaseIterable, Codable {
    case openBLAS = "openblas"
    case reference
}

/// The reference backend's kernels: the definitions, written out as loops, in the scalar's precision
/// with libm's exp (no BLAS, no polynomial approximations), so they share no code with the fast path.
public enum ReferenceKernels {
    /// C ← α·op(A)·op(B) + β·C, row-major, summed in order over k.
    @usableFromInline
    static func gemm<S: BLASScalar>(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: S,
                                    a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int, beta: S,
                                    c: UnsafeMutablePointer<S>, ldc: Int) {
        for i in 0..<m {
            for j in 0..<n {
                var sum: S = 0
                for p in 0..<k {
                    let x = transA ? a[p * lda + i] : a[i * lda + p]
                    let y = transB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += x * y
                }
                let old = c[i * ldc + j]
                c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * old)
            }
        }
    }

    /// next = (previous +) SiLU(pre + bias), derivative = SiLU′(pre + bias); `next` may alias `pre`.
    @usableFromInline
    static func silu<S: BLASScalar>(pre: UnsafePointer<S>, bias: UnsafePointer<S>, previous: UnsafePointer<S>?,
                                    next: UnsafeMutablePointer<S>, derivative d: UnsafeMutablePointer<S>, rows: Int, width: Int) {
        for r in 0..<rows {
            for j in 0..<width {
                let i = r * width + j
                let p = pre[i] + bias[j]
                let s = 1 / (1 + S.exp(-p))
                d[i] = s * (1 + p * (1 - s))
                next[i] = (previous?[i] ?? 0) + p * s
            }
        }
    }

    /// Adam as torch.optim.Adam, element by element.
    @usableFromInline
    static func adamUpdate<S: BLASScalar>(_ p: UnsafeMutablePointer<S>, gradient g: UnsafeMutablePointer<S>, firstMoment m: UnsafeMutablePointer<S>,
                                          secondMoment v: UnsafeMutablePointer<S>, count: Int,
                                          step: S, sqrtCorrection2: S, c1: S, b2: S, c2: S, eps: S) {
        for i in 0..<count {
            let mi = m[i] + c1 * (g[i] - m[i])          // torch: exp_avg.lerp_(grad, 1 − β₁)
            let vi = b2 * v[i] + c2 * g[i] * g[i]       // torch: exp_avg_sq.mul_(β₂).addcmul_(grad, grad, 1 − β₂)
            m[i] = mi
            v[i] = vi
            p[i] -= step * mi / (S.sqrt(vi) / sqrtCorrection2 + eps)
        }
    }
}

/// The backend kernels on plain arrays, for cross-checking them one by one (`ggd crosscheck`).
public enum NetworkKernelProbe {
    public static func gemm<S: BLASScalar>(_ backend: ComputeBackend, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                                           a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int, c: UnsafeMutablePointer<S>, ldc: Int) {
        HostKernels<S>(backend).gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: BackendPointer(a), lda: lda, b: BackendPointer(b), ldb: ldb,
                                          beta: 0, c: BackendPointer(c), ldc: ldc)
    }

    public static func siluResidual<S: BLASScalar>(_ backend: ComputeBackend, pre: [S], bias: [S], previous: [S], next: inout [S],
                                                   derivative: inout [S], rows: Int, width: Int) {
        precondition(pre.count == rows * width && previous.count == rows * width && bias.count == width, "SiLU probe: shapes disagree")
        next = [S](repeating: 0, count: rows * width)
        derivative = next
        pre.withUnsafeBufferPointer { pp in bias.withUnsafeBufferPointer { bp in previous.withUnsafeBufferPointer { qp in
            next.withUnsafeMutableBufferPointer { np in derivative.withUnsafeMutableBufferPointer { dp in
                HostKernels<S>(backend).siluResidual(pre: BackendPointer(pp.baseAddress!), bias: BackendPointer(bp.baseAddress!),
                                                     previous: BackendPointer(qp.baseAddress!), next: BackendPointer(np.baseAddress!),
                                                     derivative: BackendPointer(dp.baseAddress!), rows: rows, width: width)
            } }
        } } }
    }
}
