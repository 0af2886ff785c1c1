import Foundation
import Diffusion
import Experiments
import LinearAlgebra
import PropertyEngine
import Properties
import ScoreNetwork
import Backends
import Reproduction

/// The learned network in every report (issue 14): two ε-networks trained in the run on the paper's
/// linear-latent data with one budget — the architecture the sweep chose (v-prediction with a moving
/// average of the parameters, decay 0.999) and the paper's
/// plain MLP (ε-output, time at the input only) — each judged by the model-quality family at the run's
/// profile. The chosen one must pass; the paper's is the family's deliberately weak subject, and what it
/// fails is the family's kill, shown in the trust section.
public struct NetworkQualityMeasurement: Sendable {
    /// One trained network and its verdicts.
    public struct Subject: Sendable {
        /// "chosen" or "paper".
        public var role: String
        public var architecture: String
        public var parameters: Int
        public var epochs: Int
        public var points: Int
        public var finalLoss: Double
        public var trainingSeconds: Double
        public var properties: [PropertyResult]

        public var failed: [String] { properties.filter { $0.passed == false }.map(\.id) }
    }

    public var chosen: Subject
    public var paper: Subject
    /// The seed of the training data, initialisation, shuffles and noise.
    public var seed: UInt64
    /// The paper's simulation study rerun with the chosen architecture (`StudyPlan`; `--profile full`):
    /// seed k's linear-latent results (the chosen network) and sphere results (the same architecture
    /// trained on sphere data). Empty when not run.
    public var studies: [SimulationStudy.Results] = []
    public var spheres: [SimulationStudy.Results] = []
    /// The network the sphere part ran with (empty when not run).
    public var sphereArchitecture = ""

    /// The study rerun with the chosen architecture: its seeds, round scale and backend.
    public struct StudyPlan: Sendable {
        public var seeds: [UInt64]
        public var roundScale: Double
        public var backend: BackendChoice?
        public init(seeds: [UInt64], roundScale: Double, backend: BackendChoice? = nil) {
            (self.seeds, self.roundScale, self.backend) = (seeds, roundScale, backend)
        }
    }

    /// How the two networks are shaped and trained.
    public struct Plan: Sendable, Equatable {
        public var width: Int
        public var blocks: Int
        public var epochs: Int
        public var points: Int
        public var chosen: (OutputParameterization, TimeConditioning)
        /// The chosen network's parameter average (the paper's MLP keeps none, as in the paper's code).
        public var chosenEMADecay: Double?

        public init(width: Int, blocks: Int = 3, epochs: Int = 20, points: Int = 65536,
                    chosen: (OutputParameterization, TimeConditioning) = (.velocity, .input), chosenEMADecay: Double? = 0.999) {
            (self.width, self.blocks, self.epochs, self.points, self.chosen) = (width, blocks, epochs, points, chosen)
            self.chosenEMADecay = chosenEMADecay
        }

        public static func == (a: Plan, b: Plan) -> Bool {
            a.width == b.width && a.blocks == b.blocks && a.epochs == b.epochs && a.points == b.points && a.chosen == b.chosen
                && a.chosenEMADecay == b.chosenEMADecay
        }
    }

    /// Trains the two networks and judges them; with `study`, reruns the paper's simulation study with the
    /// chosen architecture over `study.seeds` (the sphere part with that architecture trained on sphere data).
    public static func measure(plan: Plan, profile: Profile, seed: UInt64, study: StudyPlan? = nil,
                               progress: ((String) -> Void)? = nil) throws -> NetworkQualityMeasurement {
        let experiment = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        guard let data = experiment.subspace else { throw ReportError.invalid("the paper's linear setting has no subspace law") }
        /// The network of `plan` trained on `setting`'s data, with its final loss and training time.
        func train(_ setting: ResolvedExperiment, _ parameterization: OutputParameterization, _ conditioning: TimeConditioning,
                   ema: Double?) throws -> (network: EpsilonNetwork<Float>, architecture: NetworkArchitecture, loss: Double, seconds: Double) {
            let architecture = try NetworkArchitecture(dimension: setting.setting.data.ambientDimension, width: plan.width, blocks: plan.blocks,
                                                       parameterization: parameterization, timeConditioning: conditioning)
            let configuration = TrainingConfiguration(architecture: architecture, points: plan.points, epochs: plan.epochs,
                                                      steps: setting.schedule.steps, schedule: setting.setting.diffusion.schedule, seed: seed,
                                                      emaDecay: ema)
            let points = setting.pretrainingData(count: plan.points, seed: seed).converted(to: Float.self)
            let trainer = try ScoreTrainer(configuration: configuration, data: points)
            var state = try trainer.initialState()
            let start = Date()
            for e in 0..<plan.epochs {
                try trainer.trainEpoch(&state)
                progress?(String(format: "network %@ (%@ data): epoch %d/%d, loss %.4f", architecture.name, setting.setting.data.kind.rawValue,
                                 e + 1, plan.epochs, state.epochLosses.last ?? .nan))
            }
            return (state.networkToUse, architecture, state.epochLosses.last ?? .nan, Date().timeIntervalSince(start))
        }
        func subject(_ role: String, _ parameterization: OutputParameterization, _ conditioning: TimeConditioning,
                     ema: Double?) throws -> (Subject, EpsilonNetwork<Float>) {
            let trained = try train(experiment, parameterization, conditioning, ema: ema)
            let model = try ModelUnderTest(name: "network \(trained.architecture.name)", model: NetworkScore(network: trained.network, maximumBatch: 256),
                                           data: data, schedule: experiment.schedule, objective: experiment.objective)
            let runner = Runner(profile: profile, familySize: ModelQuality.familySize, shard: .all, store: nil, progress: progress)
            let results = ModelQuality.properties(model).map { runner.run($0) }
            return (Subject(role: role, architecture: trained.architecture.name + (ema.map { " (EMA \($0))" } ?? ""),
                            parameters: trained.architecture.parameterCount, epochs: plan.epochs, points: plan.points, finalLoss: trained.loss,
                            trainingSeconds: trained.seconds, properties: results), trained.network)
        }
        let (chosen, chosenNetwork) = try subject("chosen", plan.chosen.0, plan.chosen.1, ema: plan.chosenEMADecay)
        let (paper, _) = try subject("paper", .epsilon, .input, ema: nil)
        var measured = NetworkQualityMeasurement(chosen: chosen, paper: paper, seed: seed)
        if let study {
            let sphere = try train(try ResolvedExperiment(try PaperSetting.sphere()), plan.chosen.0, plan.chosen.1, ema: plan.chosenEMADecay)
            measured.sphereArchitecture = chosen.architecture
            for studySeed in study.seeds {
                var options = SimulationStudy.Options()
                options.seed = studySeed
                options.roundScale = study.roundScale
                options.backend = study.backend
                let run = SimulationStudy(options: options, progress: progress)
                progress?("reproduction with the network \(chosen.architecture), seed \(studySeed) (rounds ×\(study.roundScale))")
                measured.studies.append(try run.runLinear(network: chosenNetwork))
                measured.spheres.append(try run.runSphere(network: sphere.network))
            }
        }
        return measured
    }
}
