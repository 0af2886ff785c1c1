import Foundation
import Diffusion
import Experiments
import Guidance
import LinearAlgebra

/// The guidance methods side by side on the paper's linear-latent setting (f₁, D = 64, d = 16, the
/// exact Gaussian score): for each method × sampler, whether it keeps span(A) (its exact law's off-span
/// mass for the first round's query, where the method is affine), Algorithm 1 with the method in place of
/// G_loss (reward, top-4 reward and r_off after K rounds, wall time per round), and a reward–deviation
/// frontier across strengths. Every number is computed in the run, from its seed and settings.
public struct MethodsComparison: Codable, Sendable {
    public struct Options: Codable, Sendable, Equatable {
        /// K, Algorithm 1's rounds per run.
        public var rounds: Int
        public var batchSize: Int
        public var seed: UInt64
        /// The strength multipliers of the frontier (DDPM).
        public var scales: [Double]
        /// δ of every method's targets y = gᵀz + δ (G_loss's, so that the methods face the same queries).
        public var delta: Double
        /// DDIM's η and steps for the DDIM column.
        public var ddimEta: Double
        public var ddimSteps: Int
        public var methods: [GuidanceMethod]

        public init(rounds: Int = 40, batchSize: Int = 32, seed: UInt64 = 1234, scales: [Double] = [0.25, 0.5, 1, 2, 4], delta: Double = 0.2,
                    ddimEta: Double = 0, ddimSteps: Int = 50, methods: [GuidanceMethod] = GuidanceMethod.defaults) {
            self.rounds = rounds
            self.batchSize = batchSize
            self.seed = seed
            self.scales = scales
            self.delta = delta
            self.ddimEta = ddimEta
            self.ddimSteps = ddimSteps
            self.methods = methods
        }

        public func validate() throws {
            guard rounds >= 1, rounds <= 100_000 else { throw GuidanceError.invalidParameter("rounds K must lie in 1 … 100000, got \(rounds)") }
            guard batchSize >= 1, batchSize <= 100_000 else { throw GuidanceError.invalidParameter("the batch size must lie in 1 … 100000, got \(batchSize)") }
            guard scales.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw GuidanceError.invalidParameter("frontier scales must be positive and finite") }
            guard delta.isFinite else { throw GuidanceError.invalidParameter("δ must be finite") }
            guard !methods.isEmpty else { throw GuidanceError.invalidParameter("no methods to compare") }
        }
    }

    /// One method on one sampler.
    public struct Row: Codable, Sendable, Equatable {
        public var method: String
        public var settings: String
        public var sampler: String
        public var source: String
        /// The exact law's relative off-span mass for the first round's query (nil: the method is not affine).
        public var offSpanMass: Double?
        /// Whether the law keeps span(A) (mass ≤ 1e-6); nil without a law.
        public var keepsSpan: Bool?
        /// Whether this run's draws (and law, where there is one) stay on span(A).
        public var keepsSpanHere: Bool?
        /// The method's structure claim and whether it holds here (nil: the method claims nothing).
        public var claim: String
        public var claimHolds: Bool?
        /// Algorithm 1 after K rounds (nil when the run diverged, with `failure` saying where).
        public var reward: Double?
        public var top4Reward: Double?
        public var offSupportRatio: Double?
        public var secondsPerRound: Double?
        public var failure: String?
    }

    /// One point of a method's strength sweep (DDPM).
    public struct FrontierPoint: Codable, Sendable, Equatable {
        public var method: String
        public var scale: Double
        public var reward: Double?
        public var offSupportRatio: Double?
    }

    public var options: Options
    public var setting: String
    /// ‖g⊥‖/‖g‖ of the first round's query: how much of ∇ℓ lies off span(A).
    public var gradientOffSpanFraction: Double
    /// The unguided round 0's mean reward (the same draws for every method: one seed).
    public var initialReward: Double?
    public var rows: [Row]
    public var frontier: [FrontierPoint]
    public var wallSeconds: Double

    public static let keepThreshold = 1e-6

    /// Runs the comparison; `progress` gets one line per run.
    public static func measure(_ options: Options, progress: ((String) -> Void)? = nil) throws -> MethodsComparison {
        try options.validate()
        let start = Date()
        let experiment = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        guard let model = try experiment.scoreModel(.exact, seed: options.seed) as? any AffineScoreModel, let geometry = experiment.geometry else {
            throw GuidanceError.unsupported("the comparison needs the paper's linear-latent setting with its exact (Gaussian) score")
        }
        let ddpm = DDPMSampler(schedule: experiment.schedule)
        let ddim = try DDIMSampler(schedule: experiment.schedule, eta: options.ddimEta, steps: options.ddimSteps)
        let samplers: [(String, any AffineStepSampler)] = [("ddpm(T=\(experiment.schedule.steps))", ddpm),
                                                           ("ddim(eta=\(options.ddimEta), steps=\(options.ddimSteps))", ddim)]
        // The first guided round's query, at the unguided law's mean z̄: g = ∇f(z̄), y = gᵀz̄ + δ.
        let zbar = DDPMExactLaw.output(sampler: ddpm, model: model, guidance: nil).mean
        let g = experiment.objective.gradient(zbar)
        let query = try GuidanceTarget.shared(gradient: g, target: Vectors.dot(g, zbar) + options.delta, count: 1)
        let offFraction = geometry.offSupportFraction(Matrix(rows: 1, columns: g.count, elements: g))[0]

        func algorithm1(_ method: GuidanceMethod, _ sampler: any Sampler) -> (OptimizationRun?, Double, String?) {
            let settings = OptimizationSettings(algorithm: 1, rounds: options.rounds, batchSize: options.batchSize, delta: options.delta,
                                                seed: options.seed, method: method)
            let t0 = Date()
            do {
                let optimizer = try GenerativeOptimizer(sampler: sampler, objective: experiment.objective, settings: settings, geometry: geometry)
                let run = try optimizer.run(model: model)
                return (run, Date().timeIntervalSince(t0) / Double(options.rounds), nil)
            } catch {
                return (nil, Date().timeIntervalSince(t0), "\(error)")
            }
        }

        var rows: [Row] = []
        var initialReward: Double?
        for method in options.methods {
            let rule = try method.guidance(for: query, geometry: geometry)
            for (name, sampler) in samplers {
                var mass: Double?
                if rule.hasExactLaw {
                    mass = geometry.relativeOffSpanMass(of: DDPMExactLaw.output(sampler: sampler, model: model, guidance: rule))
                }
                let keeps = mass.map { $0 <= keepThreshold }
                let (run, seconds, failure) = algorithm1(method, sampler)
                let last = run?.records.last
                initialReward = initialReward ?? run?.records.first?.meanReward
                // Kept here: by the law where there is one, else by the draws (r_off at round-off).
                let drawsKeep = last.map { ($0.meanOffSupportRatio ?? 1) < 1e-8 }
                let here = keeps ?? drawsKeep
                rows.append(Row(method: method.name, settings: method.description, sampler: name, source: method.source, offSpanMass: mass,
                                keepsSpan: keeps, keepsSpanHere: here, claim: method.structureClaim,
                                claimHolds: method.claimsToKeepSpan.flatMap { claim in here.map { $0 == claim } },
                                reward: last?.meanReward, top4Reward: last?.top4Reward, offSupportRatio: last?.meanOffSupportRatio,
                                secondsPerRound: run == nil ? nil : seconds, failure: failure))
                progress?("methods: \(method) on \(name): " + (last.map { String(format: "reward %.4f, r_off %.3g", $0.meanReward, $0.meanOffSupportRatio ?? .nan) } ?? "failed: \(failure ?? "")"))
            }
        }

        var frontier: [FrontierPoint] = []
        for method in options.methods {
            for scale in options.scales {
                let (run, _, _) = algorithm1(method.scaled(by: scale), ddpm)
                let last = run?.records.last
                frontier.append(FrontierPoint(method: method.name, scale: scale, reward: last?.meanReward, offSupportRatio: last?.meanOffSupportRatio))
            }
            progress?("methods: frontier of \(method.name) over strengths ×" + options.scales.map { String(format: "%g", $0) }.joined(separator: ", ×"))
        }
        return MethodsComparison(options: options, setting: "the paper's linear-latent setting (f₁, D = \(experiment.setting.data.ambientDimension), exact Gaussian score, \(experiment.schedule.steps)-step cosine schedule), Algorithm 1 with per-sample gradients, B = \(options.batchSize), K = \(options.rounds), δ = \(options.delta), seed \(options.seed)",
                                 gradientOffSpanFraction: offFraction, initialReward: initialReward, rows: rows, frontier: frontier, wallSeconds: Date().timeIntervalSince(start))
    }
}
