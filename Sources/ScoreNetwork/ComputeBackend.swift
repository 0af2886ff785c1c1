import LinearAlgebra

/// Where the network's hot kernels run. Every pass of `EpsilonNetwork` goes through `BackendOps`,
/// which dispatches on the workspace's backend, so a whole forward/backward pass (and a sampler
/// trajectory or a training step built on them) stays on one backend.
///
/// - `openBLAS`: OpenBLAS gemm/gemv and the vectorised element-wise kernels (the fast path).
/// - `reference`: plain Swift loops, no BLAS, libm's exp: the independent oracle `ggd crosscheck`
///   holds the others against (run it in Double).
public enum ComputeBackend: String, Sendable, CaseIterable, Codable {
    case openBLAS = "openblas"
    case reference
}

/// The network's kernels, dispatched by backend. Signatures follow `BLASScalar.gemm` and `Kernels`.
@usableFromInline
enum BackendOps {
    @inlinable @inline(__always)
    static func gemm<S: BLASScalar>(_ backend: ComputeBackend, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: S,
                                    a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int, beta: S,
                                    c: UnsafeMutablePointer<S>, ldc: Int) {
        switch backend {
        case .openBLAS: S.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        case .reference: ReferenceKernels.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                                               beta: beta, c: c, ldc: ldc)
        }
    }

    @inlinable @inline(__always)
    static func gemv<S: BLASScalar>(_ backend: ComputeBackend, m: Int, n: Int, alpha: S, a: UnsafePointer<S>, lda: Int,
                                    x: UnsafePointer<S>, beta: S, y: UnsafeMutablePointer<S>) {
        switch backend {
        case .openBLAS: S.gemv(trans: false, m: m, n: n, alpha: alpha, a: a, lda: lda, x: x, beta: beta, y: y)
        case .reference: ReferenceKernels.gemm(transA: false, transB: false, m: m, n: 1, k: n, alpha: alpha, a: a, lda: lda, b: x, ldb: 1,
                                               beta: beta, c: y, ldc: 1)
        }
    }

    @inlinable @inline(__always)
    static func siluFirst<S: BLASScalar>(_ backend: ComputeBackend, _ h: UnsafeMutablePointer<S>, bias: UnsafePointer<S>,
                                         derivative d: UnsafeMutablePointer<S>, rows: Int, width: Int) {
        switch backend {
        case .openBLAS: Kernels.siluFirst(h, bias: bias, derivative: d, rows: rows, width: width)
        case .reference: ReferenceKernels.silu(pre: h, bias: bias, previous: nil, next: h, derivative: d, rows: rows, width: width)
        }
    }

    @inlinable @inline(__always)
    static func siluResidual<S: BLASScalar>(_ backend: ComputeBackend, pre: UnsafePointer<S>, bias: UnsafePointer<S>, previous: UnsafePointer<S>,
                                            next: UnsafeMutablePointer<S>, derivative d: UnsafeMutablePointer<S>, rows: Int, width: Int) {
        switch backend {
        case .openBLAS: Kernels.siluResidual(pre: pre, bias: bias, previous: previous, next: next, derivative: d, rows: rows, width: width)
        case .reference: ReferenceKernels.silu(pre: pre, bias: bias, previous: previous, next: next, derivative: d, rows: rows, width: width)
        }
    }
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
    public static func adamUpdate<S: BLASScalar>(_ p: inout [S], gradient g: [S], firstMoment m: inout [S], secondMoment v: inout [S],
                                                 step: S, sqrtCorrection2: S, c1: S, b2: S, c2: S, eps: S) {
        for i in 0..<p.count {
            let mi = m[i] + c1 * (g[i] - m[i])
            let vi = b2 * v[i] + c2 * g[i] * g[i]
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
        BackendOps.gemm(backend, transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: ldc)
    }

    public static func siluResidual<S: BLASScalar>(_ backend: ComputeBackend, pre: [S], bias: [S], previous: [S], next: inout [S],
                                                   derivative: inout [S], rows: Int, width: Int) {
        precondition(pre.count == rows * width && previous.count == rows * width && bias.count == width, "SiLU probe: shapes disagree")
        next = [S](repeating: 0, count: rows * width)
        derivative = next
        pre.withUnsafeBufferPointer { pp in bias.withUnsafeBufferPointer { bp in previous.withUnsafeBufferPointer { qp in
            next.withUnsafeMutableBufferPointer { np in derivative.withUnsafeMutableBufferPointer { dp in
                BackendOps.siluResidual(backend, pre: pp.baseAddress!, bias: bp.baseAddress!, previous: qp.baseAddress!,
                                        next: np.baseAddress!, derivative: dp.baseAddress!, rows: rows, width: width)
            } }
        } } }
    }
}
