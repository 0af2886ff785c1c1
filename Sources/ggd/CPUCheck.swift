import Foundation

/// The numeric modules are compiled for x86-64 with AVX2 and FMA (see Package.swift); on a CPU without
/// them the first vector instruction would kill the process with SIGILL. This check runs first and
/// says what is wrong and how to build for such a CPU instead.
enum CPUCheck {
    static func requireVectorExtensions() {
        #if os(Linux) && arch(x86_64)
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        let missing = ["avx2", "fma"].filter { !flags.contains($0) }
        guard !missing.isEmpty else { return }
        FileHandle.standardError.write(Data("""
            ggd: this build uses AVX2 and FMA (x86-64-v3), and this CPU lacks \(missing.joined(separator: " and ")).
            Rebuild for the plain x86-64 baseline: GGD_PORTABLE=1 swift build -c release

            """.utf8))
        exit(2)
        #endif
    }
}
