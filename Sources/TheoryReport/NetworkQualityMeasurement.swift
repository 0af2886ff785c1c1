import Foundation
import Diffusion
import Experiments
import LinearAlgebra
import PropertyEngine
import Properties
import ScoreNetwork

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

    public static func measure(plan: Plan, profile: Profile, seed: UInt64, progress: ((String) -> Void)? = nil) throws -> NetworkQualityMeasurement {
        let experiment = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        guard let data = experiment.subspace else { throw ReportError.invalid("the paper's linear setting has no subspace law") }
        let points = experiment.pretrainingData(count: plan.points, seed: seed).converted(to: Float.self)
        func subject(_ role: String, _ parameterization: OutputParameterization, _ conditioning: TimeConditioning, ema: Double?) throws -> Subject {
            let architecture = try NetworkArchitecture(dimension: data.dimension, width: plan.width, blocks: plan.blocks,
                                                       parameterization: parameterization, timeConditioning: conditioning)
            let configuration = TrainingConfiguration(architecture: architecture, points: plan.points, epochs: plan.epochs,
                                                      steps: experiment.schedule.steps, schedule: experiment.setting.diffusion.schedule, seed: seed,
                                                      emaDecay: ema)
            let trainer = try ScoreTrainer(configuration: configuration, data: points)
            var state = try trainer.initialState()
            let start = Date()
            for e in 0..<plan.epochs {
                try trainer.trainEpoch(&state)
                progress?(String(format: "network %@: epoch %d/%d, loss %.4f", architecture.name, e + 1, plan.epochs, state.epochLosses.last ?? .nan))
            }
            let seconds = Date().timeIntervalSince(start)
            let model = try ModelUnderTest(name: "network \(architecture.name)", model: NetworkScore(network: state.networkToUse, maximumBatch: 256),
                                           data: data, schedule: experiment.schedule, objective: experiment.objective)
            let runner = Runner(profile: profile, familySize: ModelQuality.familySize, shard: .all, store: nil, progress: progress)
            let results = ModelQuality.properties(model).map { runner.run($0) }
            return Subject(role: role, architecture: architecture.name + (ema.map { " (EMA \($0))" } ?? ""), parameters: architecture.parameterCount, epochs: plan.epochs,
                           points: plan.points, finalLoss: state.epochLosses.last ?? .nan, trainingSeconds: seconds, properties: results)
        }
        let chosen = try subject("chosen", plan.chosen.0, plan.chosen.1, ema: plan.chosenEMADecay)
        let paper = try subject("paper", .epsilon, .input, ema: nil)
        return NetworkQualityMeasurement(chosen: chosen, paper: paper, seed: seed)
    }
}
