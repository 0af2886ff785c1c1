import LinearAlgebra

/// The seam at the hot kernels: memory and the network's kernels on one backend, addressed by
/// `BackendPointer`s into that backend's memory.
///
/// `NetworkPasses` sequences a forward or backward pass out of these calls, and the Backends module
/// sequences whole sampler trajectories and training steps out of them (with its `SamplerBackend`
/// refinement), so a G_loss round or a training epoch runs on one backend with no copies in between.
/// Backends: `HostKernels` (OpenBLAS or the plain-Swift reference, on host memory) and the CUDA
/// backend (cuBLAS and NVRTC-compiled kernels, in the Backends module).
///
/// Matrices are row-major with explicit leading dimensions, as in `BLASScalar.gemm`. Kernels may run
/// asynchronously; `download` and `synchronize` wait for everything queued before them.
public protocol KernelBackend<Scalar> {
    /// The precision of the network's arithmetic.
    associatedtype Scalar: BLASScalar

    /// What the backend is, in words (for reports and errors).
    var name: String { get }

    /// `count` zeroed elements in the backend's memory.
    func allocate<T: BitwiseCopyable>(_: T.Type, count: Int) throws -> BackendArray<T>
    /// Copies host values into backend memory.
    func upload<T: BitwiseCopyable>(_ source: UnsafeBufferPointer<T>, to destination: BackendPointer<T>) throws
    /// Copies backend memory to the host, after everything queued before.
    func download<T: BitwiseCopyable>(_ source: BackendPointer<T>, into destination: UnsafeMutableBufferPointer<T>) throws
    /// Copies `count` elements within the backend's memory.
    func copy<T: BitwiseCopyable>(_ source: BackendPointer<T>, to destination: BackendPointer<T>, count: Int) throws
    /// Waits for everything queued; reports a failure of queued work.
    func synchronize() throws

    /// C ← α·op(A)·op(B) + β·C (row-major; `BLASScalar.gemm`'s arguments).
    func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Scalar, a: BackendPointer<Scalar>, lda: Int,
              b: BackendPointer<Scalar>, ldb: Int, beta: Scalar, c: BackendPointer<Scalar>, ldc: Int) throws
    /// y ← α·A·x + β·y, A m×n row-major.
    func gemv(m: Int, n: Int, alpha: Scalar, a: BackendPointer<Scalar>, lda: Int, x: BackendPointer<Scalar>, beta: Scalar,
              y: BackendPointer<Scalar>) throws
    /// First hidden layer in place: h ← SiLU(h + b), d ← SiLU′(h + b).
    func siluFirst(_ h: BackendPointer<Scalar>, bias: BackendPointer<Scalar>, derivative: BackendPointer<Scalar>, rows: Int, width: Int) throws
    /// Residual block: next ← previous + SiLU(pre + b), d ← SiLU′(pre + b).
    func siluResidual(pre: BackendPointer<Scalar>, bias: BackendPointer<Scalar>, previous: BackendPointer<Scalar>,
                      next: BackendPointer<Scalar>, derivative: BackendPointer<Scalar>, rows: Int, width: Int) throws
    /// out[r, j] += bias[j].
    func addBias(_ out: BackendPointer<Scalar>, bias: BackendPointer<Scalar>, rows: Int, width: Int) throws
    /// out = a ⊙ b.
    func multiply(_ a: BackendPointer<Scalar>, _ b: BackendPointer<Scalar>, into out: BackendPointer<Scalar>, count: Int) throws
    /// sums[j] (+)= Σ_r m[r, j] (a reduction: the parameter gradient of a bias).
    func columnSums(_ m: BackendPointer<Scalar>, rows: Int, width: Int, into sums: BackendPointer<Scalar>, accumulate: Bool) throws
    /// One Adam update with the scalars of `Adam.update` (stepSize = lr/(1 − β₁ᵗ), √(1 − β₂ᵗ), 1 − β₁, β₂, 1 − β₂, ε).
    func adamUpdate(parameters: BackendPointer<Scalar>, gradient: BackendPointer<Scalar>, firstMoment: BackendPointer<Scalar>,
                    secondMoment: BackendPointer<Scalar>, count: Int, stepSize: Scalar, sqrtCorrection2: Scalar, c1: Scalar,
                    beta2: Scalar, c2: Scalar, epsilon: Scalar) throws
}

extension KernelBackend {
    /// A backend array holding `values`.
    public func array<T: BitwiseCopyable>(_ values: [T]) throws -> BackendArray<T> {
        let a = try allocate(T.self, count: values.count)
        try values.withUnsafeBufferPointer { try upload($0, to: a.pointer) }
        return a
    }

    /// `count` elements from `source`, on the host.
    public func values<T: BitwiseCopyable>(_ source: BackendPointer<T>, count: Int) throws -> [T] {
        guard count > 0 else { return [] }
        let out = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
        defer { out.deallocate() }
        try download(source, into: out)
        return Array(out)
    }

    /// Overwrites backend memory with `values`.
    public func upload<T: BitwiseCopyable>(_ values: [T], to destination: BackendPointer<T>) throws {
        try values.withUnsafeBufferPointer { try upload($0, to: destination) }
    }
}
