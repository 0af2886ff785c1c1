import Compute
import Backends
import Foundation
import LinearAlgebra

/// A check of one compute seam against an independent oracle, run on every backend that implements
/// the seam: mutation testing counts a probe that fails with a fault on as a kill, beside the catalog's
/// properties. Probes exist where the catalog has no claim to hold a seam to (the optimiser's Adam,
/// until the learned network is under the catalog).
public struct SeamProbe: Sendable {
    public let id: String
    public let summary: String
    /// Nil when the seam agrees with its oracle on every backend; otherwise what disagreed.
    public let failure: @Sendable () throws -> String?

    public init(id: String, summary: String, failure: @escaping @Sendable () throws -> String?) {
        self.id = id
        self.summary = summary
        self.failure = failure
    }

    /// Every probe.
    public static var all: [SeamProbe] { [adam] }

    /// Two Adam steps from zero moments on every backend's kernel (the C kernel, the plain-Swift loop,
    /// the CUDA source built for this CPU when clang++ is here) against Kingma & Ba's update written out
    /// in Double: p ← p − lr·(m/(1 − β₁ᵗ))/(√(v/(1 − β₂ᵗ)) + ε). Float backends within 2e-6 absolute on
    /// parameters of order one (about 16 ulps), Double within 1e-13; a step-size fault misses by ~lr = 1e-2.
    public static let adam = SeamProbe(id: "probe:adam", summary: "Adam's first two steps on every backend against the textbook update") {
        let n = 37, lr = 0.01, b1 = 0.9, b2 = 0.99, eps = 1e-8
        let p0 = (0..<n).map { 0.5 + sin(Double($0)) }
        let gradients = [(0..<n).map { cos(Double($0) * 0.7) }, (0..<n).map { 0.3 - sin(Double($0) * 1.3) }]
        var expected = p0, m = [Double](repeating: 0, count: n), v = m
        for (t, g) in gradients.enumerated() {
            let c1 = 1 - pow(b1, Double(t + 1)), c2 = 1 - pow(b2, Double(t + 1))
            for i in 0..<n {
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                expected[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
            }
        }
        func run<K: KernelBackend>(_ k: K) throws -> [Double] {
            var adam = try Adam<K.Scalar>(parameterCount: n, learningRate: lr, beta1: b1, beta2: b2, epsilon: eps)
            let p = try k.array(p0.map { K.Scalar($0) }), m = try k.allocate(K.Scalar.self, count: n), v = try k.allocate(K.Scalar.self, count: n)
            for g in gradients {
                let grad = try k.array(g.map { K.Scalar($0) })
                try adam.update(parameters: p.pointer, gradient: grad.pointer, firstMoment: m.pointer, secondMoment: v.pointer, count: n, on: k)
            }
            return try k.values(p.pointer, count: n).map { Double($0) }
        }
        var results: [(String, [Double], Double)] = [
            ("openblas-float", try run(HostKernels<Float>(.openBLAS)), 2e-6),
            ("reference-float", try run(HostKernels<Float>(.reference)), 2e-6),
            ("openblas-double", try run(HostKernels<Double>(.openBLAS)), 1e-13),
            ("reference-double", try run(HostKernels<Double>(.reference)), 1e-13),
        ]
        if CUDASourceLibrary.unavailableReason == nil {
            results.append(("cuda-source-float", try run(CUDASourceOnCPU<Float>()), 2e-6))
            results.append(("cuda-source-double", try run(CUDASourceOnCPU<Double>()), 1e-13))
        }
        let misses = results.compactMap { name, values, tolerance -> String? in
            let worst = zip(values, expected).map { abs($0 - $1) }.max() ?? 0
            return worst <= tolerance ? nil : "\(name) misses by \(worst) (tolerance \(tolerance))"
        }
        return misses.isEmpty ? nil : misses.joined(separator: "; ")
    }
}
