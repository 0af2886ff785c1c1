import Foundation
import Guidance
import LinearAlgebra
import Randomness
import Testing
import TestSupport

/// The theory presets' round (`TheoryRound`): its query against the formulas of SPEC §6 written out here,
/// and the optimiser's theory runs against a loop of that very round, so that T2 and T3, which check
/// `TheoryRound`, check what `ggd optimize --preset theory` runs.
@Suite struct TheoryRoundTests {
    let problem = Fixture.problem
    let sampler = DDPMSampler(schedule: try! NoiseSchedule(kind: .cosine(), steps: 30))

    func objective() throws -> ConcaveQuadraticObjective {
        let c = Vectors.add(problem.embed([1.5, -1, 0.5]), Fixture.offSpanHeavyGradients(1, key: TestRandom.key(811)).elements)
        return try ConcaveQuadraticObjective(center: c, curvature: .identity(problem.ambient))
    }

    @Test func algorithm1QueryIsTheorem2sStep() throws {
        let model = try Fixture.gaussian(), f = try objective()
        let round = try TheoryRound.preset(algorithm: 1, model: model, objective: f, sigma: 0.3, lambda: 2, rounds: 10)
        #expect(round.eta == 0.5)
        let zbar = Vectors.add(model.mean, problem.embed([0.2, 0.1, -0.3]))
        let q = try round.query(after: zbar)
        let g = f.gradient(zbar)
        #expect(q.gradient == g)
        #expect(q.anchor == model.mean)
        let y = 0.5 * (0.09 + model.covariance.bilinear(g, g)) + Vectors.dot(g, model.mean)
        #expect(abs(q.target - y) <= 1e-12 * max(1, abs(y)))
    }

    @Test func algorithm2QueryRefitsTheMeanOnTheSupport() throws {
        let model = try Fixture.gaussian(), f = try objective()
        let round = try TheoryRound.preset(algorithm: 2, model: model, objective: f, sigma: 0.3, lambda: nil, rounds: 50)
        let L = try #require(try f.smoothness(covariance: model.covariance))
        let lambda = L * log(50) / 200
        #expect(abs(round.lambda - lambda) <= 1e-15 * lambda)
        #expect(abs(round.eta - 2 / (L + 2 * lambda)) <= 1e-15)
        // An iterate with an off-span part: the anchor ηλμ̄ + (1 − ηλ)z̄ is projected onto span(A).
        let zbar = Vectors.add(Vectors.add(model.mean, problem.embed([0.4, -0.2, 0.1])), Fixture.offSpanHeavyGradients(1, key: TestRandom.key(812)).elements)
        let q = try round.query(after: zbar)
        let w = round.eta * round.lambda
        let mix = Vectors.add(Vectors.scale(model.mean, by: w), zbar, scaledBy: 1 - w)
        let expected = Vectors.add(model.mean, SubspaceGeometry(basis: problem.basis).project(Vectors.subtract(mix, model.mean)))
        #expect(Vectors.norm(Vectors.subtract(q.anchor, expected)) <= 1e-12)
        #expect(q.model.mean == q.anchor)
        let g = f.gradient(zbar)
        let y = round.eta * (0.09 + model.covariance.bilinear(g, g)) + Vectors.dot(g, q.anchor)
        #expect(abs(q.target - y) <= 1e-12 * max(1, abs(y)))
    }

    /// The optimiser's theory runs are this round looped: same draws, same bits.
    @Test(arguments: [1, 2])
    func optimizerRunsTheRound(_ algorithm: Int) throws {
        let model = try Fixture.gaussian(), f = try objective()
        let rounds = 6, B = 8, seed: UInt64 = 17
        let settings = OptimizationSettings(algorithm: algorithm, rounds: rounds, batchSize: B,
                                            preset: .theory(lambda: algorithm == 1 ? 3 : nil),
                                            fineTuning: algorithm == 2 ? .offsetRefit : nil, seed: seed)
        let run = try GenerativeOptimizer(sampler: sampler, objective: f, settings: settings, geometry: SubspaceGeometry(basis: problem.basis)).run(model: model)
        let round = try TheoryRound.preset(algorithm: algorithm, model: model, objective: f, sigma: settings.sigma,
                                           lambda: algorithm == 1 ? 3 : nil, rounds: rounds)
        var x = sampler.sample(model: model, guidance: nil, count: B, noise: SamplingNoise(seed: seed, round: 0))
        for k in 1...rounds {
            let q = try round.query(after: x.columnMeans)
            let guidance = try LookaheadGuidance(target: try .shared(gradient: q.gradient, target: q.target, count: B),
                                                 beta: .theory(sigma: settings.sigma), coefficient: settings.betaCoefficient)
            x = sampler.sample(model: algorithm == 2 ? q.model : model, guidance: guidance, count: B, noise: SamplingNoise(seed: seed, round: k))
        }
        #expect(run.finalSamples.elements == x.elements, "the optimiser's theory round is not TheoryRound's")
    }
}
