import Compute
import Foundation
import Testing
@testable import Crosscheck
import ScoreNetwork
import Backends
import CUDADriver

/// The cross-check's rules and its reference backend.
@Suite struct CrosscheckTests {
    @Test func toleranceTableStartsFromPyTorchAndExplainsEveryWidening() {
        #expect(ToleranceTable.floatDefault.rtol == 1.3e-6 && ToleranceTable.floatDefault.atol == 1e-5)
        #expect(ToleranceTable.doubleDefault.rtol == 1e-7)
        for name in BackendCrosscheck.checkNames {
            let e = ToleranceTable.entry(check: name, dtype: "float")
            #expect(!e.reason.isEmpty)
            #expect(e.rtol >= ToleranceTable.floatDefault.rtol)
            #expect(ToleranceTable.entry(check: name, dtype: "double") == ToleranceTable.doubleDefault)
        }
    }

    @Test func comparisonFollowsAssertCloseAndFailsOnNaN() {
        let t = ToleranceTable.Entry(rtol: 1e-3, atol: 1e-6, reason: "test")
        #expect(BackendCrosscheck.compare("x", [1.0009, 2], [1, 2], tolerance: t).passed)
        #expect(!BackendCrosscheck.compare("x", [1.0011, 2], [1, 2], tolerance: t).passed)
        #expect(!BackendCrosscheck.compare("x", [.nan, 2], [1, 2], tolerance: t).passed)
        #expect(!BackendCrosscheck.compare("x", [1], [1, 2], tolerance: t).passed)
    }

    /// The reference backend's gemm and SiLU are the definitions; OpenBLAS agrees in Double.
    @Test func referenceKernelsAgreeWithOpenBLASInDouble() {
        let (m, n, k) = (5, 7, 9)
        let a = (0..<(m * k)).map { sin(Double($0)) }, b = (0..<(n * k)).map { cos(Double($0) * 0.7) }
        var c1 = [Double](repeating: 0, count: m * n), c2 = c1
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in
            c1.withUnsafeMutableBufferPointer { cp in
                NetworkKernelProbe.gemm(.reference, transA: false, transB: true, m: m, n: n, k: k, a: ap.baseAddress!, lda: k, b: bp.baseAddress!, ldb: k, c: cp.baseAddress!, ldc: n)
            }
            c2.withUnsafeMutableBufferPointer { cp in
                NetworkKernelProbe.gemm(.openBLAS, transA: false, transB: true, m: m, n: n, k: k, a: ap.baseAddress!, lda: k, b: bp.baseAddress!, ldb: k, c: cp.baseAddress!, ldc: n)
            }
        } }
        for i in 0..<(m * n) { #expect(abs(c1[i] - c2[i]) < 1e-12) }
        var n1 = [Double](), d1 = [Double](), n2 = [Double](), d2 = [Double]()
        let pre = (0..<(m * n)).map { 3 * sin(Double($0)) }, bias = (0..<n).map { Double($0) / 10 }, prev = pre.map { $0 / 2 }
        NetworkKernelProbe.siluResidual(.reference, pre: pre, bias: bias, previous: prev, next: &n1, derivative: &d1, rows: m, width: n)
        NetworkKernelProbe.siluResidual(.openBLAS, pre: pre, bias: bias, previous: prev, next: &n2, derivative: &d2, rows: m, width: n)
        for i in 0..<(m * n) { #expect(abs(n1[i] - n2[i]) < 1e-14 && abs(d1[i] - d2[i]) < 1e-14) }
    }

    @Test func regressionsAgainstABaseline() {
        func report(_ violation: Double, passed: Bool) -> BackendReport {
            BackendReport(backend: "b", dtype: "float", available: true, unavailableReason: nil, openBLASCore: "c", recommendedCore: nil,
                          blasThreads: 1, cpu: "cpu", toolVersion: "t",
                          checks: [CheckResult(name: "k", elements: 1, maxAbsoluteError: 0, maxRelativeError: 0, violation: violation,
                                               rtol: 1, atol: 1, passed: passed, note: "")])
        }
        #expect(report(0.02, passed: true).regressions(against: report(0.01, passed: true)).isEmpty)
        #expect(!report(0.5, passed: true).regressions(against: report(0.01, passed: true)).isEmpty)
        #expect(!report(2, passed: false).regressions(against: report(0.5, passed: true)).isEmpty)
        var missing = report(0.01, passed: true)
        missing.checks = []
        #expect(!missing.regressions(against: report(0.01, passed: true)).isEmpty)
    }

    @Test func unavailableBackendsSayWhy() throws {
        let cuda = try #require(BackendSpec.known.first { $0.choice == .cudaFloat })
        #expect((cuda.unavailable == nil) == CUDARuntime.probe().isAvailable)
        #expect(BackendChoice(rawValue: "tpu") == nil)
    }

    /// The CUDA backends compute every check through the seam (`residentOutputs`); on a host backend that
    /// path must give exactly the CPU path's numbers, so the cross-check's CUDA code is exercised here.
    @Test("every check computed through the resident seam on OpenBLAS equals the CPU path bit for bit", arguments: ["float", "double"])
    func residentPathEqualsCPUPath(dtype: String) throws {
        let (resident, cpu) = dtype == "float"
            ? (try BackendCrosscheck.residentOutputs(HostKernels<Float>(.openBLAS), seed: 7), try BackendCrosscheck.outputs(.openBLAS, Float.self, seed: 7))
            : (try BackendCrosscheck.residentOutputs(HostKernels<Double>(.openBLAS), seed: 7), try BackendCrosscheck.outputs(.openBLAS, Double.self, seed: 7))
        #expect(Set(resident.keys) == Set(BackendCrosscheck.checkNames))
        for name in BackendCrosscheck.checkNames {
            let (a, b) = (resident[name] ?? [], cpu[name] ?? [])
            #expect(a.count == b.count && !a.isEmpty, "\(name): \(a.count) vs \(b.count) values")
            #expect(a == b, "\(name): max |Δ| \(zip(a, b).map { abs($0 - $1) }.max() ?? 0)")
        }
    }
}
