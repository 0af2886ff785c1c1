import Diffusion
import Foundation
import Testing
import TestSupport

/// Noise schedules against their defining closed forms.
@Suite struct NoiseScheduleTests {
    /// Nichol–Dhariwal's f(u) = cos²((u + s)/(1 + s)·π/2).
    private static func f(_ u: Double, s: Double = 0.008) -> Double { let c = cos((u + s) / (1 + s) * .pi / 2); return c * c }

    @Test("cosine: ᾱₜ = f(t/T)/f(0) (the product telescopes), decreasing, β ≤ 0.999, only the last β clipped", arguments: [50, 200, 1000])
    func cosine(steps T: Int) throws {
        let s = try NoiseSchedule(kind: .cosine(), steps: T)
        #expect(s.alphaBar.count == T + 1 && s.beta.count == T + 1 && s.alphaBar[0] == 1)
        for t in 1...T {
            #expect(s.alphaBar[t] < s.alphaBar[t - 1])
            #expect(s.beta[t] > 0 && s.beta[t] <= 0.999)
        }
        // Unclipped steps: ᾱₜ is the telescoped ratio, up to t roundings (≤ T·u ≈ 2e-13 relative for T = 1000).
        for t in 1..<T { #expect(Errors.relative(s.alphaBar[t], Self.f(Double(t) / Double(T)) / Self.f(0)) < 1e-12) }
        // The last step would have β = 1 − f(1)/f((T−1)/T) ≈ 1: clipped to 0.999, so ᾱ_T = 0.001·ᾱ_{T−1}.
        #expect(s.beta[T] == 0.999)
        #expect(Errors.relative(s.alphaBar[T], 0.001 * Self.f(Double(T - 1) / Double(T)) / Self.f(0)) < 1e-12)
        // ᾱ_T ≈ 0.001·sin²(π/(2T(1 + s))) ≈ 9.7e-7 for T = 50, smaller for larger T.
        #expect(s.alphaBar[T] < 2e-6)
        for t in 0...T { #expect(abs(s.alpha(t) * s.alpha(t) + s.h(t) - 1) < 1e-15) }
    }

    @Test("linear: endpoints 1e-4 and 0.02, equal spacing, ᾱ_T = Π(1 − βₜ) ≈ 4.04e-5 for T = 1000")
    func linear() throws {
        let s = try NoiseSchedule(kind: .linear(), steps: 1000)
        #expect(s.beta[1] == 1e-4)
        #expect(abs(s.beta[1000] - 0.02) < 1e-17)
        let spacing = (0.02 - 1e-4) / 999
        for t in 1..<1000 { #expect(abs(s.beta[t + 1] - s.beta[t] - spacing) < 1e-17) }
        // Independent: exp(Σ log1p(−βₜ)) with βₜ from the definition.
        let logProduct = (1...1000).reduce(0.0) { $0 + log1p(-(1e-4 + spacing * Double($1 - 1))) }
        #expect(Errors.relative(s.alphaBar[1000], exp(logProduct)) < 1e-12)
        #expect(abs(s.alphaBar[1000] - 4.0358e-5) < 1e-8)   // the DDPM paper's ᾱ_T for this schedule
        let one = try NoiseSchedule(kind: .linear(), steps: 1)
        #expect(one.beta[1] == 1e-4)
    }

    @Test("the time of step t carries (αₜ, hₜ) and the step")
    func timeOfStep() throws {
        let s = try NoiseSchedule(kind: .cosine(), steps: 200)
        let t = s.time(37)
        #expect(t.step == 37 && t.alpha == s.alphaBar[37].squareRoot() && t.h == 1 - s.alphaBar[37])
    }

    @Test("invalid parameters throw: T < 1, s ≤ 0, β_max outside (0, 1), linear β outside (0, 1)")
    func invalid() {
        for steps in [0, -3] {
            #expect(throws: DiffusionError.self) { _ = try NoiseSchedule(kind: .cosine(), steps: steps) }
            #expect(throws: DiffusionError.self) { _ = try NoiseSchedule(kind: .linear(), steps: steps) }
        }
        #expect(throws: DiffusionError.self) { _ = try NoiseSchedule(kind: .cosine(s: 0), steps: 10) }
        #expect(throws: DiffusionError.self) { _ = try NoiseSchedule(kind: .cosine(s: .nan), steps: 10) }
        #expect(throws: DiffusionError.self) { _ = try NoiseSchedule(kind: .cosine(maxBeta: 1), steps: 10) }
        #expect(throws: DiffusionError.self) { _ = try NoiseSchedule(kind: .linear(betaStart: 0, betaEnd: 0.02), steps: 10) }
        #expect(throws: DiffusionError.self) { _ = try NoiseSchedule(kind: .linear(betaStart: 1e-4, betaEnd: 1), steps: 10) }
    }

    @Test("continuous VP process: α(t) = e^{−t/2}, h(t) = 1 − e^{−t}, accurate at small t")
    func continuous() {
        for t in [1e-12, 1e-6, 0.01, 1, 10] {
            #expect(Errors.relative(ContinuousVP.alpha(t), exp(-t / 2)) < 1e-15)
            #expect(abs(ContinuousVP.alpha(t) * ContinuousVP.alpha(t) + ContinuousVP.h(t) - 1) < 1e-15)
        }
        // h(t) ≈ t − t²/2 at small t, with full relative accuracy (no cancellation).
        #expect(Errors.relative(ContinuousVP.h(1e-12), 1e-12 - 5e-25) < 1e-15)
        #expect(ContinuousVP.time(2).step == nil)
    }
}
