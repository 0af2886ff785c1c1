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

    /// Two Adam steps from zero moments on every backend's kernel (`AdamSeam`) against Kingma & Ba's update
    /// written out in Double: p ← p − lr·(m/(1 − β₁ᵗ))/(√(v/(1 − β₂ᵗ)) + ε). Float backends within 2e-6
    /// absolute on parameters of order one (about 16 ulps), Double within 1e-13; a step-size fault misses
    /// by ~lr = 1e-2.
    public static let adam = SeamProbe(id: "probe:adam", summary: "Adam's first two steps on every backend against the textbook update") {
        let (p0, gradients) = AdamSeam.inputs
        let (lr, b1, b2, eps) = (AdamSeam.learningRate, 0.9, 0.99, 1e-8)
        var expected = p0, m = [Double](repeating: 0, count: p0.count), v = m
        for (t, g) in gradients.enumerated() {
            let c1 = 1 - pow(b1, Double(t + 1)), c2 = 1 - pow(b2, Double(t + 1))
            for i in p0.indices {
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                expected[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
            }
        }
        let misses = try AdamSeam.onEveryBackend().compactMap { name, precision, values -> String? in
            let tolerance = precision == "float" ? 2e-6 : 1e-13
            let worst = zip(values, expected).map { abs($0 - $1) }.max() ?? 0
            return worst <= tolerance ? nil : "\(name) misses by \(worst) (tolerance \(tolerance))"
        }
        return misses.isEmpty ? nil : misses.joined(separator: "; ")
    }
}

/// Adam's seam on every backend's kernel: two steps of the shipped `Adam` (betas 0.9/0.99, ε 1e−8) from
/// zero moments over 37 parameters (so vector tails are covered), on the C kernel, the plain-Swift loop
/// and the CUDA source built for this CPU when clang++ is here, in Float and Double. The probe holds the
/// results to the textbook update; `FaultCoverage` holds them to their fault-free selves.
enum AdamSeam {
    static let learningRate = 0.01
    static let inputs: (p0: [Double], gradients: [[Double]]) = {
        let n = 37
        return ((0..<n).map { 0.5 + sin(Double($0)) },
                [(0..<n).map { cos(Double($0) * 0.7) }, (0..<n).map { 0.3 - sin(Double($0) * 1.3) }])
    }()

    /// (backend, precision, parameters after the two steps) for every backend.
    static func onEveryBackend() throws -> [(String, String, [Double])] {
        func run<K: KernelBackend>(_ k: K) throws -> [Double] {
            let (p0, gradients) = inputs
            var adam = try Adam<K.Scalar>(parameterCount: p0.count, learningRate: learningRate, beta1: 0.9, beta2: 0.99, epsilon: 1e-8)
            let p = try k.array(p0.map { K.Scalar($0) })
            let m = try k.allocate(K.Scalar.self, count: p0.count), v = try k.allocate(K.Scalar.self, count: p0.count)
            for g in gradients {
                let grad = try k.array(g.map { K.Scalar($0) })
                try adam.update(parameters: p.pointer, gradient: grad.pointer, firstMoment: m.pointer, secondMoment: v.pointer, count: p0.count, on: k)
            }
            return try k.values(p.pointer, count: p0.count).map { Double($0) }
        }
        var out: [(String, String, [Double])] = [
            ("openblas-float (C kernel)", "float", try run(HostKernels<Float>(.openBLAS))),
            ("reference-float (Swift loop)", "float", try run(HostKernels<Float>(.reference))),
            ("openblas-double (C kernel)", "double", try run(HostKernels<Double>(.openBLAS))),
            ("reference-double (Swift loop)", "double", try run(HostKernels<Double>(.reference))),
        ]
        if CUDASourceLibrary.unavailableReason == nil {
            out.append(("cuda-source-float", "float", try run(CUDASourceOnCPU<Float>())))
            out.append(("cuda-source-double", "double", try run(CUDASourceOnCPU<Double>())))
        }
        return out
    }
}
