import Foundation
import Testing
@testable import CUDADriver

/// Compiles the kernels with NVRTC, which needs no GPU: only `libnvrtc.so*` (on Debian bookworm, the
/// non-free package `libnvrtc11.2`). Skipped, with the reason, where NVRTC cannot be loaded.
@Suite(.enabled(if: NVRTCCompiler.unavailableReason == nil,
                Comment(rawValue: "NVRTC not loadable: \(NVRTCCompiler.unavailableReason ?? "")")))
struct NVRTCCompileTests {
    @Test("every kernel, Float and Double, compiles to PTX under the kernels' options")
    func compilesEveryKernel() throws {
        let nvrtc = try NVRTCCompiler()
        let options = CUDAKernelSource.options + [nvrtc.architectureOption(for: ComputeCapability(major: 9, minor: 0))]
        let ptx = try nvrtc.compile(source: CUDAKernelSource.text, name: CUDAKernelSource.programName, options: options)
        for symbol in CUDAKernel.allSymbols {
            #expect(ptx.contains(".entry \(symbol)("), "\(symbol) missing from the PTX")
        }
        // --fmad=false: no fused multiply-add (fma.rn.* is what contraction would emit) in any kernel but
        // the normals', whose rare wedge and tail draws call libdevice's exp and log (fused by design).
        for entry in ptx.components(separatedBy: ".entry ").dropFirst() where !entry.hasPrefix("ggd_normals(") {
            #expect(!entry.contains("fma.rn"), "\(entry.prefix(while: { $0 != "(" })) contains a fused multiply-add")
        }
    }

    @Test("NVRTC reports its version and the architectures it targets")
    func version() throws {
        let nvrtc = try NVRTCCompiler()
        #expect(nvrtc.version.major >= 10)
        let archs = nvrtc.supportedArchitectures
        if let newest = archs.last {
            // A device newer than this NVRTC gets the newest architecture it has (PTX is forward-compatible).
            #expect(nvrtc.architectureOption(for: ComputeCapability(major: 99, minor: 0)) == "--gpu-architecture=compute_\(newest)")
        }
    }

    @Test("a rejected program throws compilationFailed with NVRTC's log")
    func compileErrorCarriesLog() throws {
        let nvrtc = try NVRTCCompiler()
        #expect {
            _ = try nvrtc.compile(source: "extern \"C\" __global__ void broken(float *x) { x[0] = undeclared; }", name: "broken.cu")
        } throws: { error in
            guard let e = error as? CUDAError, case let .compilationFailed(program, log) = e else { return false }
            return program == "broken.cu" && log.contains("undeclared") && !e.description.contains("\n")
        }
    }
}
