import Dispatch
import CKernels
import LinearAlgebra

/// The host backends of the `KernelBackend` seam, on host memory: OpenBLAS with the vectorised
/// element-wise kernels (`ComputeBackend.openBLAS`, the fast path), or plain Swift loops in the
/// scalar's precision with libm's exp and no BLAS (`.reference`, the independent oracle).
public struct HostKernels<Scalar: BLASScalar>: KernelBackend, Sendable {
    public let backend: ComputeBackend
    /// Threads for the row-parallel noise fill (BLAS threads are set separately); the draws do not
    /// depend on it.
    public let threads: Int

    @inlinable public init(_ backend: ComputeBackend, threads: Int = 1) {
        self.backend = backend
        self.threads = max(1, threads)
    }

    public var name: String {
        let dtype = Scalar.self == Float.self ? "float" : "double"
        return backend == .openBLAS ? "openblas-\(dtype)" : "reference-\(dtype)"
    }

    public func allocate<T: BitwiseCopyable>(_: T.Type, count: Int) -> BackendArray<T> {
        precondition(count >= 0, "cannot allocate \(count) elements")
        let memory = HostAllocation(bytes: count * MemoryLayout<T>.stride)
        return BackendArray(pointer: BackendPointer(address: UInt(bitPattern: memory.raw)), count: count, owner: memory)
    }

    public func upload<T: BitwiseCopyable>(_ source: UnsafeBufferPointer<T>, to destination: BackendPointer<T>) {
        guard let base = source.baseAddress, source.count > 0 else { return }
        destination.host.update(from: base, count: source.count)
    }

    public func download<T: BitwiseCopyable>(_ source: BackendPointer<T>, into destination: UnsafeMutableBufferPointer<T>) {
        guard let base = destination.baseAddress, destination.count > 0 else { return }
        base.update(from: source.host, count: destination.count)
    }

    public func copy<T: BitwiseCopyable>(_ source: BackendPointer<T>, to destination: BackendPointer<T>, count: Int) {
        let profiled = KernelProfile.start()
        defer { KernelProfile.stop(.copies, profiled) }
        guard count > 0 else { return }
        destination.host.update(from: source.host, count: count)
    }

    public func synchronize() {}

    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Scalar, a: BackendPointer<Scalar>, lda: Int,
                     b: BackendPointer<Scalar>, ldb: Int, beta: Scalar, c: BackendPointer<Scalar>, ldc: Int) {
        let profiled = KernelProfile.start()
        defer { KernelProfile.stop(.gemm, profiled) }
        switch backend {
        case .openBLAS:
            Scalar.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a.host, lda: lda, b: b.host, ldb: ldb,
                        beta: beta, c: c.host, ldc: ldc)
        case .reference:
            ReferenceKernels.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a.host, lda: lda, b: b.host, ldb: ldb,
                                  beta: beta, c: c.host, ldc: ldc)
        }
    }

    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func gemv(m: Int, n: Int, alpha: Scalar, a: BackendPointer<Scalar>, lda: Int, x: BackendPointer<Scalar>, beta: Scalar,
                     y: BackendPointer<Scalar>) {
        let profiled = KernelProfile.start()
        defer { KernelProfile.stop(.gemv, profiled) }
        switch backend {
        case .openBLAS: Scalar.gemv(trans: false, m: m, n: n, alpha: alpha, a: a.host, lda: lda, x: x.host, beta: beta, y: y.host)
        case .reference:
            ReferenceKernels.gemm(transA: false, transB: false, m: m, n: 1, k: n, alpha: alpha, a: a.host, lda: lda, b: x.host, ldb: 1,
                                  beta: beta, c: y.host, ldc: 1)
        }
    }

    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func siluFirst(_ h: BackendPointer<Scalar>, bias: BackendPointer<Scalar>, derivative d: BackendPointer<Scalar>, rows: Int, width: Int) {
        let profiled = KernelProfile.start()
        defer { KernelProfile.stop(.activation, profiled) }
        switch backend {
        case .openBLAS:
            nonisolated(unsafe) let (hp, bp, dp) = (h.host, bias.host, d.host)
            Self.inRowHalves(rows: rows, width: width) { first, count in
                Kernels.siluFirst(hp + first * width, bias: bp, derivative: dp + first * width, rows: count, width: width)
            }
        case .reference:
            ReferenceKernels.silu(pre: h.host, bias: bias.host, previous: nil, next: h.host, derivative: d.host, rows: rows, width: width)
        }
    }

    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func siluResidual(pre: BackendPointer<Scalar>, bias: BackendPointer<Scalar>, previous: BackendPointer<Scalar>,
                             next: BackendPointer<Scalar>, derivative d: BackendPointer<Scalar>, rows: Int, width: Int) {
        let profiled = KernelProfile.start()
        defer { KernelProfile.stop(.activation, profiled) }
        switch backend {
        case .openBLAS:
            nonisolated(unsafe) let (pp, bp, qp, np, dp) = (pre.host, bias.host, previous.host, next.host, d.host)
            Self.inRowHalves(rows: rows, width: width) { first, count in
                let o = first * width
                Kernels.siluResidual(pre: pp + o, bias: bp, previous: qp + o, next: np + o, derivative: dp + o, rows: count, width: width)
            }
        case .reference:
            ReferenceKernels.silu(pre: pre.host, bias: bias.host, previous: previous.host, next: next.host, derivative: d.host,
                                  rows: rows, width: width)
        }
    }

    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func addBias(_ out: BackendPointer<Scalar>, bias: BackendPointer<Scalar>, rows: Int, width: Int) {
        let profiled = KernelProfile.start()
        defer { KernelProfile.stop(.elementwise, profiled) }
        Kernels.addBias(out.host, bias: bias.host, rows: rows, width: width)
    }

    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func multiply(_ a: BackendPointer<Scalar>, _ b: BackendPointer<Scalar>, into out: BackendPointer<Scalar>, count: Int) {
        let profiled = KernelProfile.start()
        defer { KernelProfile.stop(.elementwise, profiled) }
        nonisolated(unsafe) let (ap, bp, op) = (a.host, b.host, out.host)
        Self.inRowHalves(rows: count, width: 1) { first, n in Kernels.multiply(ap + first, bp + first, into: op + first, count: n) }
    }

    /// Runs `body(firstRow, rowCount)` over `rows` rows of `width`: on two threads, half the rows each, when
    /// the buffer is large (≥ 2¹⁷ elements, B ≥ 256 rows of the network's width 512), where one core's
    /// memory bandwidth bounds the element-wise pass (measured: the B = 1024 G_loss round 6–12% faster
    /// with OpenBLAS's workers sleeping between calls, `OPENBLAS_THREAD_TIMEOUT`); inline otherwise.
    /// Every element sees the same operations either way, so results are the same bit for bit.
    @inlinable
    static func inRowHalves(rows: Int, width: Int, _ body: @Sendable (Int, Int) -> Void) {
        guard rows >= 2, rows * width >= 1 << 17 else { return body(0, rows) }
        let half = rows / 2
        DispatchQueue.concurrentPerform(iterations: 2) { i in body(i == 0 ? 0 : half, i == 0 ? half : rows - half) }
    }

    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func columnSums(_ m: BackendPointer<Scalar>, rows: Int, width: Int, into sums: BackendPointer<Scalar>, accumulate: Bool) {
        let profiled = KernelProfile.start()
        defer { KernelProfile.stop(.elementwise, profiled) }
        Kernels.columnSums(m.host, rows: rows, width: width, into: sums.host, accumulate: accumulate)
    }

    /// OpenBLAS backend: the C kernel (large Float buffers in two halves updated in parallel; every
    /// element sees the same operations, so the split does not change the result). Reference: the loop.
    public func adamUpdate(parameters: BackendPointer<Scalar>, gradient: BackendPointer<Scalar>, firstMoment: BackendPointer<Scalar>,
                           secondMoment: BackendPointer<Scalar>, count n: Int, stepSize: Scalar, sqrtCorrection2: Scalar, c1: Scalar,
                           beta2 b2: Scalar, c2: Scalar, epsilon eps: Scalar) {
        guard n > 0 else { return }
        let (pp, gp, mp, vp) = (parameters.host, gradient.host, firstMoment.host, secondMoment.host)
        if backend == .reference || (Scalar.self != Float.self && Scalar.self != Double.self) {
            ReferenceKernels.adamUpdate(pp, gradient: gp, firstMoment: mp, secondMoment: vp, count: n, step: stepSize,
                                        sqrtCorrection2: sqrtCorrection2, c1: c1, b2: b2, c2: c2, eps: eps)
        } else if Scalar.self == Float.self {
            let halves = n >= 1 << 17 ? 2 : 1
            let chunk = (n / halves) & ~7
            nonisolated(unsafe) let (P, G, M, V) = (pp, gp, mp, vp)
            let (ss, sc, cc1, bb2, cc2, ee) = (stepSize as! Float, sqrtCorrection2 as! Float, c1 as! Float, b2 as! Float,
                                               c2 as! Float, eps as! Float)
            DispatchQueue.concurrentPerform(iterations: halves) { h in
                let start = h * chunk
                let count = h == halves - 1 ? n - start : chunk
                ggd_adam_update_f32(Kernels.cast(P + start), Kernels.cast(UnsafePointer(G + start)), Kernels.cast(M + start),
                                    Kernels.cast(V + start), count, ss, sc, cc1, bb2, cc2, ee)
            }
        } else {
            ggd_adam_update_f64(Kernels.cast(pp), Kernels.cast(UnsafePointer(gp)), Kernels.cast(mp), Kernels.cast(vp), n,
                                stepSize as! Double, sqrtCorrection2 as! Double, c1 as! Double, b2 as! Double, c2 as! Double, eps as! Double)
        }
    }
}
