import Foundation
import LinearAlgebra
import Randomness

/// What one round of an optimisation run measured.
public struct RoundRecord: Sendable, Codable, Equatable {
    public let round: Int
    /// Mean reward f over the round's samples.
    public let meanReward: Double
    /// Mean of the four largest rewards.
    public let top4Reward: Double
    /// Mean off/on-support ratio r_off = ‖x⊥‖/‖x∥‖ (subspace data only).
    public let meanOffSupportRatio: Double?
    /// Mean |‖x‖ − 1| (sphere data only).
    public let meanSphereDeviation: Double?
    /// Mean ‖x‖ − 1, signed (sphere data only): the paper's code's deviation, whose sign says whether the
    /// draws leave the sphere outward; the absolute one has a floor (the sampler's spread) that hides it.
    public let meanSignedSphereDeviation: Double?
    /// Mean ‖x‖ of the round's samples (how far Algorithm 2's draws travel; the data's is about √d).
    public let meanNorm: Double
    /// Mean target y of the guidance that produced this round (nil for the unguided round 0).
    public let meanTarget: Double?
    /// The iterate: the mean of the round's samples, z̄.
    public let iterateMean: [Double]
    /// Fine-tuning loss of the step taken after this round (Algorithm 2 practice).
    public let fineTuningLoss: Double?
}

/// The result of Algorithm 1 or 2.
public struct OptimizationRun: Sendable {
    public let settings: OptimizationSettings
    public let records: [RoundRecord]
    public let finalSamples: Matrix<Double>
}

/// Algorithms 1 and 2 of the paper (SPEC §6): round 0 samples unguided; round k queries gₖ = ∇f at
/// the previous round's samples, sets targets yₖ, and samples with the guidance they define;
/// Algorithm 2 also updates the score model after each round.
public struct GenerativeOptimizer {
    public let sampler: any Sampler
    public let objective: any Objective
    public let settings: OptimizationSettings
    /// For r_off (subspace data).
    public let geometry: SubspaceGeometry?
    /// Whether to record the sphere deviation.
    public let recordsSphereDeviation: Bool
    /// The schedule for Algorithm 2's practice fine-tuning loss (the sampler's, for DDPM).
    public let fineTuningSchedule: NoiseSchedule?
    /// Algorithm 2's practice update; nil means the offset-only Adam step on a translation of the model
    /// (any score model). Learned networks pass their own (all parameters, or the weighted loss).
    public let fineTuner: (any ScoreFineTuner)?

    public init(sampler: any Sampler, objective: any Objective, settings: OptimizationSettings,
                geometry: SubspaceGeometry? = nil, recordsSphereDeviation: Bool = false,
                fineTuningSchedule: NoiseSchedule? = nil, fineTuner: (any ScoreFineTuner)? = nil) throws {
        try settings.validate()
        self.fineTuner = fineTuner
        self.sampler = sampler
        self.objective = objective
        self.settings = settings
        self.geometry = geometry
        self.recordsSphereDeviation = recordsSphereDeviation
        self.fineTuningSchedule = fineTuningSchedule ?? (sampler as? any PlannedSampler)?.discreteSchedule
    }

    /// Runs all rounds. `progress` is called after each round with (round, rounds, last record).
    public func run(model initialModel: any ScoreModel, progress: ((Int, Int, RoundRecord) -> Void)? = nil) throws -> OptimizationRun {
        guard initialModel.dimension == objective.dimension else {
            throw GuidanceError.dimensionMismatch("model dimension \(initialModel.dimension), objective dimension \(objective.dimension)")
        }
        let s = settings
        let B = s.batchSize
        var records = [RoundRecord]()
        records.reserveCapacity(s.rounds + 1)

        // Theory presets need the linear class (its Σ̄ and μ̄); each round is `TheoryRound`'s query.
        var theory: TheoryRound?
        if case let .theory(lambda) = s.preset {
            guard let g = initialModel as? GaussianScore else {
                throw GuidanceError.unsupported("the theory presets need the linear score class (a Gaussian score), not \(type(of: initialModel))")
            }
            theory = try TheoryRound.preset(algorithm: s.algorithm, model: g, objective: objective, sigma: s.sigma, lambda: lambda, rounds: s.rounds)
        }

        var model: any ScoreModel = initialModel
        // Long runs of a near-full-rank linear class: tabulate x̂₀ = Jₜx + cₜ per step (one gemm instead of two).
        if theory == nil || s.algorithm == 1, let g = initialModel as? GaussianScore, 2 * g.variances.count > g.dimension,
           s.rounds >= 10, let schedule = (sampler as? any PlannedSampler)?.discreteSchedule,
           let table = ScheduledAffineScore(g, schedule: schedule) {
            model = table
        }
        // One fine-tuning path: the network's fine-tuner when given, else Adam on a closed-form score's offset.
        var tuner: (any ScoreFineTuner)? = fineTuner
        if tuner == nil, s.algorithm == 2, case .adam(let lr, _)? = s.fineTuning {
            guard let schedule = fineTuningSchedule else {
                throw GuidanceError.unsupported("fine-tuning needs a discrete schedule (use the DDPM sampler)")
            }
            tuner = try OffsetFineTuner(dimension: initialModel.dimension, schedule: schedule, seed: s.seed, learningRate: lr)
        }

        var samples = try draw(model: model, guidance: nil, count: B, round: 0)
        var record = measure(samples, round: 0, target: nil, loss: nil)
        records.append(record)
        progress?(0, s.rounds, record)

        for k in stride(from: 1, through: s.rounds, by: 1) {
            let zbar = samples.columnMeans
            let target: GuidanceTarget
            if let theory {
                let query = try theory.query(after: zbar)
                if s.algorithm == 2 { model = query.model }
                target = try .shared(gradient: query.gradient, target: query.target, count: B)
            } else {
                let g: Matrix<Double>
                let points: Matrix<Double>
                switch s.gradientPoint {
                case .perSample: points = samples
                case .batchMean: points = Matrix(broadcasting: zbar, rows: B)
                }
                g = objective.gradients(points)
                let y = g.rowDots(points).map { $0 + s.delta }
                target = try GuidanceTarget(gradients: g, targets: y)
            }
            let guidance: any GuidanceTerm
            if let method = s.method {
                guidance = try method.guidance(for: target, geometry: geometry)
            } else {
            switch (s.guidance, s.preset) {
            case (.lookahead, .theory): guidance = try LookaheadGuidance(target: target, beta: .theory(sigma: s.sigma), coefficient: s.betaCoefficient)
            case (.lookahead, .practice): guidance = try LookaheadGuidance(target: target, beta: s.beta, coefficient: s.betaCoefficient)
            case (.naive, _): guidance = try NaiveGuidance(target: target, sigma: s.sigma, coefficient: s.betaCoefficient)
            }
            }
            samples = try draw(model: model, guidance: guidance, count: B, round: k)

            var loss: Double?
            if let tuner, s.algorithm == 2, case .adam(_, let start)? = s.fineTuning, k >= start {
                let (updated, l) = try tuner.update(model: model, samples: samples, round: k)
                guard l.isFinite else { throw GuidanceError.nonFinite("fine-tuning loss became NaN/infinite at round \(k)") }
                model = updated
                loss = l
            }
            record = measure(samples, round: k, target: target.targets.reduce(0, +) / Double(B), loss: loss)
            records.append(record)
            progress?(k, s.rounds, record)
        }
        return OptimizationRun(settings: s, records: records, finalSamples: samples)
    }

    /// One round's draw, stopped (with the round, step and quantity named) as soon as it is not finite.
    private func draw(model: any ScoreModel, guidance: (any GuidanceTerm)?, count: Int, round: Int) throws -> Matrix<Double> {
        do {
            return try sampler.sampleChecked(model: model, guidance: guidance, count: count, noise: SamplingNoise(seed: settings.seed, round: round),
                                             progress: nil)
        } catch let DiffusionError.nonFinite(what) {
            throw GuidanceError.nonFinite("samples became NaN or infinite in round \(round), \(what)")
        }
    }

    private func measure(_ x: Matrix<Double>, round: Int, target: Double?, loss: Double?) -> RoundRecord {
        let rewards = objective.values(x)
        let top = rewards.sorted(by: >).prefix(4)
        let roff = geometry.map { g in g.offSupportRatio(x).reduce(0, +) / Double(x.rows) }
        let norms = x.rowNorms
        let dev = recordsSphereDeviation ? norms.reduce(0) { $0 + abs($1 - 1) } / Double(x.rows) : nil
        let signed = recordsSphereDeviation ? norms.reduce(0) { $0 + ($1 - 1) } / Double(x.rows) : nil
        return RoundRecord(round: round, meanReward: rewards.reduce(0, +) / Double(rewards.count),
                           top4Reward: top.reduce(0, +) / Double(top.count), meanOffSupportRatio: roff,
                           meanSphereDeviation: dev, meanSignedSphereDeviation: signed, meanNorm: norms.reduce(0, +) / Double(x.rows), meanTarget: target, iterateMean: x.columnMeans, fineTuningLoss: loss)
    }
}
