import Foundation
import LinearAlgebra

/// Picks a correct OpenBLAS kernel before OpenBLAS reads its environment.
///
/// OpenBLAS 0.3.21 misdetects some recent CPUs (AMD Zen 4 among them) and falls back to a slow generic
/// kernel. The core is chosen when the library loads, so when `OPENBLAS_CORETYPE` is unset `ggd` sets it
/// from the CPU's features and re-executes itself; the chosen core is reported by `ggd bench`.
enum BLASEnvironment {
    static func ensureCorrectCore() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              ProcessInfo.processInfo.environment["GGD_NO_REEXEC"] == nil,
              let core = recommendedCore() else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv("GGD_NO_REEXEC", "1", 1)
        let args = CommandLine.arguments
        var cargs = args.map { strdup($0) }
        cargs.append(nil)
        execv("/proc/self/exe", &cargs)
        // execv returns only on failure: continue with whatever OpenBLAS picks.
    }

    /// The OpenBLAS core for this CPU's vector extensions (x86-64 Linux), or nil to leave the choice to OpenBLAS.
    static func recommendedCore() -> String? {
        #if os(Linux) && arch(x86_64)
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        if flags.contains("avx512f") && flags.contains("avx512bw") && flags.contains("avx512vl") && flags.contains("avx512dq") {
            return flags.contains("avx512_bf16") ? "COOPERLAKE" : "SKYLAKEX"
        }
        if flags.contains("avx2") && flags.contains("fma") { return "HASWELL" }
        return nil
        #else
        return nil
        #endif
    }

    static func setThreads(_ n: Int) { BLASRuntime.setThreadCount(n) }
}

/// The OpenBLAS core name, for provenance records.
enum BLASRuntimeInfo {
    static var core: String { BLASRuntime.coreName }
}
