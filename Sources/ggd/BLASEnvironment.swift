import Foundation
import LinearAlgebra

/// Picks a correct OpenBLAS kernel before OpenBLAS reads its environment, and remembers who chose it.
///
/// OpenBLAS 0.3.21 misdetects some recent CPUs (AMD Zen 4 among them) and falls back to a slow generic
/// kernel. The core is chosen when the library loads, so `ggd` settles `OPENBLAS_CORETYPE` first thing:
/// - unset: `ggd` sets the core recommended for this CPU's vector extensions and re-executes itself;
/// - set to a core OpenBLAS knows (`Haswell` on an AVX-512 machine, say): an explicit choice, kept and
///   reported as the user's;
/// - set to anything else (OpenBLAS would ignore it silently and autodetect): `ggd` says so on stderr
///   and uses the recommended core, as if it were unset.
///
/// It also sets `OPENBLAS_THREAD_TIMEOUT` when the caller has not: OpenBLAS's workers spin 2²⁸ cycles
/// (about 0.1 s) after each call before sleeping, so on a 2-core machine a spinning worker takes the core
/// the sampler's element-wise passes run on between gemms. 2²⁰ cycles (about 0.3 ms) keeps them spinning
/// through the short gaps of small batches (the B = 32 round unchanged) and lets them sleep through the
/// long element-wise passes of large ones (B = 1024: 6–9% faster, `ggd bench --batch-sizes`).
enum BLASEnvironment {
    static let timeoutVariable = "OPENBLAS_THREAD_TIMEOUT"
    static let timeout = "20"
    static let variable = "OPENBLAS_CORETYPE"
    /// Set on re-execution: who chose the core ("ggd"), and the rejected value of a garbage setting.
    static let chooserVariable = "GGD_OPENBLAS_CORE_CHOSEN_BY"
    static let rejectedVariable = "GGD_OPENBLAS_CORE_REJECTED"

    /// The x86-64 core names OpenBLAS 0.3.21 accepts in OPENBLAS_CORETYPE (driver/others/dynamic.c).
    static let knownCores: Set<String> = [
        "KATMAI", "COPPERMINE", "NORTHWOOD", "PRESCOTT", "BANIAS", "ATOM", "CORE2", "PENRYN", "DUNNINGTON", "NEHALEM",
        "ATHLON", "OPTERON", "OPTERON_SSE3", "BARCELONA", "NANO", "SANDYBRIDGE", "BOBCAT", "BULLDOZER", "PILEDRIVER",
        "HASWELL", "STEAMROLLER", "EXCAVATOR", "ZEN", "SKYLAKEX", "COOPERLAKE", "SAPPHIRERAPIDS",
    ]

    /// Cores OpenBLAS falls back to when it does not recognise a CPU: correct but several times slower than
    /// any AVX2 kernel. Running one that nobody asked for is a fault `ggd crosscheck` reports.
    static let slowFallbackCores: Set<String> = ["KATMAI", "COPPERMINE", "NORTHWOOD", "PRESCOTT", "BANIAS", "ATOM", "CORE2", "PENRYN",
                                                 "DUNNINGTON", "ATHLON", "OPTERON", "OPTERON_SSE3", "NANO", "GENERIC", "UNKNOWN"]

    static func isKnownCore(_ name: String) -> Bool { knownCores.contains(name.uppercased()) }

    static func ensureCorrectCore() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["GGD_NO_REEXEC"] == nil else { return }
        var changed = false
        if environment[timeoutVariable] == nil {
            setenv(timeoutVariable, timeout, 1)
            changed = true
        }
        if let core = recommendedCore() {
            if let value = environment[variable], !isKnownCore(value) {
                FileHandle.standardError.write(Data("ggd: note: \(variable)='\(value)' names no OpenBLAS core (OpenBLAS would ignore it); using \(core), the core for this CPU\n".utf8))
                setenv(rejectedVariable, value, 1)
            }
            if environment[variable].map({ !isKnownCore($0) }) ?? true {
                setenv(variable, core, 1)
                setenv(chooserVariable, "ggd", 1)
                changed = true
            }
        }
        guard changed else { return }
        setenv("GGD_NO_REEXEC", "1", 1)
        var cargs = CommandLine.arguments.map { strdup($0) }
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

    /// Who chose the running core, and whether that is a fault.
    struct CoreAudit: Equatable {
        /// The core OpenBLAS runs.
        let running: String
        /// The core asked for (by the user or by ggd), if any.
        let requested: String?
        /// "OPENBLAS_CORETYPE=X, set before ggd started" (the caller's choice), "ggd (for this CPU)" or "OpenBLAS's own detection".
        let chooser: String
        /// The core recommended for this CPU, if known.
        let recommended: String?
        /// Why the core is a fault, or nil when it is fine.
        let fault: String?

        var summary: String {
            var s = "OpenBLAS core \(running), chosen by \(chooser)"
            if let recommended, recommended.uppercased() != running.uppercased() { s += "; the core recommended for this CPU is \(recommended)" }
            return s
        }
    }

    /// Audits the running core: a fault only when OpenBLAS ignored an explicit request, or runs a slow
    /// fallback core that nobody asked for. An explicit, valid choice is reported, never failed.
    static func audit(running: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                      recommended: String? = recommendedCore()) -> CoreAudit {
        let requested = environment[variable]
        let byGGD = environment[chooserVariable] == "ggd"
        let chooser = requested == nil ? "OpenBLAS's own detection" : byGGD ? "ggd (for this CPU)" : "\(variable)=\(requested!), set before ggd started"
        var fault: String?
        if let requested, isKnownCore(requested), requested.uppercased() != running.uppercased() {
            fault = "OpenBLAS runs \(running) although \(variable)=\(requested) asked for \(requested.uppercased())"
        } else if (requested == nil || !isKnownCore(requested!)) && slowFallbackCores.contains(running.uppercased()) {
            fault = "OpenBLAS runs its slow fallback core \(running), which nobody asked for: a misdetected CPU"
                + (recommended.map { " (set \(variable)=\($0))" } ?? "")
        }
        return CoreAudit(running: running, requested: requested, chooser: chooser, recommended: recommended, fault: fault)
    }

    static func setThreads(_ n: Int) { BLASRuntime.setThreadCount(n) }
}

/// The OpenBLAS core name, for provenance records.
enum BLASRuntimeInfo {
    static var core: String { BLASRuntime.coreName }
}
