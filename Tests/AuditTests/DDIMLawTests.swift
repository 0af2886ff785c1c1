import Audit
import Diffusion
import Testing

/// DDIM's exact law against its own draws, judged by the audit's law test at its stated power: the
/// draws pass for every η, guided, and fail against another η's law (a broken η is caught).
@Suite struct DDIMLawTests {
    @Test(arguments: [0.0, 0.5, 1.0])
    func drawsFollowTheExactLaw(_ eta: Double) throws {
        let c = try ConventionIdentificationTests.auditCase(.lookahead)
        let ddim = try DDIMSampler(schedule: c.sampler.schedule, eta: eta, steps: 20)
        let law = DDPMExactLaw.output(sampler: ddim, model: c.model, guidance: try c.guidanceTerm(rows: 1))
        let x = ddim.sample(model: c.model, guidance: try c.guidanceTerm(rows: 4000), count: 4000, noise: SamplingNoise(seed: 77))
        let verdict = try SampleAudit.judge(x, law: law, gradient: c.gradient, geometry: c.geometry)
        #expect(verdict.passed, "η = \(eta): \(verdict.departure?.detail ?? "")")
        #expect(verdict.power.standardDeviation < 0.07 && verdict.power.meanShift < 0.1)
        // Against the law of a sampler with another η, the same draws fail.
        let other = DDPMExactLaw.output(sampler: try DDIMSampler(schedule: c.sampler.schedule, eta: eta == 1 ? 0 : 1, steps: 20), model: c.model,
                                        guidance: try c.guidanceTerm(rows: 1))
        #expect(!(try SampleAudit.judge(x, law: other, gradient: c.gradient, geometry: c.geometry)).passed, "η = \(eta) passed another η's law")
    }
}
