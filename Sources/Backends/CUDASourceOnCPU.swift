import Compute
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import CUDADriver
import LinearAlgebra
import Randomness
import ScoreNetwork

/// The CUDA kernels' source built as a C++ shared library for this CPU, once per distinct program
/// (the program differs only when mutation testing has switched a fault on, `CUDAKernelSource.text`).
public enum CUDASourceLibrary {
    nonisolated(unsafe) private static var built: [String: Result<UnsafeMutableRawPointer, BackendError>] = [:]
    private static let lock = NSLock()

    /// Why the source cannot be built here (no clang++, or it failed), or nil.
    public static var unavailableReason: String? {
        if case let .failure(error) = handle(for: CUDAKernelSource.text) { return error.description }
        return nil
    }

    /// The loaded library of `source` (a `dlopen` handle), built on first use.
    static func handle(for source: String) -> Result<UnsafeMutableRawPointer, BackendError> {
        lock.lock()
        defer { lock.unlock() }
        if let h = built[source] { return h }
        let h = Result { try build(source) }.mapError { $0 as? BackendError ?? .unavailable("\($0)") }
        built[source] = h
        return h
    }

    /// Compiles the source into a temporary shared library and loads it (the files are removed after).
    static func build(_ text: String) throws -> UnsafeMutableRawPointer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ggd-cuda-source-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("kernels.cpp"), library = folder.appendingPathComponent("libkernels.so")
        try (prelude + text).write(to: source, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // No contraction, as NVRTC's --fmad=false; IEEE float and double throughout (x86-64 SSE).
        process.arguments = ["clang++", "-std=c++11", "-O1", "-ffp-contract=off", "-fPIC", "-shared", "-w", source.path, "-o", library.path]
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch { throw BackendError.unavailable("clang++ could not be started: \(error)") }
        let log = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BackendError.unavailable("clang++ could not build the kernels as C++: " + (String(data: log, encoding: .utf8) ?? ""))
        }
        guard let handle = dlopen(library.path, RTLD_NOW | RTLD_LOCAL) else { throw BackendError.unavailable("dlopen: \(String(cString: dlerror()))") }
        return handle
    }

    static let prelude = """
        #include <cmath>
        #include <cstring>
        #define __global__
        #define __device__
        #define __forceinline__ inline
        struct ggd_emulated_dim3 { unsigned x, y, z; };
        static const ggd_emulated_dim3 blockIdx = {0, 0, 0}, threadIdx = {0, 0, 0}, blockDim = {1, 1, 1}, gridDim = {1, 1, 1};
        static inline unsigned __float_as_uint(float f) { unsigned u; std::memcpy(&u, &f, 4); return u; }
        static inline float __uint_as_float(unsigned u) { float f; std::memcpy(&f, &u, 4); return f; }
        static inline long long __double_as_longlong(double d) { long long u; std::memcpy(&u, &d, 8); return u; }
        static inline double __longlong_as_double(long long u) { double d; std::memcpy(&d, &u, 8); return d; }
        using std::sqrt; using std::exp; using std::log;

        """
}

/// The CUDA kernels' source compiled as plain C++ for this CPU (one "thread": block and grid of one, so
/// every grid-stride loop runs whole) and loaded with dlopen: the kernels' arithmetic can then be held
/// against the host kernels without a GPU. The products stay on OpenBLAS; every other kernel of the
/// seam is the CUDA source's.
public final class CUDASourceOnCPU<Scalar: BLASScalar>: SamplerBackend {
    let library: UnsafeMutableRawPointer

    /// Builds (or reuses) the library of the current program; throws when clang++ is missing.
    public init() throws {
        library = try CUDASourceLibrary.handle(for: CUDAKernelSource.text).get()
        siluFirstK = try Self.symbol(library, "ggd_silu_first" + Self.suffix)
        siluResidualK = try Self.symbol(library, "ggd_silu_residual" + Self.suffix)
        addBiasK = try Self.symbol(library, "ggd_add_bias" + Self.suffix)
        multiplyK = try Self.symbol(library, "ggd_multiply" + Self.suffix)
        columnSumsK = try Self.symbol(library, "ggd_column_sums" + Self.suffix)
        adamAddress = try Self.symbol(library, "ggd_adam_update" + Self.suffix)
        averageAddress = try Self.symbol(library, "ggd_exponential_average" + Self.suffix)
        ddpmK = try Self.symbol(library, "ggd_ddpm_step_f64")
        loadRowsK = try Self.symbol(library, "ggd_load_rows" + Self.suffix)
        convertK = try Self.symbol(library, "ggd_convert" + Self.suffix)
        tweedieK = try Self.symbol(library, "ggd_tweedie" + Self.suffix)
        diffuseK = try Self.symbol(library, "ggd_diffuse" + Self.suffix)
        gatherK = try Self.symbol(library, "ggd_gather_rows" + Self.suffix)
        residualAddress = try Self.symbol(library, "ggd_score_residual" + Self.suffix)
        shiftK = try Self.symbol(library, "ggd_lookahead_shift")
        normalsK = try Self.symbol(library, "ggd_normals")
    }

    typealias SP = UnsafeMutablePointer<Scalar>
    typealias DP = UnsafeMutablePointer<Double>
    typealias IP = UnsafeMutablePointer<Int32>
    typealias RP = UnsafeMutableRawPointer
    static var suffix: String { Scalar.self == Float.self ? "_f32" : "_f64" }
    let host = HostKernels<Scalar>(.openBLAS)
    // Kernels whose only Scalar-typed arguments are pointers are called through raw pointers, so one
    // function type serves both precisions; those taking Scalar values get one type per precision.
    let siluFirstK: (@convention(c) (RP, RP, RP, Int32, Int32) -> Void)
    let siluResidualK: (@convention(c) (RP, RP, RP, RP, RP, Int32, Int32) -> Void)
    let addBiasK: (@convention(c) (RP, RP, Int32, Int32) -> Void)
    let multiplyK: (@convention(c) (RP, RP, RP, Int32) -> Void)
    let columnSumsK: (@convention(c) (RP, Int32, Int32, RP, Int32) -> Void)
    let adamAddress: RP
    let averageAddress: RP
    let ddpmK: (@convention(c) (DP, DP, DP?, Int32, Double, Double, Double) -> Void)
    let loadRowsK: (@convention(c) (DP, Int32, Int32, RP, Int32) -> Void)
    let convertK: (@convention(c) (DP, Int32, RP) -> Void)
    let tweedieK: (@convention(c) (DP, Double, RP, Int32, Double, Double, DP) -> Void)
    let diffuseK: (@convention(c) (RP, DP, IP, RP, RP, Int32, Int32, RP, Int32) -> Void)
    let gatherK: (@convention(c) (RP, IP, Int32, Int32, RP, Int32) -> Void)
    let residualAddress: RP
    let shiftK: (@convention(c) (DP, DP, DP, DP, Int32, Int32, Int32, Double, Double, Double, Double) -> Void)
    let normalsK: (@convention(c) (DP, Int32, Int32, UInt32, UInt32, UInt32, UInt32, UInt32, DP, DP) -> Void)
    let zx = Ziggurat.x, zfx = Ziggurat.fx

    static func symbol<F>(_ library: UnsafeMutableRawPointer, _ name: String) throws -> F {
        guard let p = dlsym(library, name) else { throw BackendError.unavailable("the CUDA source built for the CPU lacks \(name)") }
        return unsafeBitCast(p, to: F.self)
    }

    @inline(__always) func r(_ p: BackendPointer<Scalar>) -> RP { RP(p.host) }

    public var name: String { "cuda-source-on-cpu-\(Scalar.self == Float.self ? "float" : "double") (the CUDA kernels compiled as C++, one thread)" }
    public func allocate<T: BitwiseCopyable>(_ t: T.Type, count: Int) -> BackendArray<T> { host.allocate(t, count: count) }
    public func upload<T: BitwiseCopyable>(_ s: UnsafeBufferPointer<T>, to d: BackendPointer<T>) { host.upload(s, to: d) }
    public func download<T: BitwiseCopyable>(_ s: BackendPointer<T>, into d: UnsafeMutableBufferPointer<T>) { host.download(s, into: d) }
    public func copy<T: BitwiseCopyable>(_ s: BackendPointer<T>, to d: BackendPointer<T>, count: Int) { host.copy(s, to: d, count: count) }
    public func synchronize() {}
    public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Scalar, a: BackendPointer<Scalar>, lda: Int, b: BackendPointer<Scalar>, ldb: Int,
              beta: Scalar, c: BackendPointer<Scalar>, ldc: Int) {
        host.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
    public func gemv(m: Int, n: Int, alpha: Scalar, a: BackendPointer<Scalar>, lda: Int, x: BackendPointer<Scalar>, beta: Scalar, y: BackendPointer<Scalar>) {
        host.gemv(m: m, n: n, alpha: alpha, a: a, lda: lda, x: x, beta: beta, y: y)
    }
    public func siluFirst(_ h: BackendPointer<Scalar>, bias: BackendPointer<Scalar>, derivative: BackendPointer<Scalar>, rows: Int, width: Int) {
        siluFirstK(r(h), r(bias), r(derivative), Int32(rows), Int32(width))
    }
    public func siluResidual(pre: BackendPointer<Scalar>, bias: BackendPointer<Scalar>, previous: BackendPointer<Scalar>, next: BackendPointer<Scalar>,
                      derivative: BackendPointer<Scalar>, rows: Int, width: Int) {
        siluResidualK(r(pre), r(bias), r(previous), r(next), r(derivative), Int32(rows), Int32(width))
    }
    public func addBias(_ out: BackendPointer<Scalar>, bias: BackendPointer<Scalar>, rows: Int, width: Int) { addBiasK(r(out), r(bias), Int32(rows), Int32(width)) }
    public func multiply(_ a: BackendPointer<Scalar>, _ b: BackendPointer<Scalar>, into out: BackendPointer<Scalar>, count: Int) {
        multiplyK(r(a), r(b), r(out), Int32(count))
    }
    public func columnSums(_ m: BackendPointer<Scalar>, rows: Int, width: Int, into sums: BackendPointer<Scalar>, accumulate: Bool) {
        columnSumsK(r(m), Int32(rows), Int32(width), r(sums), accumulate ? 1 : 0)
    }
    public func adamUpdate(parameters: BackendPointer<Scalar>, gradient: BackendPointer<Scalar>, firstMoment: BackendPointer<Scalar>, secondMoment: BackendPointer<Scalar>,
                    count: Int, stepSize: Scalar, sqrtCorrection2: Scalar, c1: Scalar, beta2: Scalar, c2: Scalar, epsilon: Scalar) {
        let (p, g, m, v, n) = (r(parameters), r(gradient), r(firstMoment), r(secondMoment), Int32(count))
        if Scalar.self == Float.self {
            let f = unsafeBitCast(adamAddress, to: (@convention(c) (RP, RP, RP, RP, Int32, Float, Float, Float, Float, Float, Float) -> Void).self)
            f(p, g, m, v, n, stepSize as! Float, sqrtCorrection2 as! Float, c1 as! Float, beta2 as! Float, c2 as! Float, epsilon as! Float)
        } else {
            let f = unsafeBitCast(adamAddress, to: (@convention(c) (RP, RP, RP, RP, Int32, Double, Double, Double, Double, Double, Double) -> Void).self)
            f(p, g, m, v, n, stepSize as! Double, sqrtCorrection2 as! Double, c1 as! Double, beta2 as! Double, c2 as! Double, epsilon as! Double)
        }
    }
    public func fillNormals(_ out: BackendPointer<Double>, rows: Int, columns: Int, key: StreamKey, firstRow: Int) {
        var (x, fx) = (zx, zfx)
        let philox = key.philoxKey
        normalsK(out.host, Int32(rows), Int32(columns), UInt32(firstRow), philox.0, philox.1, UInt32(truncatingIfNeeded: key.index),
                 UInt32(truncatingIfNeeded: key.index >> 32), &x, &fx)
    }
    public func loadRows(_ x: BackendPointer<Double>, rows: Int, columns: Int, into input: BackendPointer<Scalar>, stride: Int) {
        loadRowsK(x.host, Int32(rows), Int32(columns), r(input), Int32(stride))
    }
    public func convert(_ x: BackendPointer<Double>, count: Int, into out: BackendPointer<Scalar>) { convertK(x.host, Int32(count), r(out)) }
    public func tweedie(base: BackendPointer<Double>, baseScale: Double, correction: BackendPointer<Scalar>, count: Int, scale: Double, factor: Double,
                        into out: BackendPointer<Double>) {
        tweedieK(base.host, baseScale, r(correction), Int32(count), scale, factor, out.host)
    }
    public func lookaheadShift(denoised x0: BackendPointer<Double>, vjp v: BackendPointer<Double>, gradients g: BackendPointer<Double>, targets y: BackendPointer<Double>,
                        rows: Int, columns: Int, strength: LookaheadStrength, alpha: Double, h: Double) {
        let (rule, parameter) = strength.encoded
        shiftK(x0.host, v.host, g.host, y.host, Int32(rows), Int32(columns), rule, parameter, strength.coefficient, alpha, h)
    }
    public func ddpmStep(x: BackendPointer<Double>, denoised x0: BackendPointer<Double>, noise: BackendPointer<Double>?, count: Int, c1: Double, c2: Double, sd: Double) {
        ddpmK(x.host, x0.host, noise?.host, Int32(count), c1, c2, sd)
    }
    public func diffuse(data x0: BackendPointer<Scalar>, noise: BackendPointer<Double>, steps: BackendPointer<Int32>, alphas: BackendPointer<Scalar>,
                 sigmas: BackendPointer<Scalar>, rows: Int, columns: Int, into input: BackendPointer<Scalar>, stride: Int) {
        diffuseK(r(x0), noise.host, steps.host, r(alphas), r(sigmas), Int32(rows), Int32(columns), r(input), Int32(stride))
    }
    public func gatherRows(table: BackendPointer<Scalar>, indices: BackendPointer<Int32>, rows: Int, width: Int, into out: BackendPointer<Scalar>, stride: Int) {
        gatherK(r(table), indices.host, Int32(rows), Int32(width), r(out), Int32(stride))
    }
    public func exponentialAverage(_ average: BackendPointer<Scalar>, toward parameters: BackendPointer<Scalar>, count: Int, decay: Scalar,
                                   weight: Scalar) {
        if Scalar.self == Float.self {
            let f = unsafeBitCast(averageAddress, to: (@convention(c) (RP, RP, Int32, Float, Float) -> Void).self)
            f(r(average), r(parameters), Int32(count), decay as! Float, weight as! Float)
        } else {
            let f = unsafeBitCast(averageAddress, to: (@convention(c) (RP, RP, Int32, Double, Double) -> Void).self)
            f(r(average), r(parameters), Int32(count), decay as! Double, weight as! Double)
        }
    }

    public func scoreResidual(output: BackendPointer<Scalar>, input: BackendPointer<Scalar>, stride: Int, steps: BackendPointer<Int32>,
                              skips: BackendPointer<Scalar>, outputScales: BackendPointer<Scalar>, noise: BackendPointer<Double>, rows: Int,
                              columns: Int, scale: Scalar, cotangent: BackendPointer<Scalar>, rowSquares: BackendPointer<Double>) {
        if Scalar.self == Float.self {
            let f = unsafeBitCast(residualAddress, to: (@convention(c) (RP, RP, Int32, IP, RP, RP, DP, Int32, Int32, Float, RP, DP) -> Void).self)
            f(r(output), r(input), Int32(stride), steps.host, r(skips), r(outputScales), noise.host, Int32(rows), Int32(columns), scale as! Float,
              r(cotangent), rowSquares.host)
        } else {
            let f = unsafeBitCast(residualAddress, to: (@convention(c) (RP, RP, Int32, IP, RP, RP, DP, Int32, Int32, Double, RP, DP) -> Void).self)
            f(r(output), r(input), Int32(stride), steps.host, r(skips), r(outputScales), noise.host, Int32(rows), Int32(columns), scale as! Double,
              r(cotangent), rowSquares.host)
        }
    }
}
