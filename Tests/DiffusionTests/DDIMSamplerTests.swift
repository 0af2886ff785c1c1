import Diffusion
import LinearAlgebra
import Randomness
import Testing
import TestSupport

/// DDIM (η ∈ [0, 1], all steps or a sub-sequence) through the house's one sampler core, and its exact law.
@Suite struct DDIMSamplerTests {
    let problem = SubspaceProblem(ambient: 8, latent: 3, seed: 17)

    func model() throws -> GaussianScore {
        try GaussianScore.subspace(basis: problem.basis, latentMean: problem.latentMean, latentCovariance: problem.latentCovariance)
    }

    /// η = 1 over all steps is DDPM's ancestral sampler: the same c₁, c₂ and β̃ₜ (derived independently in
    /// DDPMSampler), so the same draws from the same noise.
    @Test func etaOneIsDDPM() throws {
        let schedule = try NoiseSchedule(steps: 40)
        let ddim = try DDIMSampler(schedule: schedule, eta: 1), ddpm = DDPMSampler(schedule: schedule)
        for t in 1...40 {
            let a = ddim.coefficients(from: t, to: t - 1), b = ddpm.coefficients(t)
            #expect(abs(a.c1 - b.c1) <= 1e-12 * abs(b.c1) + 1e-15 && abs(a.c2 - b.c2) <= 1e-12 * abs(b.c2) + 1e-15, "t = \(t)")
            if t > 1 { #expect(abs(a.variance - b.variance) <= 1e-12 * b.variance, "t = \(t)") }
        }
        let noise = SamplingNoise(seed: 3)
        let x = ddim.sample(model: try model(), guidance: nil, count: 16, noise: noise)
        let y = ddpm.sample(model: try model(), guidance: nil, count: 16, noise: noise)
        #expect(zip(x.elements, y.elements).allSatisfy { abs($0 - $1) < 1e-10 })
    }

    /// η = 0 is deterministic given x_T (no step draws noise) and, with an exact subspace score, ends in span(A).
    @Test func etaZeroIsDeterministicAndEndsInSpan() throws {
        let ddim = try DDIMSampler(schedule: try NoiseSchedule(steps: 30), eta: 0, steps: 10)
        #expect(ddim.plan.steps.allSatisfy { $0.noiseStep == nil && $0.sd == 0 })
        #expect(ddim.timesteps == [3, 6, 9, 12, 15, 18, 21, 24, 27, 30])
        let x = ddim.sample(model: try model(), guidance: nil, count: 32, noise: SamplingNoise(seed: 4))
        #expect((SubspaceGeometry(basis: problem.basis).offSupportRatio(x).max() ?? 1) < 1e-12)
        let law = DDPMExactLaw.output(sampler: ddim, model: try model(), guidance: nil)
        // A deterministic map of x_T ~ N(0, I): the law's covariance is F Fᵀ, rank d.
        let rank = try SymmetricEigendecomposition(law.covariance).eigenvalues.filter { $0 > 1e-9 }.count
        #expect(rank == 3)
    }

    /// Each exact-law step applied to the sampler's own state with the step's own noise gives its next
    /// state, for η = 0.5 on a sub-sequence, guided.
    @Test func theExactLawsStepsAreTheSamplersSteps() throws {
        let ddim = try DDIMSampler(schedule: try NoiseSchedule(steps: 50), eta: 0.5, steps: 20)
        let m = try model()
        let g = problem.basis.times([1, -0.5, 0.25])
        let guidance = try NaiveLikeAffine(gradient: g, target: 1.5, strength: 0.8)
        let noise = SamplingNoise(seed: 6)
        let states = try ddim.trajectory(model: m, guidance: guidance, count: 5, noise: noise)
        let steps = DDPMExactLaw.steps(sampler: ddim, model: m, guidance: guidance)
        #expect(states.count == steps.count + 1)
        for (k, step) in steps.enumerated() {
            let z = NoiseFill.normals(rows: 5, columns: 8, key: noise.stepKey(step.step))
            let worst = zip(step.apply(states[k], noise: z).elements, states[k + 1].elements).reduce(0) { max($0, abs($1.0 - $1.1)) }
            #expect(worst < 1e-11, "step \(step.step): \(worst)")
        }
    }

    /// With the exact score, the deterministic DDIM's output law tends to the data law as its steps are refined.
    @Test func theDeterministicLawApproachesTheDataLaw() throws {
        let m = try model()
        let schedule = try NoiseSchedule(steps: 1000)
        func error(_ s: Int) throws -> Double {
            let law = DDPMExactLaw.output(sampler: try DDIMSampler(schedule: schedule, eta: 0, steps: s), model: m, guidance: nil)
            var d = law.covariance
            d.add(m.covariance, scaledBy: -1)
            return Vectors.norm(Vectors.add(law.mean, m.mean, scaledBy: -1)) + d.frobeniusNorm
        }
        let errors = try [10, 50, 250, 1000].map(error)
        #expect(zip(errors, errors.dropFirst()).allSatisfy { $1 < $0 }, "\(errors)")
        #expect(errors.last! < 0.01, "\(errors)")
    }

    @Test func invalidParametersAreRefused() throws {
        let schedule = try NoiseSchedule(steps: 20)
        #expect(throws: DiffusionError.self) { _ = try DDIMSampler(schedule: schedule, eta: 1.5) }
        #expect(throws: DiffusionError.self) { _ = try DDIMSampler(schedule: schedule, eta: .nan) }
        #expect(throws: DiffusionError.self) { _ = try DDIMSampler(schedule: schedule, steps: 0) }
        #expect(throws: DiffusionError.self) { _ = try DDIMSampler(schedule: schedule, steps: 21) }
    }
}

/// A test's own affine guidance, G = k(y − gᵀx̂₀)g (the naive form with a constant strength), so the
/// Diffusion tests need no Guidance module.
struct NaiveLikeAffine: AffineGuidanceTerm {
    let gradient: [Double], target: Double, strength: Double

    func term(model: any ScoreModel, x: Matrix<Double>, denoised: Matrix<Double>, time: DiffusionTime) -> Matrix<Double> {
        var out = Matrix<Double>(rows: x.rows, columns: x.columns)
        for i in 0..<x.rows {
            let r = strength * (target - Vectors.dot(gradient, denoised.row(i)))
            out.setRow(i, gradient.map { r * $0 })
        }
        return out
    }

    func affineTerm(jacobian: Matrix<Double>, offset: [Double], time: DiffusionTime, row: Int) -> (linear: Matrix<Double>, constant: [Double]) {
        let jg = jacobian.times(gradient, transposed: true)
        return ((-strength) * Matrix.outer(gradient, jg), gradient.map { strength * (target - Vectors.dot(gradient, offset)) * $0 })
    }
}
