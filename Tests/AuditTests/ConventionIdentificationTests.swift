import Audit
import Diffusion
import Experiments
import LinearAlgebra
import FaultInjection
import Foundation
import Testing

/// Each recognised convention error, made by an outside implementation (`ExternalSampler`), is caught by
/// the audit and named: by its trajectory from the shared noise (every error, float32's schedule
/// included) and by its samples where sampling can see it at all.
@Suite struct ConventionIdentificationTests {
    /// A small Gaussian-latent setting: D = 6, d = 3, T = 40, with the given guidance.
    static func auditCase(_ guidance: AuditGuidance, rule: String = "code", trajectories: Int = 8) throws -> AuditCase {
        var s = try ExperimentSetting.generated(ambient: 6, latent: 3, seed: 7)
        s.diffusion.steps = 40
        s.guidance.betaRule = rule
        return try AuditCase(experiment: try ResolvedExperiment(s), guidance: guidance, count: 4000, trajectories: trajectories, seed: 11)
    }

    @Test func theReferenceExamplePassesEveryAudit() throws {
        for kind in AuditGuidance.allCases {
            let c = try Self.auditCase(kind)
            let external = try ExternalSampler(c)
            let trajectory = try TrajectoryAudit.judge(c, states: external.trajectory(8), float32: false)
            #expect(trajectory.passed, "\(kind): \(trajectory.departure ?? "")")
            // Written independently, it agrees with the shipped sampler to round-off, step by step and end to end.
            #expect((trajectory.steps.map(\.oneStepDeviation).max() ?? 1) < 1e-12)
            #expect(trajectory.outputDeviation < 1e-12)
            let samples = try SampleAudit.judge(external.samples(4000, seed: 3), law: try c.law(), gradient: c.gradient, geometry: c.geometry)
            #expect(samples.passed, "\(kind): \(samples.departure?.detail ?? "")")
        }
    }

    static let mistakes: [(ExternalSampler.Mistake, AuditGuidance)] = [
        (.alphaBarOffByOne, .lookahead), (.varianceBeta, .lookahead), (.noiseAtLastStep, .none),
        (.betaDoubled, .naive), (.betaDoubled, .lookahead), (.betaMissingAlphaSquared, .lookahead), (.float32Schedule, .lookahead),
    ]

    @Test(arguments: mistakes.indices)
    func aTrajectoryNamesTheMistake(_ index: Int) throws {
        let (mistake, kind) = Self.mistakes[index]
        let c = try Self.auditCase(kind)
        let external = try ExternalSampler(c, mistake: mistake)
        let verdict = try TrajectoryAudit.judge(c, states: external.trajectory(8), float32: false)
        var report = AuditReport(input: "trajectory", caseSummary: c.summary)
        report.trajectory = verdict
        #expect(!verdict.passed)
        #expect(verdict.firstDepartingStep != nil)
        #expect(report.likelyConventions == [external.convention], "\(report.text)")
    }

    /// Samples name the mistake wherever its law differs from the reference's by more than the audit's
    /// stated power resolves at 4000 draws (a mean shift, a spread along g, or mass off the support);
    /// below that (a float32 schedule moves the law by about 1e-7) they pass, as they should: the
    /// trajectory audit is the one that sees it.
    @Test(arguments: mistakes.indices)
    func samplesNameTheMistakeTheyCanSee(_ index: Int) throws {
        let (mistake, kind) = Self.mistakes[index]
        let c = try Self.auditCase(kind)
        let external = try ExternalSampler(c, mistake: mistake)
        let x = external.samples(4000, seed: 5)
        let verdict = try SampleAudit.judge(x, law: try c.law(), gradient: c.gradient, geometry: c.geometry)
        let (meanShift, spread, offSupport) = try Self.difference(try c.law(), try external.convention.law(c), along: c.gradient)
        let visible = offSupport || meanShift > verdict.power.meanShift || abs(spread) > verdict.power.standardDeviation
        // Not vacuous: at σ = 0.1 only the α² in βₜ's σ² term (which matters only while αₜ²σ² is
        // comparable to hₜ‖v‖²) and float32's rounding of the schedule stay below what 4000 draws resolve.
        #expect(visible == ![.float32Schedule, .betaMissingAlphaSquared].contains(mistake), "\(mistake): mean shift \(meanShift), spread \(spread)")
        guard visible else {
            #expect(verdict.passed, "\(mistake): a law this close (mean shift \(meanShift), spread \(spread)) should pass")
            return
        }
        #expect(!verdict.passed, "\(mistake) passed the samples audit")
        var report = AuditReport(input: "samples", caseSummary: c.summary)
        report.samples = verdict
        report.samplesConventions = try ConventionSearch.fits(x, case: c, options: .init())
        #expect(report.likelyConventions.contains(external.convention), "\(report.text)")
    }

    /// How far `variant` is from `reference`: the Mahalanobis distance of the means in the reference's
    /// support, the standard deviation along g relative to the reference's minus 1, and whether the variant
    /// puts mass outside the support.
    static func difference(_ reference: GaussianLaw, _ variant: GaussianLaw, along g: [Double]?) throws -> (Double, Double, Bool) {
        let eig = try SymmetricEigendecomposition(reference.covariance)
        let top = eig.eigenvalues.last ?? 0
        var shift = 0.0, outside = 0.0
        let d = Vectors.add(variant.mean, reference.mean, scaledBy: -1)
        for k in eig.eigenvalues.indices {
            let v = eig.eigenvectors.column(k)
            if eig.eigenvalues[k] > 1e-9 * top {
                shift += pow(Vectors.dot(v, d), 2) / eig.eigenvalues[k]
            } else {
                outside += variant.covariance.bilinear(v, v) + pow(Vectors.dot(v, d), 2)
            }
        }
        let u = g ?? eig.eigenvectors.column(eig.eigenvalues.count - 1)
        let spread = (variant.covariance.bilinear(u, u) / reference.covariance.bilinear(u, u)).squareRoot() - 1
        return (shift.squareRoot(), spread, outside > 1e-8 * top)
    }

    /// The shipped sampler with an injected fault is an outside implementation too: the audit names the
    /// faults that are convention errors.
    @Test func theShippedSamplerWithAFaultIsNamed() throws {
        let c = try Self.auditCase(.lookahead)
        for (fault, convention) in [(Fault.noiseAtLastStep, SamplerConvention.noiseAtLastStep), (.varianceUndamped, .varianceBeta),
                                    (.codeBetaMissingAlphaSquared, .betaMissingAlphaSquared)] {
            let states = try FaultHook.inject(fault, acknowledging: FaultHook.acknowledgement) {
                try c.sampler.trajectory(model: c.model, guidance: try c.guidanceTerm(rows: 8), count: 8, noise: c.noise)
            }
            var report = AuditReport(input: "trajectory", caseSummary: c.summary)
            report.trajectory = try TrajectoryAudit.judge(c, states: Array(states.reversed()), float32: false)
            #expect(report.likelyConventions == [convention], "\(fault): \(report.text)")
        }
    }
}
