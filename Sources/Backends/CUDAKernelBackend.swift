import Compute
import CUDADriver
import LinearAlgebra
import Randomness
import ScoreNetwork

/// The CUDA backend of the seam: cuBLAS for the products, the NVRTC-compiled kernels of
/// `CUDAKernelSource` for everything else, all queued in order on the device's default stream.
/// Reached at run time (`CUDARuntime`): building needs nothing CUDA, and without a GPU `init` throws
/// the probe's reason.
public final class CUDAKernelBackend<Scalar: BLASScalar & CUDAScalar>: SamplerBackend {
    public let device: CUDADevice
    let kernels: CUDAKernels
    let blas: CUBLASHandle
    /// The ziggurat's tables (`Ziggurat.x`, `Ziggurat.fx`), uploaded once.
    let zigguratX: DeviceBuffer<Double>
    let zigguratFX: DeviceBuffer<Double>

    /// Opens device `ordinal`, compiles the kernels for it and creates a cuBLAS handle.
    public init(ordinal: Int = 0) throws {
        device = try CUDADevice(ordinal: ordinal)
        kernels = try device.loadKernels()
        blas = try CUBLASHandle(device: device)
        zigguratX = try device.makeBuffer(Ziggurat.x)
        zigguratFX = try device.makeBuffer(Ziggurat.fx)
    }

    public var name: String { "cuda-\(Scalar.self == Float.self ? "float" : "double") on \(device.name) (sm_\(device.computeCapability.major)\(device.computeCapability.minor))" }

    @inline(__always) func d<T>(_ p: BackendPointer<T>) -> DevicePointer<T> { DevicePointer(address: UInt64(p.address)) }

    public func allocate<T: BitwiseCopyable>(_: T.Type, count: Int) throws -> BackendArray<T> {
        let buffer = try device.makeBuffer(count: count, of: T.self)
        try buffer.zero()
        return BackendArray(pointer: BackendPointer(address: UInt(buffer.pointer.address)), count: count, owner: buffer)
    }

    public func upload<T: BitwiseCopyable>(_ source: UnsafeBufferPointer<T>, to destination: BackendPointer<T>) throws {
        guard let base = source.baseAddress, source.count > 0 else { return }
        try device.copy(fromHost: UnsafeRawPointer(base), toDevice: UInt64(destination.address), bytes: source.count * MemoryLayout<T>.stride)
    }

    public func download<T: BitwiseCopyable>(_ source: BackendPointer<T>, into destination: UnsafeMutableBufferPointer<T>) throws {
        guard let base = destination.baseAddress, destination.count > 0 else { return }
        try device.copy(fromDevice: UInt64(source.address), toHost: UnsafeMutableRawPointer(base), bytes: destination.count * MemoryLayout<T>.stride)
    }

    public func copy<T: BitwiseCopyable>(_ source: BackendPointer<T>, to destination: BackendPointer<T>, count: Int) throws {
        try device.copy(fromDevice: UInt64(source.address), toDevice: UInt64(destination.address), bytes: count * MemoryLayout<T>.stride)
    }

    public func synchronize() throws { try device.synchronize() }

    public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Scalar, a: BackendPointer<Scalar>, lda: Int,
                     b: BackendPointer<Scalar>, ldb: Int, beta: Scalar, c: BackendPointer<Scalar>, ldc: Int) throws {
        try blas.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: d(a), lda: lda, b: d(b), ldb: ldb, beta: beta,
                      c: d(c), ldc: ldc)
    }

    /// y = α·A·x + β·y as a row-major product with one column.
    public func gemv(m: Int, n: Int, alpha: Scalar, a: BackendPointer<Scalar>, lda: Int, x: BackendPointer<Scalar>, beta: Scalar,
                     y: BackendPointer<Scalar>) throws {
        try blas.gemm(transA: false, transB: false, m: m, n: 1, k: n, alpha: alpha, a: d(a), lda: lda, b: d(x), ldb: 1, beta: beta, c: d(y), ldc: 1)
    }

    public func siluFirst(_ h: BackendPointer<Scalar>, bias: BackendPointer<Scalar>, derivative: BackendPointer<Scalar>, rows: Int, width: Int) throws {
        try kernels.siluFirst(d(h), bias: d(bias), derivative: d(derivative), rows: rows, width: width)
    }

    public func siluResidual(pre: BackendPointer<Scalar>, bias: BackendPointer<Scalar>, previous: BackendPointer<Scalar>,
                             next: BackendPointer<Scalar>, derivative: BackendPointer<Scalar>, rows: Int, width: Int) throws {
        try kernels.siluResidual(pre: d(pre), bias: d(bias), previous: d(previous), next: d(next), derivative: d(derivative), rows: rows, width: width)
    }

    public func addBias(_ out: BackendPointer<Scalar>, bias: BackendPointer<Scalar>, rows: Int, width: Int) throws {
        try kernels.addBias(d(out), bias: d(bias), rows: rows, width: width)
    }

    public func multiply(_ a: BackendPointer<Scalar>, _ b: BackendPointer<Scalar>, into out: BackendPointer<Scalar>, count: Int) throws {
        try kernels.multiply(d(a), d(b), into: d(out), count: count)
    }

    public func columnSums(_ m: BackendPointer<Scalar>, rows: Int, width: Int, into sums: BackendPointer<Scalar>, accumulate: Bool) throws {
        try kernels.columnSums(d(m), rows: rows, width: width, into: d(sums), accumulate: accumulate)
    }

    public func adamUpdate(parameters: BackendPointer<Scalar>, gradient: BackendPointer<Scalar>, firstMoment: BackendPointer<Scalar>,
                           secondMoment: BackendPointer<Scalar>, count: Int, stepSize: Scalar, sqrtCorrection2: Scalar, c1: Scalar,
                           beta2: Scalar, c2: Scalar, epsilon: Scalar) throws {
        try kernels.adamUpdate(parameters: d(parameters), gradient: d(gradient), firstMoment: d(firstMoment), secondMoment: d(secondMoment),
                               count: count, stepSize: stepSize, sqrtCorrection2: sqrtCorrection2, c1: c1, beta2: beta2, c2: c2, epsilon: epsilon)
    }

    public func fillNormals(_ out: BackendPointer<Double>, rows: Int, columns: Int, key: StreamKey, firstRow: Int) throws {
        precondition(firstRow >= 0 && firstRow + rows <= Int(UInt32.max) + 1, "stream rows \(firstRow)..<\(firstRow + rows) outside 0...2³²−1")
        let philox = key.philoxKey
        try kernels.normals(into: d(out), rows: rows, columns: columns, firstRow: UInt32(firstRow), key: (philox.0, philox.1),
                            index: (UInt32(truncatingIfNeeded: key.index), UInt32(truncatingIfNeeded: key.index >> 32)),
                            zigguratX: zigguratX.pointer, zigguratFX: zigguratFX.pointer)
    }

    public func loadRows(_ x: BackendPointer<Double>, rows: Int, columns: Int, into input: BackendPointer<Scalar>, stride: Int) throws {
        try kernels.loadRows(d(x), rows: rows, columns: columns, into: d(input), stride: stride)
    }

    public func convert(_ x: BackendPointer<Double>, count: Int, into out: BackendPointer<Scalar>) throws {
        try kernels.convert(d(x), count: count, into: d(out))
    }

    public func tweedie(base: BackendPointer<Double>, baseScale: Double, correction: BackendPointer<Scalar>, count: Int, scale: Double, factor: Double,
                        into out: BackendPointer<Double>) throws {
        try kernels.tweedie(base: d(base), baseScale: baseScale, correction: d(correction), count: count, scale: scale, factor: factor, into: d(out))
    }

    public func lookaheadShift(denoised x0: BackendPointer<Double>, vjp v: BackendPointer<Double>, gradients g: BackendPointer<Double>,
                               targets y: BackendPointer<Double>, rows: Int, columns: Int, strength: LookaheadStrength, alpha: Double, h: Double) throws {
        let (rule, parameter) = strength.encoded
        try kernels.lookaheadShift(denoised: d(x0), vjp: d(v), gradients: d(g), targets: d(y), rows: rows, columns: columns, rule: rule,
                                   parameter: parameter, coefficient: strength.coefficient, alpha: alpha, h: h)
    }

    public func ddpmStep(x: BackendPointer<Double>, denoised x0: BackendPointer<Double>, noise: BackendPointer<Double>?, count: Int,
                         c1: Double, c2: Double, sd: Double) throws {
        try kernels.ddpmStep(x: d(x), denoised: d(x0), noise: noise.map { d($0) }, count: count, c1: c1, c2: c2, sd: sd)
    }

    public func diffuse(data x0: BackendPointer<Scalar>, noise: BackendPointer<Double>, steps: BackendPointer<Int32>, alphas: BackendPointer<Scalar>,
                        sigmas: BackendPointer<Scalar>, rows: Int, columns: Int, into input: BackendPointer<Scalar>, stride: Int) throws {
        try kernels.diffuse(data: d(x0), noise: d(noise), steps: d(steps), alphas: d(alphas), sigmas: d(sigmas), rows: rows, columns: columns,
                            into: d(input), stride: stride)
    }

    public func gatherRows(table: BackendPointer<Scalar>, indices: BackendPointer<Int32>, rows: Int, width: Int, into out: BackendPointer<Scalar>,
                           stride: Int) throws {
        try kernels.gatherRows(table: d(table), indices: d(indices), rows: rows, width: width, into: d(out), stride: stride)
    }

    public func exponentialAverage(_ average: BackendPointer<Scalar>, toward parameters: BackendPointer<Scalar>, count: Int, decay: Scalar,
                                   weight: Scalar) throws {
        try kernels.exponentialAverage(d(average), toward: d(parameters), count: count, decay: decay, weight: weight)
    }

    public func scoreResidual(output: BackendPointer<Scalar>, input: BackendPointer<Scalar>, stride: Int, steps: BackendPointer<Int32>,
                              skips: BackendPointer<Scalar>, outputScales: BackendPointer<Scalar>, noise: BackendPointer<Double>, rows: Int,
                              columns: Int, scale: Scalar, cotangent: BackendPointer<Scalar>, rowSquares: BackendPointer<Double>) throws {
        try kernels.scoreResidual(output: d(output), input: d(input), stride: stride, steps: d(steps), skips: d(skips), outputScales: d(outputScales),
                                  noise: d(noise), rows: rows, columns: columns, scale: scale, cotangent: d(cotangent), rowSquares: d(rowSquares))
    }
}
