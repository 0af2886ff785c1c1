import Audit
import Diffusion
import Experiments
import Foundation
import LinearAlgebra
import NumPyIO
import Testing

/// The case on disk, and the audit's own false-fail rate.
@Suite struct AuditCaseTests {
    static func written(_ c: AuditCase) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-case-\(UUID().uuidString)").path
        var folder = OutputFolder(path: path, command: "audit-case")
        let law = try c.law()
        try folder.add(AuditCaseFiles.arraysName, bytes: NPZArchive.bytes(try AuditCaseFiles.arrays(c, law: law)))
        try folder.add(AuditCaseFiles.manifestName, text: AuditCaseFiles.manifest(c, law: law))
        try folder.commit()
        return path
    }

    @Test func aWrittenCaseReadsBackToTheSameCase() throws {
        for kind in AuditGuidance.allCases {
            let c = try ConventionIdentificationTests.auditCase(kind, rule: "theory")
            let path = try Self.written(c)
            let back = try AuditCaseFiles.load(path)
            #expect(back.guidance == kind && back.count == c.count && back.trajectories == c.trajectories && back.seed == c.seed)
            #expect(try back.law() == c.law())
            #expect(back.gradient == c.gradient && back.target == c.target)
            // The arrays are what the manifest says: the law, the schedule and the shared noise the sampler reads.
            let arrays = try NPZArchive.read(contentsOf: path + "/case.npz")
            #expect(arrays["law_mean"]!.doubles == (try c.law()).mean)
            #expect(arrays["alpha_bar"]!.doubles == c.sampler.schedule.alphaBar)
            #expect(arrays["noise"]!.shape == [c.steps, c.trajectories, c.dimension])
            #expect(Array(arrays["noise"]!.doubles.prefix(c.trajectories * c.dimension)) == c.stepNoise(1, rows: c.trajectories).elements)
            // case.json is a setting file: it replays the setting with its guidance query.
            let setting = try SettingFile.load(path: path + "/case.json")
            #expect(setting.guidance.gradient == c.gradient && setting.data.basis == nil && setting.data.basisSeed == 7)
        }
    }

    @Test func theCaseNeedsAGaussianLatent() throws {
        let sphere = try ResolvedExperiment(try PaperSetting.sphere())
        #expect(throws: AuditError.self) { _ = try AuditCase(experiment: sphere, guidance: .none, count: 10, trajectories: 0, seed: 1) }
    }

    /// Draws from the exact law itself fail at most at the stated rate (one-sided binomial, 10⁻³), and do
    /// fail at about that rate (no failure in 200 runs at 5% has probability 4·10⁻⁵): the tests have size.
    @Test func drawsFromTheLawFailAtTheStatedRate() throws {
        let c = try ConventionIdentificationTests.auditCase(.lookahead)
        let result = try AuditCalibration.run(c, runs: 200, draws: 400, options: .init(falseFailRate: 0.05, lawDraws: 20000), seed: 21)
        #expect(result.consistent, "\(result.text)")
        #expect(result.failures >= 1, "\(result.text)")
    }

    /// Naive guidance with g off span(A) puts the law's mean off the subspace: r_off is then judged against
    /// the law's own (Monte Carlo). (Its spread off span(A) is of order h₁β, below the support's cut, so
    /// the support stays d-dimensional and the off-span offset is checked exactly, as the support bound.)
    @Test func naiveGuidanceOffTheSubspaceIsJudgedAgainstItsOwnROff() throws {
        var s = try ExperimentSetting.generated(ambient: 6, latent: 3, seed: 7)
        s.diffusion.steps = 40
        let experiment = try ResolvedExperiment(s)
        let basis = experiment.subspace!.basis
        var g = [0.3, -0.2, 0.5, 0.1, 0.4, -0.6]
        g = Vectors.add(g, basis.times(basis.times(g, transposed: true)), scaledBy: -0.5)   // half its on-span part removed
        s.guidance.gradient = g
        s.guidance.target = 1
        let c = try AuditCase(experiment: try ResolvedExperiment(s), guidance: .naive, count: 4000, trajectories: 4, seed: 3)
        let external = try ExternalSampler(c)
        let verdict = try SampleAudit.judge(external.samples(4000, seed: 8), law: try c.law(), gradient: c.gradient, geometry: c.geometry)
        #expect(verdict.passed, "\(verdict.departure?.detail ?? "")")
        #expect((verdict.rOffLaw ?? 0) > 1e-3)
        #expect(verdict.support == 3)
        #expect(verdict.checks.contains { $0.name == "r_off" && $0.pValue != nil })
        // Samples that stay on span(A) (the look-ahead law's) fail it.
        let onSpan = try SampleAudit.judge(try ExternalSampler(try AuditCase(experiment: c.experiment, guidance: .lookahead, count: 4000, trajectories: 0, seed: 3))
            .samples(4000, seed: 8), law: try c.law(), gradient: c.gradient, geometry: c.geometry)
        #expect(!onSpan.passed)
    }
}
