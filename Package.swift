// swift-tools-version: 6.1
// GradientGuidance: gradient-guided diffusion for generative optimisation, and a harness
// that verifies the claims of "Gradient Guidance for Diffusion Models: An Optimization
// Perspective" (NeurIPS 2024) mechanically. See README.md for the map of the house.
import PackageDescription

/// Release builds keep the hot loops fast; `-Ounchecked` is never used so that
/// index checks stay on in every configuration.
let numericsSettings: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "GradientGuidance",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ggd", targets: ["ggd"]),
        .library(name: "GradientGuidance", targets: ["LinearAlgebra", "Randomness", "NumPyIO", "Diffusion", "Guidance", "Experiments",
                                                   "Statistics", "PropertyEngine", "Properties"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries behind thin system-library targets (module.modulemap + shim.h).
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CLapacke", path: "Sources/CLapacke"),
        .systemLibrary(name: "CGSL", path: "Sources/CGSL"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),

        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS", "CLapacke"], swiftSettings: numericsSettings),
        .target(name: "Randomness", swiftSettings: numericsSettings),
        .target(name: "NumPyIO", dependencies: ["CZlib"]),
        .target(name: "Diffusion", dependencies: ["LinearAlgebra", "Randomness"], swiftSettings: numericsSettings),
        .target(name: "Guidance", dependencies: ["Diffusion", "LinearAlgebra", "Randomness"], swiftSettings: numericsSettings),
        .target(name: "ScoreNetwork", dependencies: ["LinearAlgebra", "Randomness", "Diffusion", "NumPyIO"], swiftSettings: numericsSettings),
        .target(name: "Reproduction", dependencies: ["LinearAlgebra", "Randomness", "Diffusion", "Guidance", "Experiments", "ScoreNetwork"],
                swiftSettings: numericsSettings),
        .target(name: "Statistics", dependencies: ["CGSL"], swiftSettings: numericsSettings),
        .target(name: "PropertyEngine", dependencies: ["Statistics", "Randomness"]),
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
            dependencies: ["Diffusion", "Guidance", "LinearAlgebra", "Randomness", "NumPyIO"],
            exclude: ["PaperFiles"],
            swiftSettings: numericsSettings
        ),
        .executableTarget(
            name: "ggd",
            dependencies: [
                "Experiments", "Diffusion", "Guidance", "LinearAlgebra", "Randomness", "NumPyIO",
                "Properties", "PropertyEngine", "Statistics", "ScoreNetwork", "Reproduction",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Shared test helpers (finite differences, tolerances, small random problems).
        .target(name: "TestSupport", dependencies: ["LinearAlgebra", "Randomness"], path: "Tests/TestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness", "TestSupport"]),
        .testTarget(name: "NumPyIOTests", dependencies: ["NumPyIO", "Randomness", "TestSupport"]),
        .testTarget(name: "DiffusionTests", dependencies: ["Diffusion", "LinearAlgebra", "Randomness", "TestSupport"]),
        .testTarget(name: "GuidanceTests", dependencies: ["Guidance", "Diffusion", "LinearAlgebra", "Randomness", "TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "NumPyIO", "Diffusion", "Guidance", "TestSupport"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "Randomness"]),
        .testTarget(name: "ReproductionTests", dependencies: ["Reproduction", "ScoreNetwork"]),
        .testTarget(name: "ScoreNetworkTests", dependencies: ["ScoreNetwork", "Diffusion", "LinearAlgebra", "Randomness", "NumPyIO"]),
        .testTarget(name: "PropertyEngineTests", dependencies: ["PropertyEngine", "Statistics"]),
        .testTarget(name: "PropertiesTests", dependencies: ["Properties", "PropertyEngine"]),
        .testTarget(name: "ggdTests", dependencies: ["NumPyIO"]),
    ],
    swiftLanguageModes: [.v6]
)
