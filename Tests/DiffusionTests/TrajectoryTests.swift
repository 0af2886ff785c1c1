import Diffusion
import LinearAlgebra
import Randomness
import Testing
import TestSupport

/// The sampler's trajectory (what an audit sets an external trajectory beside) and the exact law's
/// affine steps: the same numbers as `sample`, and each step the sampler's own update.
@Suite struct TrajectoryTests {
    let problem = SubspaceProblem(ambient: 8, latent: 3, seed: 5)

    @Test func theTrajectoryStartsAtTheInitialNoiseAndEndsAtTheSample() throws {
        let model = try GaussianScore.subspace(basis: problem.basis, latentMean: problem.latentMean, latentCovariance: problem.latentCovariance)
        let sampler = DDPMSampler(schedule: try NoiseSchedule(steps: 25))
        let noise = SamplingNoise(seed: 9)
        let states = try sampler.trajectory(model: model, guidance: nil, count: 6, noise: noise)
        #expect(states.count == 26)
        #expect(states[0] == NoiseFill.normals(rows: 6, columns: 8, key: noise.initialKey))
        #expect(states[25] == sampler.sample(model: model, guidance: nil, count: 6, noise: noise))
    }

    /// Each affine step (F, f, √v) applied to the sampler's own xₜ with the step's own noise gives its xₜ₋₁.
    @Test func everyAffineStepIsTheSamplersStep() throws {
        let model = try GaussianScore.subspace(basis: problem.basis, latentMean: problem.latentMean, latentCovariance: problem.latentCovariance)
        let sampler = DDPMSampler(schedule: try NoiseSchedule(steps: 25))
        let noise = SamplingNoise(seed: 4)
        let states = try sampler.trajectory(model: model, guidance: nil, count: 5, noise: noise)
        let steps = DDPMExactLaw.steps(sampler: sampler, model: model, guidance: nil)
        for (k, step) in steps.enumerated() {
            let z = NoiseFill.normals(rows: 5, columns: 8, key: noise.stepKey(step.step))
            let predicted = step.apply(states[k], noise: z)
            let worst = zip(predicted.elements, states[k + 1].elements).reduce(0) { max($0, abs($1.0 - $1.1)) }
            #expect(worst < 1e-12, "step \(step.step): \(worst)")
        }
        #expect(steps.last!.variance == 0 && steps.first!.variance > 0)
    }
}
