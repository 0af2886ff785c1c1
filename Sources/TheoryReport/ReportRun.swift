import Foundation
import PropertyEngine
import Properties
import Reproduction
import Experiments
import Diffusion
import Guidance
import FaultInjection

/// Everything a report is made of, measured in one run: the catalog's verdicts and evidence, the
/// reproduction of the paper's simulation study with the linear score class, the sphere sweep, and
/// the projected laws of the guided sampler's draws.
public struct ReportRun: Sendable {
    public var configuration: ReportConfiguration
    public var catalog: RunResults
    /// The reproduction, summarised over the seeds (one seed: that seed's results).
    public var study: SimulationStudy.Results
    public var sphere: SimulationStudy.Results
    /// Each seed's results, in `configuration.studySeeds` order.
    public var studies: [SimulationStudy.Results]
    public var spheres: [SimulationStudy.Results]
    public var law: ProjectedLawMeasurement
    /// The kill matrix of the mutants (nil when not run).
    public var mutation: MutationTesting?
    /// The sensitivity scan of the graded faults (nil when not run).
    public var sensitivity: Sensitivity?
    /// The false-fail calibration (nil when not run).
    public var calibration: Calibration?
    /// The learned networks under the model-quality family (nil when not run).
    public var networks: NetworkQualityMeasurement?
    /// The guidance methods side by side (nil when not run).
    public var methods: MethodsComparison?
    public var wallSeconds: Double

    /// Runs the catalog and the reproduction; `progress` gets one line per stage (and per property).
    public static func measure(_ configuration: ReportConfiguration, progress: ((String) -> Void)? = nil) throws -> ReportRun {
        let start = Date()
        let profile = configuration.profile
        let store = configuration.regressionsDirectory.map { RegressionStore(directory: $0) }
        let runner = Runner(profile: profile, familySize: Catalog.familySize, shard: .all, store: store, progress: progress)
        progress?("catalog: profile \(profile.name), seed \(profile.seed)")
        let properties = Catalog.properties().map { runner.run($0) }
        let catalog = RunResults(toolVersion: ToolVersion.string, profile: profile.name, seed: profile.seed,
                                 falseFailRate: profile.falseFailRate, familySize: Catalog.familySize, shard: "all", properties: properties)

        let linearSetting = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        let sphereSetting = try ResolvedExperiment(try PaperSetting.sphere())
        var linears: [SimulationStudy.Results] = [], spheres: [SimulationStudy.Results] = []
        for seed in configuration.studySeeds {
            var options = SimulationStudy.Options()
            options.seed = seed
            options.roundScale = configuration.roundScale
            options.backend = configuration.backend
            options.unguidedSamples = profile.name == "full" ? 2048 : 512
            let study = SimulationStudy(options: options, progress: progress)
            progress?("reproduction, seed \(seed): the paper's linear-latent setting with the linear score class (rounds ×\(configuration.roundScale))")
            linears.append(try study.runLinear(model: try linearSetting.scoreModel(.linear, pretrainingSize: 65536, seed: seed)))
            progress?("reproduction, seed \(seed): the sphere, δ sweep")
            spheres.append(try study.runSphere(model: try sphereSetting.scoreModel(.linear, pretrainingSize: 65536, seed: seed)))
        }
        let linear = SeedSummary.combine(linears), sphere = SeedSummary.combine(spheres)
        progress?("projected laws of \(configuration.lawDraws) guided draws")
        let law = try ProjectedLawMeasurement.measure(setting: linearSetting, draws: configuration.lawDraws, seed: configuration.studySeed,
                                                  backend: configuration.backend)
        var networks: NetworkQualityMeasurement?
        if let plan = configuration.networks {
            progress?("model quality: two networks of width \(plan.width) trained for \(plan.epochs) epochs, judged by the model-quality family")
            let study = configuration.networkStudy
                ? NetworkQualityMeasurement.StudyPlan(seeds: configuration.studySeeds, roundScale: configuration.roundScale, backend: configuration.backend) : nil
            networks = try NetworkQualityMeasurement.measure(plan: plan, profile: profile, seed: configuration.studySeed, study: study, progress: progress)
        }
        var methods: MethodsComparison?
        if let options = configuration.methods {
            progress?("guidance methods side by side: Algorithm 1 with each method, K = \(options.rounds)")
            methods = try MethodsComparison.measure(options, progress: progress)
        }
        var mutation: MutationTesting?
        if configuration.mutants {
            progress?("mutation testing: the catalog against \(Fault.allCases.count) mutants")
            mutation = try MutationTesting.run(profile: profile, progress: progress)
        }
        var sensitivity: Sensitivity?
        if configuration.sensitivity {
            progress?("sensitivity: the catalog against \(GradedFault.allCases.count) graded faults at growing sizes")
            sensitivity = try Sensitivity.run(profile: profile, progress: progress)
        }
        var calibration: Calibration?
        if configuration.calibrationRuns > 0 {
            progress?("calibration: \(configuration.calibrationRuns) runs at level \(configuration.calibrationLevel)")
            calibration = try Calibration.run(runs: configuration.calibrationRuns, level: configuration.calibrationLevel,
                                              profileName: profile.name, firstSeed: profile.seed &+ 1, progress: progress)
        }
        return ReportRun(configuration: configuration, catalog: catalog, study: linear, sphere: sphere, studies: linears, spheres: spheres, law: law,
                         mutation: mutation, sensitivity: sensitivity, calibration: calibration, networks: networks, methods: methods,
                         wallSeconds: Date().timeIntervalSince(start))
    }
}
