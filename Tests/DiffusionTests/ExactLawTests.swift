import Diffusion
import Foundation
import LinearAlgebra
import Randomness
import Testing
import TestSupport

/// The exact output law of the DDPM sampler (SPEC §5), without guidance, for the exact Gaussian score:
/// against an independent per-eigendirection scalar recursion, against the data law, and against the
/// sampler's own draws.
@Suite struct ExactLawTests {
    let problem = Fixture.problem

    /// The same law by scalar recursions: in the eigenbasis of Σ = AΣ_uAᵀ the step decouples. Along an
    /// eigenvector b with variance λ (and mean coordinate μ_b = bᵀμ), x̂₀ = μ_b + φ(y − αμ_b) with
    /// φ = αλ/(α²λ + h), so m ← (c₁φ + c₂)m + c₁μ_b(1 − αφ) and v ← (c₁φ + c₂)²v + β̃ (no noise at t = 1).
    /// Off span(A), λ = 0 and μ_b = 0: one variance for the whole complement, m stays 0. (The coefficients
    /// are taken from the sampler; DDPMSamplerTests checks them against the forward-process posterior.)
    private func scalarRecursionLaw(schedule: NoiseSchedule) throws -> (mean: [Double], covariance: Matrix<Double>) {
        let p = problem
        let eig = try SymmetricEigendecomposition(p.latentCovariance)
        let directions = Naive.product(p.basis, eig.eigenvectors)           // D×d, orthonormal
        let sampler = DDPMSampler(schedule: schedule)
        var lambdas = eig.eigenvalues + [0]
        var mus = (0..<p.latent).map { j in Naive.dot(directions.column(j), p.dataMean) } + [0]
        var m = [Double](repeating: 0, count: lambdas.count)
        var v = [Double](repeating: 1, count: lambdas.count)
        for t in stride(from: schedule.steps, through: 1, by: -1) {
            let (a, h) = (schedule.alpha(t), schedule.h(t))
            let (c1, c2, beta) = sampler.coefficients(t)
            for j in 0..<lambdas.count {
                let phi = a * lambdas[j] / (a * a * lambdas[j] + h)
                let f = c1 * phi + c2
                m[j] = f * m[j] + c1 * mus[j] * (1 - a * phi)
                v[j] = f * f * v[j] + (t > 1 ? beta : 0)
            }
        }
        _ = (lambdas.removeLast(), mus.removeLast())
        let D = p.ambient
        var mean = [Double](repeating: 0, count: D)
        var cov = Matrix<Double>(rows: D, columns: D)
        for j in 0..<p.latent {
            let b = directions.column(j)
            for r in 0..<D {
                mean[r] += m[j] * b[r]
                for c in 0..<D { cov[r, c] += v[j] * b[r] * b[c] }
            }
        }
        let offVariance = v[p.latent]
        let projector = Naive.product(p.basis, p.basis, transposeB: true)
        for r in 0..<D { for c in 0..<D { cov[r, c] += offVariance * ((r == c ? 1 : 0) - projector[r, c]) } }
        return (mean, cov)
    }

    @Test("matrix propagation equals the per-eigendirection scalar recursion", arguments: [
        NoiseSchedule.Kind.cosine(), .linear(),
    ])
    func matchesScalarRecursion(kind: NoiseSchedule.Kind) throws {
        let schedule = try NoiseSchedule(kind: kind, steps: 200)
        let law = DDPMExactLaw.output(sampler: DDPMSampler(schedule: schedule), model: try Fixture.gaussian(), guidance: nil)
        let reference = try scalarRecursionLaw(schedule: schedule)
        // Both are 200 steps of contractions with O(1) coefficients: round-off accumulates to ~200·u.
        #expect(Errors.maxAbs(law.mean, reference.mean) < 1e-12)
        #expect(Errors.maxAbs(law.covariance, reference.covariance) < 1e-12)
    }

    /// Measured (cosine): relative Frobenius error of the covariance 2.19e-2 at T = 200, 4.53e-3 at
    /// T = 1000 (ratio 4.84 ≈ 1000/200: first order in 1/T, from DDPM's reverse variance β̃ₜ omitting
    /// c₁²·Cov(x₀ | xₜ)); mean error relative to ‖Aμ_u‖ 2.9e-8 and 1.1e-9 (ratio 25: second order).
    /// Deterministic numbers, so the bounds are the measured values plus ~35 % margin (mean: a factor
    /// 3.5–4.4), and the orders are asserted through the ratios.
    @Test("without guidance the exact law approaches the data law N(Aμ_u, AΣ_uAᵀ), first order in 1/T")
    func approachesDataLaw() throws {
        let model = try Fixture.gaussian()
        func errors(_ T: Int) throws -> (mean: Double, covariance: Double, offSpan: Double) {
            let law = DDPMExactLaw.output(sampler: DDPMSampler(schedule: try NoiseSchedule(kind: .cosine(), steps: T)), model: model, guidance: nil)
            var off = 0.0
            for c in 0..<problem.ambient { off = max(off, Naive.norm(Naive.offSpan(problem.basis, law.covariance.column(c)))) }
            return (Errors.relative(law.mean, problem.dataMean), Errors.relative(law.covariance, problem.dataCovariance), off)
        }
        let e200 = try errors(200), e1000 = try errors(1000)
        #expect(e200.covariance < 0.03)
        #expect(e1000.covariance < 0.006)
        #expect(e200.covariance / e1000.covariance > 4 && e200.covariance / e1000.covariance < 6)
        #expect(e200.mean < 1e-7 && e1000.mean < 5e-9)
        #expect(e200.mean / e1000.mean > 15)
        // The law lives on span(A): no covariance off the subspace (the last step has no noise and c₂ = 0).
        #expect(e200.offSpan < 1e-14 && e1000.offSpan < 1e-14)
    }

    /// 4000 draws of the sampler (T = 50: any T will do, the reference is the same sampler's exact law) against its exact law, in latent coordinates a = Aᵀx (the law is
    /// supported on span(A), rank 3). Mean: n(ā − m)ᵀC⁻¹(ā − m) ~ χ²₃, critical value 30.66 at p = 1e-6.
    /// Covariance: each of the 6 distinct entries within 6·√((CᵢᵢCⱼⱼ + Cᵢⱼ²)/n) (the Gaussian sample-
    /// covariance standard deviation): p ≈ 2e-9 each under the normal approximation, ≲ 1e-7 allowing for the
    /// skewness √(8/n) ≈ 0.045 of a sample variance. Total false-fail rate ≈ 1e-6. Measured: χ² = 5.2; the
/// largest covariance deviation is 0.47 of its bound (2.8σ).
    @Test("the sampler's draws follow its exact law (mean χ² and covariance 6σ)")
    func drawsFollowExactLaw() throws {
        let model = try Fixture.gaussian()
        let sampler = DDPMSampler(schedule: try NoiseSchedule(kind: .cosine(), steps: 50), threads: 2)
        let n = 4000
        let x = sampler.sample(model: model, guidance: nil, count: n, noise: SamplingNoise(seed: 2024))
        let law = DDPMExactLaw.output(sampler: sampler, model: model, guidance: nil)
        let a = problem.basis
        let u = Naive.product(x, a)
        let m = Naive.apply(a.transposed, law.mean)
        let c = Naive.product(Naive.product(a, law.covariance, transposeA: true), a)
        let diff = Vectors.subtract(Stats.mean(u), m)
        let chi2 = Double(n) * Naive.dot(diff, try Naive.spdSolve(c, diff))
        #expect(chi2 < 30.66)
        let s = Stats.covariance(u)
        for i in 0..<3 {
            for j in i..<3 {
                #expect(abs(s[i, j] - c[i, j]) < 6 * ((c[i, i] * c[j, j] + c[i, j] * c[i, j]) / Double(n)).squareRoot(), "entry (\(i), \(j))")
            }
        }
    }
}
