import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Backends
import CUDABackend
import LinearAlgebra
import Randomness
import ScoreNetwork

/// The CUDA kernels' source compiled as plain C++ for this CPU (one "thread": block and grid of one, so
/// every grid-stride loop runs whole) and loaded with dlopen: the kernels' arithmetic can then be held
/// against the host kernels without a GPU. The products stay on OpenBLAS; every other kernel of the
/// seam is the CUDA source's.
final class EmulatedCUDAKernels: SamplerBackend {
    typealias Scalar = Float

    /// Why the source cannot be built here (no clang++), or nil.
    nonisolated(unsafe) static var unavailableReason: String? = { do { _ = try library(); return nil } catch { return "\(error)" } }()

    /// Compiles the source once per process into a temporary shared library.
    static func library() throws -> UnsafeMutableRawPointer {
        if let handle = compiled { return handle }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ggd-emulated-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = folder.appendingPathComponent("kernels.cpp"), library = folder.appendingPathComponent("libkernels.so")
        try (prelude + CUDAKernelSource.text).write(to: source, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // No contraction, as NVRTC's --fmad=false; IEEE float and double throughout (x86-64 SSE).
        process.arguments = ["clang++", "-std=c++11", "-O1", "-ffp-contract=off", "-fPIC", "-shared", "-w", source.path, "-o", library.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BackendError.unavailable("clang++ could not build the kernels as C++: " + (String(data: errors.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) ?? ""))
        }
        guard let handle = dlopen(library.path, RTLD_NOW) else { throw BackendError.unavailable("dlopen: \(String(cString: dlerror()))") }
        compiled = handle
        return handle
    }
    nonisolated(unsafe) static var compiled: UnsafeMutableRawPointer?

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

    static func symbol<F>(_ name: String, as _: F.Type) -> F {
        guard let handle = try? library(), let p = dlsym(handle, name) else { fatalError("the emulated kernels lack \(name)") }
        return unsafeBitCast(p, to: F.self)
    }

    typealias FP = UnsafeMutablePointer<Float>
    typealias DP = UnsafeMutablePointer<Double>
    typealias IP = UnsafeMutablePointer<Int32>
    let host = HostKernels<Float>(.openBLAS)
    let siluFirstK = symbol("ggd_silu_first_f32", as: (@convention(c) (FP, FP, FP, Int32, Int32) -> Void).self)
    let siluResidualK = symbol("ggd_silu_residual_f32", as: (@convention(c) (FP, FP, FP, FP, FP, Int32, Int32) -> Void).self)
    let addBiasK = symbol("ggd_add_bias_f32", as: (@convention(c) (FP, FP, Int32, Int32) -> Void).self)
    let multiplyK = symbol("ggd_multiply_f32", as: (@convention(c) (FP, FP, FP, Int32) -> Void).self)
    let columnSumsK = symbol("ggd_column_sums_f32", as: (@convention(c) (FP, Int32, Int32, FP, Int32) -> Void).self)
    let adamK = symbol("ggd_adam_update_f32", as: (@convention(c) (FP, FP, FP, FP, Int32, Float, Float, Float, Float, Float, Float) -> Void).self)
    let ddpmK = symbol("ggd_ddpm_step_f64", as: (@convention(c) (DP, DP, DP?, Int32, Double, Double, Double) -> Void).self)
    let loadRowsK = symbol("ggd_load_rows_f32", as: (@convention(c) (DP, Int32, Int32, FP, Int32) -> Void).self)
    let convertK = symbol("ggd_convert_f32", as: (@convention(c) (DP, Int32, FP) -> Void).self)
    let tweedieK = symbol("ggd_tweedie_f32", as: (@convention(c) (DP, FP, Int32, Double, Double, DP) -> Void).self)
    let diffuseK = symbol("ggd_diffuse_f32", as: (@convention(c) (FP, DP, IP, FP, FP, Int32, Int32, FP, Int32) -> Void).self)
    let gatherK = symbol("ggd_gather_rows_f32", as: (@convention(c) (FP, IP, Int32, Int32, FP, Int32) -> Void).self)
    let residualK = symbol("ggd_score_residual_f32", as: (@convention(c) (FP, DP, Int32, Int32, Float, FP, DP) -> Void).self)
    let shiftK = symbol("ggd_lookahead_shift", as: (@convention(c) (DP, DP, DP, DP, Int32, Int32, Int32, Double, Double, Double, Double) -> Void).self)
    let normalsK = symbol("ggd_normals", as: (@convention(c) (DP, Int32, Int32, UInt32, UInt32, UInt32, UInt32, UInt32, DP, DP) -> Void).self)
    let zx = Ziggurat.x, zfx = Ziggurat.fx

    var name: String { "CUDA kernel source compiled as C++ (emulated, one thread)" }
    func allocate<T: BitwiseCopyable>(_ t: T.Type, count: Int) -> BackendArray<T> { host.allocate(t, count: count) }
    func upload<T: BitwiseCopyable>(_ s: UnsafeBufferPointer<T>, to d: BackendPointer<T>) { host.upload(s, to: d) }
    func download<T: BitwiseCopyable>(_ s: BackendPointer<T>, into d: UnsafeMutableBufferPointer<T>) { host.download(s, into: d) }
    func copy<T: BitwiseCopyable>(_ s: BackendPointer<T>, to d: BackendPointer<T>, count: Int) { host.copy(s, to: d, count: count) }
    func synchronize() {}
    func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: BackendPointer<Float>, lda: Int, b: BackendPointer<Float>, ldb: Int,
              beta: Float, c: BackendPointer<Float>, ldc: Int) {
        host.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
    func gemv(m: Int, n: Int, alpha: Float, a: BackendPointer<Float>, lda: Int, x: BackendPointer<Float>, beta: Float, y: BackendPointer<Float>) {
        host.gemv(m: m, n: n, alpha: alpha, a: a, lda: lda, x: x, beta: beta, y: y)
    }
    func siluFirst(_ h: BackendPointer<Float>, bias: BackendPointer<Float>, derivative: BackendPointer<Float>, rows: Int, width: Int) {
        siluFirstK(h.host, bias.host, derivative.host, Int32(rows), Int32(width))
    }
    func siluResidual(pre: BackendPointer<Float>, bias: BackendPointer<Float>, previous: BackendPointer<Float>, next: BackendPointer<Float>,
                      derivative: BackendPointer<Float>, rows: Int, width: Int) {
        siluResidualK(pre.host, bias.host, previous.host, next.host, derivative.host, Int32(rows), Int32(width))
    }
    func addBias(_ out: BackendPointer<Float>, bias: BackendPointer<Float>, rows: Int, width: Int) { addBiasK(out.host, bias.host, Int32(rows), Int32(width)) }
    func multiply(_ a: BackendPointer<Float>, _ b: BackendPointer<Float>, into out: BackendPointer<Float>, count: Int) {
        multiplyK(a.host, b.host, out.host, Int32(count))
    }
    func columnSums(_ m: BackendPointer<Float>, rows: Int, width: Int, into sums: BackendPointer<Float>, accumulate: Bool) {
        columnSumsK(m.host, Int32(rows), Int32(width), sums.host, accumulate ? 1 : 0)
    }
    func adamUpdate(parameters: BackendPointer<Float>, gradient: BackendPointer<Float>, firstMoment: BackendPointer<Float>, secondMoment: BackendPointer<Float>,
                    count: Int, stepSize: Float, sqrtCorrection2: Float, c1: Float, beta2: Float, c2: Float, epsilon: Float) {
        adamK(parameters.host, gradient.host, firstMoment.host, secondMoment.host, Int32(count), stepSize, sqrtCorrection2, c1, beta2, c2, epsilon)
    }
    func fillNormals(_ out: BackendPointer<Double>, rows: Int, columns: Int, key: StreamKey, firstRow: Int) {
        var (x, fx) = (zx, zfx)
        let philox = key.philoxKey
        normalsK(out.host, Int32(rows), Int32(columns), UInt32(firstRow), philox.0, philox.1, UInt32(truncatingIfNeeded: key.index),
                 UInt32(truncatingIfNeeded: key.index >> 32), &x, &fx)
    }
    func loadRows(_ x: BackendPointer<Double>, rows: Int, columns: Int, into input: BackendPointer<Float>, stride: Int) {
        loadRowsK(x.host, Int32(rows), Int32(columns), input.host, Int32(stride))
    }
    func convert(_ x: BackendPointer<Double>, count: Int, into out: BackendPointer<Float>) { convertK(x.host, Int32(count), out.host) }
    func tweedie(base: BackendPointer<Double>, correction: BackendPointer<Float>, count: Int, scale: Double, factor: Double, into out: BackendPointer<Double>) {
        tweedieK(base.host, correction.host, Int32(count), scale, factor, out.host)
    }
    func lookaheadShift(denoised x0: BackendPointer<Double>, vjp v: BackendPointer<Double>, gradients g: BackendPointer<Double>, targets y: BackendPointer<Double>,
                        rows: Int, columns: Int, strength: LookaheadStrength, alpha: Double, h: Double) {
        let (rule, parameter) = strength.encoded
        shiftK(x0.host, v.host, g.host, y.host, Int32(rows), Int32(columns), rule, parameter, strength.coefficient, alpha, h)
    }
    func ddpmStep(x: BackendPointer<Double>, denoised x0: BackendPointer<Double>, noise: BackendPointer<Double>?, count: Int, c1: Double, c2: Double, sd: Double) {
        ddpmK(x.host, x0.host, noise?.host, Int32(count), c1, c2, sd)
    }
    func diffuse(data x0: BackendPointer<Float>, noise: BackendPointer<Double>, steps: BackendPointer<Int32>, alphas: BackendPointer<Float>,
                 sigmas: BackendPointer<Float>, rows: Int, columns: Int, into input: BackendPointer<Float>, stride: Int) {
        diffuseK(x0.host, noise.host, steps.host, alphas.host, sigmas.host, Int32(rows), Int32(columns), input.host, Int32(stride))
    }
    func gatherRows(table: BackendPointer<Float>, indices: BackendPointer<Int32>, rows: Int, width: Int, into out: BackendPointer<Float>, stride: Int) {
        gatherK(table.host, indices.host, Int32(rows), Int32(width), out.host, Int32(stride))
    }
    func scoreResidual(output: BackendPointer<Float>, noise: BackendPointer<Double>, rows: Int, columns: Int, scale: Float,
                       cotangent: BackendPointer<Float>, rowSquares: BackendPointer<Double>) {
        residualK(output.host, noise.host, Int32(rows), Int32(columns), scale, cotangent.host, rowSquares.host)
    }
}
