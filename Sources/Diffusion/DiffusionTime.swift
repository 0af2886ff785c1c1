import Foundation

/// A point of the forward process as a score model needs it: xₜ = α x₀ + √h ε.
///
/// Exact and fitted scores depend on (α, h) only; a learned network also reads the integer step,
/// which the discrete sampler supplies and the continuous sampler leaves `nil`.
public struct DiffusionTime: Sendable, Equatable {
    public let step: Int?
    public let alpha: Double
    public let h: Double

    public init(step: Int? = nil, alpha: Double, h: Double) {
        self.step = step
        self.alpha = alpha
        self.h = h
    }
}

/// The continuous variance-preserving (Ornstein–Uhlenbeck) process dXₜ = −½Xₜdt + dWₜ of the theory:
/// α(t) = e^{−t/2}, h(t) = 1 − e^{−t}.
public enum ContinuousVP {
    public static func alpha(_ t: Double) -> Double { exp(-t / 2) }
    public static func h(_ t: Double) -> Double { -expm1(-t) }
    public static func time(_ t: Double) -> DiffusionTime { DiffusionTime(step: nil, alpha: alpha(t), h: h(t)) }
}

/// Why a diffusion object could not be built or run; one line naming the problem.
public enum DiffusionError: Error, CustomStringConvertible, Equatable {
    case invalidParameter(String)
    case dimensionMismatch(String)
    case nonFinite(String)

    public var description: String {
        switch self {
        case let .invalidParameter(m): return m
        case let .dimensionMismatch(m): return "dimension mismatch: \(m)"
        case let .nonFinite(m): return m
        }
    }
}
