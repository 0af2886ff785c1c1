import Foundation
import FaultInjection

/// A discrete variance-preserving noise schedule: βₜ for t = 1…T and the derived ᾱₜ = Πₛ≤ₜ(1 − βₛ).
///
/// The forward process is xₜ = αₜx₀ + √hₜ ε with αₜ = √ᾱₜ and hₜ = 1 − ᾱₜ (SPEC §2). Index 0 is the
/// data itself (ᾱ₀ = 1), so `alphaBar[t]` is defined for t = 0…T.
public struct NoiseSchedule: Sendable, Equatable, Codable {
    public enum Kind: Sendable, Equatable, Codable {
        /// Nichol & Dhariwal's cosine schedule with offset s; βₜ clipped at `maxBeta`.
        case cosine(s: Double = 0.008, maxBeta: Double = 0.999)
        /// Ho et al.'s linear schedule from β₁ to β_T.
        case linear(betaStart: Double = 1e-4, betaEnd: Double = 0.02)
    }

    public let kind: Kind
    public let steps: Int
    /// βₜ at index t (index 0 is unused and 0).
    public let beta: [Double]
    /// ᾱₜ at index t, with ᾱ₀ = 1.
    public let alphaBar: [Double]

    public init(kind: Kind = .cosine(), steps: Int = 200) throws {
        guard steps >= 1 else { throw DiffusionError.invalidParameter("the number of diffusion steps T must be at least 1, got \(steps)") }
        var beta = [Double](repeating: 0, count: steps + 1)
        switch kind {
        case let .cosine(s, maxBeta):
            guard s > 0, s.isFinite else { throw DiffusionError.invalidParameter("cosine schedule offset s must be positive, got \(s)") }
            guard maxBeta > 0, maxBeta < 1 else { throw DiffusionError.invalidParameter("maximum β must lie in (0, 1), got \(maxBeta)") }
            func f(_ u: Double) -> Double { let c = cos((u + s) / (1 + s) * Double.pi / 2); return c * c }
            for t in 1...steps {
                let b = 1 - f(Double(t) / Double(steps)) / f(Double(t - 1) / Double(steps))
                beta[t] = min(b, FaultHook.isActive(.scheduleClippedLow) ? 0.02 : maxBeta)
            }
        case let .linear(b0, b1):
            guard b0 > 0, b1 > 0, b0 < 1, b1 < 1 else {
                throw DiffusionError.invalidParameter("linear schedule β₁ and β_T must lie in (0, 1), got \(b0) and \(b1)")
            }
            for t in 1...steps {
                beta[t] = steps == 1 ? b0 : b0 + (b1 - b0) * Double(t - 1) / Double(steps - 1)
            }
        }
        var alphaBar = [Double](repeating: 1, count: steps + 1)
        for t in 1...steps { alphaBar[t] = alphaBar[t - 1] * (1 - beta[t]) }
        self.kind = kind
        self.steps = steps
        self.beta = beta
        self.alphaBar = alphaBar
    }

    /// αₜ = √ᾱₜ.
    @inlinable public func alpha(_ t: Int) -> Double { alphaBar[t].squareRoot() }
    /// hₜ = 1 − ᾱₜ.
    @inlinable public func h(_ t: Int) -> Double { 1 - alphaBar[t] }
    /// The diffusion time of step t, as the score models see it.
    public func time(_ t: Int) -> DiffusionTime { DiffusionTime(step: t, alpha: alpha(t), h: h(t)) }
}

extension NoiseSchedule.Kind {
    /// The name used in settings files and outputs.
    public var name: String {
        switch self {
        case .cosine: return "cosine"
        case .linear: return "linear"
        }
    }
}
