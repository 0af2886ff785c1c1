import Compute
import Foundation
import LinearAlgebra
import Testing
@testable import ScoreNetwork
@testable import Compute

/// Timings of the hot paths (run with SCORENETWORK_BENCH=1; skipped otherwise). Prints per-call times
/// for Float and Double, batch 32, D = 64, mlp-512x4, against the BLAS-only time of the same gemm
/// sequence (the element-wise overhead) and an unspecialised generic call (what specialisation saves).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SCORENETWORK_BENCH"] != nil))
struct BenchmarkTests {
    /// Median over `repeats` runs of the mean time per call of `calls` calls, in milliseconds.
    static func time(calls: Int = 50, repeats: Int = 15, _ body: () -> Void) -> Double {
        for _ in 0..<5 { body() }
        var samples: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<repeats {
            let start = clock.now
            for _ in 0..<calls { body() }
            let d = clock.now - start
            samples.append((Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18) * 1e3 / Double(calls))
        }
        return samples.sorted()[repeats / 2]
    }

    @_semantics("optimize.sil.specialize.generic.never")
    @inline(never)
    static func unspecialisedForward<S: BLASScalar>(_ net: EpsilonNetwork<S>, _ x: Matrix<S>, _ ws: NetworkWorkspace<S>, _ out: inout Matrix<S>) {
        net.forward(x, step: 100, workspace: ws, into: &out)
    }

    static func run<S: BLASScalar>(_: S.Type) throws -> String {
        let (B, D) = (32, 64)
        let a = try NetworkArchitecture.mlp512x4(dimension: D)
        let net = EpsilonNetwork<S>(architecture: a, seed: 1)
        let ws = net.makeWorkspace(maximumBatch: B)
        let x = normalMatrix(rows: B, columns: D, seed: 1).converted(to: S.self)
        let v = normalMatrix(rows: B, columns: D, seed: 2).converted(to: S.self)
        var out = Matrix<S>(rows: B, columns: D), vjp = out
        var grad = [S](repeating: 0, count: net.parameterCount)
        let forward = time { net.forward(x, step: 100, workspace: ws, into: &out) }
        let forwardVJP = time {
            net.forward(x, step: 100, workspace: ws, into: &out)
            net.inputVJP(cotangent: v, workspace: ws, into: &vjp)
        }
        let forwardGrad = time {
            net.forward(x, step: 100, workspace: ws, into: &out)
            net.parameterGradient(cotangent: v, workspace: ws, into: &grad)
        }
        let unspecialised = time(calls: 5, repeats: 5) { unspecialisedForward(net, x, ws, &out) }
        // The forward pass's gemms alone, same shapes and buffers.
        let (W, Din) = (a.width, a.inputWidth)
        let blasOnly = time {
            net.parameters.withUnsafeBufferPointer { pb in
                let p = pb.baseAddress!
                S.gemm(transA: false, transB: true, m: B, n: W, k: Din, alpha: 1, a: ws.input, lda: Din, b: p, ldb: Din,
                       beta: 0, c: ws.activation(0), ldc: W)
                for k in 1...3 {
                    S.gemm(transA: false, transB: true, m: B, n: W, k: W, alpha: 1, a: ws.activation(k - 1), lda: W,
                           b: p + a.hiddenWeightOffset(k), ldb: W, beta: 0, c: ws.scratch, ldc: W)
                }
                S.gemm(transA: false, transB: true, m: B, n: D, k: W, alpha: 1, a: ws.activation(3), lda: W,
                       b: p + a.outputWeightOffset, ldb: W, beta: 0, c: ws.outputStage, ldc: D)
            }
        }
        // The element-wise work of a forward pass alone (four SiLU layers).
        let elementwise = time {
            net.parameters.withUnsafeBufferPointer { pb in
                let p = pb.baseAddress!
                for k in 0...3 {
                    Kernels.siluResidual(pre: ws.scratch, bias: p + a.hiddenBiasOffset(k), previous: ws.activation(0),
                                         next: ws.activation(1), derivative: ws.derivative(k), rows: B, width: W)
                }
            }
        }
        // One 32×512×512 product (C = A·Bᵀ, as in the hidden layers).
        let square = time(calls: 200) {
            net.parameters.withUnsafeBufferPointer { pb in
                S.gemm(transA: false, transB: true, m: 32, n: 512, k: 512, alpha: 1, a: ws.activation(0), lda: 512,
                       b: pb.baseAddress! + a.hiddenWeightOffset(1), ldb: 512, beta: 0, c: ws.scratch, ldc: 512)
            }
        }
        var adam = try Adam<S>(parameterCount: net.parameterCount, learningRate: 1e-6)
        var parameters = net.parameters
        let adamStep = time { adam.update(&parameters, gradient: grad) }
        let gflops = 2.0 * 32 * 512 * 512 / (square * 1e-3) / 1e9
        let forwardFlops = 2.0 * Double(B) * Double(Din * W + 3 * W * W + W * D)
        func ms(_ t: Double) -> String { String(format: "%.3f ms", t) }
        return """
        \(S.dtypeName), batch \(B), D \(D), \(a.name) (\(a.parameterCount) parameters), OpenBLAS core \(BLASRuntime.coreName), \(BLASRuntime.threadCount) thread(s):
          forward                      \(ms(forward))  (\(String(format: "%.1f", forwardFlops / (forward * 1e-3) / 1e9)) GFLOP/s)
          forward + input VJP          \(ms(forwardVJP))
          forward + parameter backward \(ms(forwardGrad))
          forward gemms alone (BLAS)   \(ms(blasOnly))  → element-wise and glue \(ms(forward - blasOnly))
          SiLU layers alone            \(ms(elementwise))
          forward, unspecialised       \(ms(unspecialised))
          Adam step (all parameters)   \(ms(adamStep))
          gemm 32×512×512              \(ms(square))  = \(String(format: "%.1f", gflops)) GFLOP/s
        """
    }

    @Test func timings() throws {
        print(try Self.run(Float.self))
        print(try Self.run(Double.self))
    }
}
