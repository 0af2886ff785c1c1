import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CKernels
import FaultInjection
import LinearAlgebra

/// Adam (Kingma & Ba) over a flat parameter buffer, step for step as PyTorch's `torch.optim.Adam`
/// (no weight decay, no AMSGrad):
///
///     m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²,
///     p ← p − (lr/(1 − β₁ᵗ)) · m / (√v/√(1 − β₂ᵗ) + ε).
///
/// Moments are kept in the parameters' precision; the bias corrections are computed in Double.
/// The state (step count and both moments) is `Codable`; ScoreNetwork writes it as NumPy arrays.
/// Written once per backend language: the C kernel (host), one CUDA kernel, the plain-Swift reference loop;
/// every backend takes its scalars from `coefficients(step:)`, so a fault there reaches them all.
public struct Adam<Scalar: BLASScalar>: Sendable, Equatable, Codable {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// Updates taken so far (t of the bias corrections).
    public private(set) var step: Int
    /// m, the exponential average of gradients (PyTorch's `exp_avg`).
    public private(set) var firstMoment: [Scalar]
    /// v, the exponential average of squared gradients (PyTorch's `exp_avg_sq`).
    public private(set) var secondMoment: [Scalar]

    public init(parameterCount: Int, learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.99, epsilon: Double = 1e-8) throws {
        try Self.validate(parameterCount: parameterCount, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        step = 0
        firstMoment = [Scalar](repeating: 0, count: parameterCount)
        secondMoment = [Scalar](repeating: 0, count: parameterCount)
    }

    public var parameterCount: Int { firstMoment.count }

    private enum CodingKeys: String, CodingKey { case learningRate, beta1, beta2, epsilon, step, firstMoment, secondMoment }

    /// Decodes and validates (hyperparameters, equal moment lengths, finite moments, v ≥ 0).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(restoring: c.decode(Int.self, forKey: .step),
                      firstMoment: c.decode([Scalar].self, forKey: .firstMoment),
                      secondMoment: c.decode([Scalar].self, forKey: .secondMoment),
                      learningRate: c.decode(Double.self, forKey: .learningRate), beta1: c.decode(Double.self, forKey: .beta1),
                      beta2: c.decode(Double.self, forKey: .beta2), epsilon: c.decode(Double.self, forKey: .epsilon))
    }

    /// A saved state.
    public init(restoring step: Int, firstMoment m: [Scalar], secondMoment v: [Scalar],
                learningRate: Double, beta1: Double, beta2: Double, epsilon: Double) throws {
        guard step >= 0 else { throw ComputeError.invalidParameter("Adam step count must be non-negative, got \(step)") }
        // Beyond 2⁵³ the step is no longer exact in Double (and Int.max would overflow on the next update).
        guard step <= 1 << 53 else { throw ComputeError.invalidParameter("Adam step count \(step) is implausibly large (at most 2^53)") }
        guard m.count == v.count else {
            throw ComputeError.dimensionMismatch("Adam moments have \(m.count) and \(v.count) entries")
        }
        guard v.allSatisfy({ $0 >= 0 && $0.isFinite }), m.allSatisfy(\.isFinite) else {
            throw ComputeError.nonFinite("Adam moments must be finite, the second non-negative")
        }
        try self.init(parameterCount: m.count, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        self.step = step
        firstMoment = m
        secondMoment = v
    }

    /// One update of `parameters` with `gradient` on `backend`: the vectorised C kernel (OpenBLAS
    /// backend) or the plain-Swift loop (reference), both through `HostKernels.adamUpdate`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func update(_ parameters: inout [Scalar], gradient: [Scalar], backend: ComputeBackend = .openBLAS) {
        precondition(parameters.count == parameterCount && gradient.count == parameterCount,
                     "Adam over \(parameterCount) parameters got \(parameters.count) parameters and \(gradient.count) gradients")
        guard parameterCount > 0 else {
            step += 1
            return
        }
        // The moments are moved out while the kernel writes them (no copy-on-write copy of either).
        var (m, v) = (firstMoment, secondMoment)
        (firstMoment, secondMoment) = ([], [])
        parameters.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in
                m.withUnsafeMutableBufferPointer { mp in
                    v.withUnsafeMutableBufferPointer { vp in
                        // The host kernels do not throw.
                        try! update(parameters: BackendPointer(p.baseAddress!), gradient: BackendPointer(g.baseAddress!),
                                    firstMoment: BackendPointer(mp.baseAddress!), secondMoment: BackendPointer(vp.baseAddress!), count: p.count,
                                    on: HostKernels<Scalar>(backend))
                    }
                }
            }
        }
        (firstMoment, secondMoment) = (m, v)
    }

    /// The host-computed scalars of update number `step` (1-based), as `update` and every backend use them:
    /// step size lr/(1 − β₁ᵗ), √(1 − β₂ᵗ), 1 − β₁, β₂, 1 − β₂ and ε in the parameters' precision.
    public func coefficients(step: Int) -> (stepSize: Scalar, sqrtCorrection2: Scalar, c1: Scalar, beta2: Scalar, c2: Scalar, epsilon: Scalar) {
        let t = Double(step)
        let correction1 = FaultHook.isActive(.adamBiasCorrectionMissing) ? 1 : 1 - pow(beta1, t)
        return (Scalar(learningRate / correction1), Scalar((1 - pow(beta2, t)).squareRoot()), Scalar(1 - beta1), Scalar(beta2),
                Scalar(1 - beta2), Scalar(epsilon))
    }

    /// Counts one update taken elsewhere (on a device backend, with `coefficients(step: step + 1)`).
    public mutating func recordStep() { step += 1 }

    /// One update of parameters and moments held on `backend` (a resident network's): this state's
    /// scalars of the next step, the backend's kernel, and the step counted.
    public mutating func update<Backend: KernelBackend>(parameters: BackendPointer<Scalar>, gradient: BackendPointer<Scalar>,
                                                        firstMoment: BackendPointer<Scalar>, secondMoment: BackendPointer<Scalar>,
                                                        count: Int, on backend: Backend) throws where Backend.Scalar == Scalar {
        let c = coefficients(step: step + 1)
        try backend.adamUpdate(parameters: parameters, gradient: gradient, firstMoment: firstMoment, secondMoment: secondMoment, count: count,
                               stepSize: c.stepSize, sqrtCorrection2: c.sqrtCorrection2, c1: c.c1, beta2: c.beta2, c2: c.c2, epsilon: c.epsilon)
        step += 1
    }

    static func validate(parameterCount: Int, learningRate: Double, beta1: Double, beta2: Double, epsilon: Double) throws {
        guard parameterCount >= 0 else { throw ComputeError.invalidParameter("parameter count must be non-negative, got \(parameterCount)") }
        guard learningRate > 0, learningRate.isFinite else { throw ComputeError.invalidParameter("learning rate must be positive, got \(learningRate)") }
        guard (0..<1).contains(beta1), (0..<1).contains(beta2) else {
            throw ComputeError.invalidParameter("Adam betas must lie in [0, 1), got \(beta1) and \(beta2)")
        }
        guard epsilon >= 0, epsilon.isFinite else { throw ComputeError.invalidParameter("Adam epsilon must be non-negative, got \(epsilon)") }
    }
}
