import Compute
import Foundation
import LinearAlgebra
import Randomness

/// A sampler for the continuous backward SDE of the theory, dX = [½X + s + G]dt + dW̄, on a time grid
/// from t_end down to 0 (SPEC §5).
///
/// Plain Euler–Maruyama is stiff near t = 0, where the off-support drift is −x⊥/h(t). The default
/// exponential integrator freezes the guided look-ahead estimate x̂₀ over each step and solves the
/// remaining linear SDE exactly: that is the forward process's bridge from xₜ towards x̂₀, which is
/// stable at every step size and lands on x̂₀ at t = 0. Euler–Maruyama is kept for comparison; it stops
/// at the last grid time t_min > 0 and returns the look-ahead estimate there.
public struct ContinuousSampler: Sampler {
    public enum Method: String, Sendable, CaseIterable, Codable {
        case exponentialIntegrator = "exponential"
        case eulerMaruyama = "euler-maruyama"
    }

    /// Decreasing times t₀ = t_end > … > t_N (t_N = 0 for the exponential integrator).
    public let grid: [Double]
    public let method: Method
    public let threads: Int

    public init(grid: [Double], method: Method = .exponentialIntegrator, threads: Int = 1) throws {
        guard grid.count >= 2 else { throw DiffusionError.invalidParameter("a time grid needs at least 2 points") }
        guard zip(grid, grid.dropFirst()).allSatisfy({ $0 > $1 }), grid.last! >= 0 else {
            throw DiffusionError.invalidParameter("time grid must decrease strictly and end at a time ≥ 0")
        }
        if method == .eulerMaruyama, grid.last! <= 0 {
            throw DiffusionError.invalidParameter("Euler–Maruyama must stop at a positive t_min (the drift is singular at t = 0)")
        }
        self.grid = grid
        self.method = method
        self.threads = max(1, threads)
    }

    /// A grid quadratic in the step index (dense near t = 0, where the process changes fastest):
    /// tᵢ = t_end (1 − i/N)², ending at 0, or at `tMin` when given.
    public static func quadraticGrid(tEnd: Double = 10, steps: Int = 200, tMin: Double = 0) throws -> [Double] {
        guard steps >= 1 else { throw DiffusionError.invalidParameter("the number of steps must be at least 1, got \(steps)") }
        guard tEnd > tMin, tMin >= 0 else { throw DiffusionError.invalidParameter("need t_end > t_min ≥ 0, got \(tEnd) and \(tMin)") }
        return (0...steps).map { i in
            let u = 1 - Double(i) / Double(steps)
            return tMin + (tEnd - tMin) * u * u
        }
    }

    public var dimension: Int? { nil }

    /// The trajectory as coefficients. Exponential integrator: the bridge of the forward process from
    /// (t, xₜ) towards the frozen x̂₀, evaluated at t' (c₁ = α(t')(1 − (α(t)/α(t'))²)/h(t),
    /// c₂ = (α(t)/α(t'))h(t')/h(t), sd² = (1 − (α(t)/α(t'))²)h(t')/h(t)). Euler–Maruyama:
    /// X ← X + [½X + (αx̂₀ − X)/h]Δ + √Δ z in reverse time, i.e. c₁ = (α/h)Δ, c₂ = 1 + (½ − 1/h)Δ, then
    /// the look-ahead estimate at t_min.
    public var plan: SamplerPlan {
        let steps = (0..<(grid.count - 1)).map { i -> SamplerStep in
            let t = grid[i], tNext = grid[i + 1]
            let time = ContinuousVP.time(t)
            switch method {
            case .exponentialIntegrator:
                let ratio = exp(-(t - tNext) / 2)                 // α(t)/α(t')
                let hStep = -expm1(-(t - tNext))                  // 1 − (α(t)/α(t'))²
                let hNext = ContinuousVP.h(tNext)
                let sd = (hStep * hNext / time.h).squareRoot()
                return SamplerStep(time: time, step: 0, c1: ContinuousVP.alpha(tNext) * hStep / time.h, c2: ratio * hNext / time.h, sd: sd,
                                   noiseStep: sd > 0 ? i + 1 : nil, target: ContinuousVP.time(tNext))
            case .eulerMaruyama:
                let dt = t - tNext
                return SamplerStep(time: time, step: 0, c1: time.alpha / time.h * dt, c2: 1 + (0.5 - 1 / time.h) * dt, sd: dt.squareRoot(),
                                   noiseStep: i + 1, target: ContinuousVP.time(tNext))
            }
        }
        return SamplerPlan(steps: steps, finalDenoise: method == .eulerMaruyama ? ContinuousVP.time(grid.last!) : nil)
    }

    public func sample(model: any ScoreModel, guidance: (any GuidanceTerm)?, count: Int, noise: SamplingNoise,
                       progress: ((Int, Int) -> Void)? = nil) -> Matrix<Double> {
        // Without checks the driver cannot throw on the host.
        try! runOnHost(model: model, guidance: guidance, count: count, noise: noise, progress: progress, checked: false)
    }

    public func sampleChecked(model: any ScoreModel, guidance: (any GuidanceTerm)?, count: Int, noise: SamplingNoise,
                              progress: ((Int, Int) -> Void)? = nil) throws -> Matrix<Double> {
        let x = try runOnHost(model: model, guidance: guidance, count: count, noise: noise, progress: progress, checked: true)
        guard x.isFinite else { throw DiffusionError.nonFinite("the samples are NaN or infinite at the end of sampling") }
        return x
    }
}
