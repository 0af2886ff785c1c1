// swift-tools-version: 6.1
// GradientGuidance: gradient-guided diffusion for generative optimisation, and a harness
// that verifies the claims of "Gradient Guidance for Diffusion Models: An Optimization
// Perspective" (NeurIPS 2024) mechanically. See README.md for the map of the house.
import PackageDescription

import Foundation

/// The x86-64 baseline the numeric modules are compiled for. Swift's default (SSE2 only) splits every
/// SIMD8<Float> of the element-wise kernels in two; Haswell's AVX2 + FMA (x86-64-v3, every x86 server
/// since 2013) runs them whole, about 15–30% off a guided network round. `ggd` checks the CPU at start
/// and says so clearly on an older one; `GGD_PORTABLE=1 swift build` builds for the plain baseline.
let vectorFlags: [String] = {
    #if arch(x86_64)
    return ProcessInfo.processInfo.environment["GGD_PORTABLE"] == nil ? ["-target-cpu", "haswell"] : []
    #else
    return []
    #endif
}()

/// The C kernels' flags: no errno from sqrt (so it vectorises) and no fused multiply-add (so each
/// element sees the same operations as the Swift reference loop), with the same vector baseline.
let kernelFlags: [String] = ["-O3", "-fno-math-errno", "-ffp-contract=off"] + {
    #if arch(x86_64)
    return ProcessInfo.processInfo.environment["GGD_PORTABLE"] == nil ? ["-mavx2", "-mfma"] : []
    #else
    return []
    #endif
}()

/// Release builds keep the hot loops fast; `-Ounchecked` is never used so that
/// index checks stay on in every configuration.
let numericsSettings: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
    .unsafeFlags(vectorFlags),
]

let package = Package(
    name: "GradientGuidance",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ggd", targets: ["ggd"]),
        .library(name: "GradientGuidance", targets: ["LinearAlgebra", "Randomness", "Compute", "NumPyIO", "Diffusion", "Guidance", "Experiments",
                                                   "Statistics", "PropertyEngine", "Properties", "Reporting", "TheoryReport", "StrictJSON", "Audit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` for the DocC catalogs (ci/docs); nothing builds against it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // C libraries behind thin system-library targets (module.modulemap + shim.h).
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CLapacke", path: "Sources/CLapacke"),
        .systemLibrary(name: "CGSL", path: "Sources/CGSL"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Element-wise kernels that Swift does not vectorise (see include/ckernels.h).
        .target(name: "CKernels", cSettings: [.unsafeFlags(kernelFlags)]),

        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS", "CLapacke"], swiftSettings: numericsSettings),
        .target(name: "Randomness", swiftSettings: numericsSettings),
        .target(name: "NumPyIO", dependencies: ["CZlib"]),
        // Strict RFC 8259 JSON with positioned errors (settings and results files are checked through it).
        .target(name: "StrictJSON"),
        // The switch for mutation testing's deliberate faults (inert unless `ggd mutants` turns one on).
        .target(name: "FaultInjection"),
        // The compute layer: the kernel interface every backend implements, BackendPointer, the host and
        // reference kernels, Adam, β's formulas and the sampler's step. Nothing above LinearAlgebra/Randomness.
        .target(name: "Compute", dependencies: ["CKernels", "LinearAlgebra", "Randomness", "FaultInjection"], swiftSettings: numericsSettings),
        .target(name: "Diffusion", dependencies: ["Compute", "LinearAlgebra", "Randomness", "FaultInjection"], swiftSettings: numericsSettings),
        .target(name: "Guidance", dependencies: ["Compute", "Diffusion", "LinearAlgebra", "Randomness", "FaultInjection"], swiftSettings: numericsSettings),
        .target(name: "ScoreNetwork", dependencies: ["Compute", "LinearAlgebra", "Randomness", "Diffusion", "NumPyIO", "StrictJSON"], swiftSettings: numericsSettings),
        .target(name: "Reproduction", dependencies: ["Backends", "LinearAlgebra", "Randomness", "Diffusion", "Guidance", "Experiments", "ScoreNetwork"],
                swiftSettings: numericsSettings),
        .target(name: "Statistics", dependencies: ["CGSL"], swiftSettings: numericsSettings),
        .target(name: "PropertyEngine", dependencies: ["Statistics", "Randomness", "StrictJSON"]),
        // The catalog of the paper's claims, one file per claim; found failures are kept in Regressions/.
        .target(
            name: "Properties",
            dependencies: ["PropertyEngine", "Statistics", "Diffusion", "Guidance", "LinearAlgebra", "Randomness"],
            path: "Properties",
            exclude: ["Regressions", "README.md"],
            swiftSettings: numericsSettings
        ),
        .target(
            name: "Experiments",
            dependencies: ["Diffusion", "Guidance", "LinearAlgebra", "Randomness", "NumPyIO", "StrictJSON"],
            exclude: ["PaperFiles"],
            swiftSettings: numericsSettings
        ),
        // CUDA reached at run time (dlopen of the driver, NVRTC and cuBLAS): nothing CUDA is needed to build.
        .target(name: "CUDADriver", dependencies: ["FaultInjection"]),
        // Whole computations (a guided sampler trajectory, a training step) resident on one backend: host or CUDA.
        .target(name: "Backends", dependencies: ["Compute", "Experiments", "ScoreNetwork", "CUDADriver", "Diffusion", "Guidance", "LinearAlgebra", "Randomness"],
                swiftSettings: numericsSettings),
        // Timed workloads and the FLOP model of `ggd bench` (speed is measured there, never asserted in tests).
        .target(name: "Benchmarks", dependencies: ["Compute", "Backends", "Diffusion", "Guidance", "Experiments", "LinearAlgebra", "Randomness", "ScoreNetwork"],
                swiftSettings: numericsSettings),
        // Other people's samplers judged against the exact law (ggd audit-case, ggd audit).
        .target(name: "Audit", dependencies: ["Compute", "Diffusion", "Experiments", "Guidance", "LinearAlgebra", "NumPyIO", "Randomness", "Statistics", "StrictJSON"],
                swiftSettings: numericsSettings),
        // Backends cross-checked against the plain-Swift Double reference (ggd crosscheck).
        .target(name: "Crosscheck", dependencies: ["Compute", "FaultInjection", "Backends", "CUDADriver", "ScoreNetwork", "Diffusion", "Guidance", "Experiments", "LinearAlgebra", "Randomness", "Statistics", "StrictJSON"],
                swiftSettings: numericsSettings),
        // Reports: one document rendered as self-contained HTML (inline SVG charts) and Markdown.
        .target(name: "Reporting"),
        // The theory-vs-empirics report: the catalog and the reproduction measured, assembled and compared.
        .target(name: "TheoryReport", dependencies: ["Backends", "Crosscheck", "Reporting", "FaultInjection", "PropertyEngine", "Properties", "Reproduction", "Experiments",
                                                     "Diffusion", "Guidance", "LinearAlgebra", "Randomness", "ScoreNetwork", "Statistics", "StrictJSON"],
                swiftSettings: numericsSettings),
        .executableTarget(
            name: "ggd",
            dependencies: [
                "Experiments", "Diffusion", "Guidance", "LinearAlgebra", "Randomness", "NumPyIO",
                "Properties", "PropertyEngine", "Statistics", "Compute", "CKernels", "ScoreNetwork", "Backends", "Benchmarks", "CUDADriver", "Reproduction", "Reporting", "TheoryReport", "FaultInjection", "Crosscheck", "Audit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Shared test helpers (finite differences, tolerances, small random problems).
        .target(name: "TestSupport", dependencies: ["LinearAlgebra", "Randomness"], path: "Tests/TestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness", "TestSupport"]),
        .testTarget(name: "NumPyIOTests", dependencies: ["NumPyIO", "CZlib", "Randomness"]),
        .testTarget(name: "StrictJSONTests", dependencies: ["StrictJSON"]),
        .testTarget(name: "ComputeTests", dependencies: ["Compute", "LinearAlgebra"]),
        .testTarget(name: "DiffusionTests", dependencies: ["Diffusion", "LinearAlgebra", "Randomness", "TestSupport"]),
        .testTarget(name: "GuidanceTests", dependencies: ["Guidance", "Diffusion", "LinearAlgebra", "Randomness", "Statistics", "FaultInjection", "TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "NumPyIO", "Guidance", "LinearAlgebra"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "Randomness"]),
        .testTarget(name: "ReproductionTests", dependencies: ["Reproduction", "Experiments", "ScoreNetwork", "Backends"]),
        .testTarget(name: "ScoreNetworkTests", dependencies: ["ScoreNetwork", "Compute", "Diffusion", "LinearAlgebra", "Randomness", "NumPyIO"]),
        .testTarget(name: "PropertyEngineTests", dependencies: ["PropertyEngine", "Randomness"]),
        .testTarget(name: "PropertiesTests", dependencies: ["Properties", "PropertyEngine", "Diffusion", "LinearAlgebra"]),
        .testTarget(name: "FaultInjectionTests", dependencies: ["FaultInjection"]),
        .testTarget(name: "CrosscheckTests", dependencies: ["Crosscheck", "Compute", "ScoreNetwork", "Backends", "CUDADriver"]),
        .testTarget(name: "CUDADriverTests", dependencies: ["CUDADriver", "Compute", "FaultInjection", "ScoreNetwork", "Randomness", "LinearAlgebra"]),
        .testTarget(name: "BackendsTests", dependencies: ["Backends", "Compute", "ScoreNetwork", "Diffusion", "Guidance", "LinearAlgebra", "Randomness", "CUDADriver"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting"]),
        .testTarget(name: "TheoryReportTests", dependencies: ["TheoryReport", "Reproduction", "Reporting", "PropertyEngine", "Properties", "Randomness"]),
        .testTarget(name: "AuditTests", dependencies: ["Audit", "FaultInjection", "Diffusion", "Experiments", "LinearAlgebra", "NumPyIO", "Randomness"]),
        .testTarget(name: "ggdTests", dependencies: ["NumPyIO", "PropertyEngine"], exclude: ["FuzzRegressions"]),
    ],
    swiftLanguageModes: [.v6]
)
