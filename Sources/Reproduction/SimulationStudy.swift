import Backends
import Foundation
import LinearAlgebra
import Randomness
import Diffusion
import Guidance
import Experiments
import ScoreNetwork

/// One series of a figure: a name, x values and y values, and optionally a band around y (the interval
/// over seeds of a several-seed study).
public struct Series: Sendable, Codable, Equatable {
    public let name: String
    public let x: [Double]
    public let y: [Double]
    public let lower: [Double]?
    public let upper: [Double]?
    public init(name: String, x: [Double], y: [Double], lower: [Double]? = nil, upper: [Double]? = nil) {
        self.name = name
        self.x = x
        self.y = y
        self.lower = lower
        self.upper = upper
    }
}

/// One figure's data, ready for a report: axis labels and series, with the settings that produced it.
public struct FigureData: Sendable, Codable, Equatable {
    public let id: String
    public let title: String
    public let xLabel: String
    public let yLabel: String
    public let series: [Series]
    public let settings: [String: String]
    public init(id: String, title: String, xLabel: String, yLabel: String, series: [Series], settings: [String: String]) {
        (self.id, self.title, self.xLabel, self.yLabel, self.series, self.settings) = (id, title, xLabel, yLabel, series, settings)
    }
}

/// The paper's simulation study (SPEC §9) reproduced with a trained ε-network: the pre-trained r_off;
/// G vs G_loss (r_off and reward over rounds, f₁ with θ₂); Algorithm 1 vs 2; the θ₁ and f₂ variants; the
/// sphere's reward-vs-deviation frontier over δ; and how far the network's x̂₀ Jacobian leaks off span(A)
/// over t, beside the off-span fraction of its G_loss.
public struct SimulationStudy {
    public struct Options: Sendable {
        /// Multiplies every round count (1 = the paper's: 1000 rounds for f₁, 1200 for Algorithm 2, 50 for f₂).
        public var roundScale: Double = 1
        public var batchSize = 32
        public var seed: UInt64 = 1234
        /// Samples for the pre-trained r_off.
        public var unguidedSamples = 2048
        /// The sphere sweep as the paper's code runs it (GGDMOptim `simulations/`): δ from 0.02 to 0.52
        /// (here every 0.05: rewards above the sphere's maximum 1 would force deviation), 25 rounds of
        /// 256 draws, deviation measured signed, mean(‖x‖ − 1), beside the absolute mean |‖x‖ − 1|.
        public var sphereDeltas: [Double] = Array(stride(from: 0.02, through: 0.5201, by: 0.05)).map { ($0 * 100).rounded() / 100 }
        public var sphereRounds = 25
        public var sphereBatchSize = 256
        public var threads = 1
        /// Where the samplers run (nil: the host path); see `BackendSampler`.
        public var backend: BackendChoice?

        /// The DDPM sampler of `schedule`, on `backend` when one is chosen.
        public func sampler(_ schedule: NoiseSchedule) -> any Sampler {
            let ddpm = DDPMSampler(schedule: schedule, threads: threads)
            return backend.map { BackendSampler(ddpm, on: $0) } ?? ddpm
        }
        public init() {}
        func rounds(_ base: Int) -> Int { max(1, Int((Double(base) * roundScale).rounded())) }
    }

    public let options: Options
    public let progress: ((String) -> Void)?

    public init(options: Options, progress: ((String) -> Void)? = nil) {
        self.options = options
        self.progress = progress
    }

    /// Everything measured, as named numbers (for the closing table) and figures.
    public struct Results: Sendable, Codable, Equatable {
        public var numbers: [String: Double] = [:]
        public var figures: [FigureData] = []
        public init(numbers: [String: Double] = [:], figures: [FigureData] = []) {
            self.numbers = numbers
            self.figures = figures
        }

        /// These results and `other`'s (one seed's two parts) as one; `other`'s number wins a shared name.
        public func merging(_ other: Results) -> Results {
            Results(numbers: numbers.merging(other.numbers) { $1 }, figures: figures + other.figures)
        }
    }

    /// The noise seed of one experiment of the study: the study's seed mixed with the experiment's label
    /// (FNV-1a of its UTF-8, then SplitMix64's mixer), so every experiment draws noise of its own — one
    /// unlucky round-0 draw no longer reaches every result — and a run replays exactly from the seed.
    public static func experimentSeed(_ seed: UInt64, _ label: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in label.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return StreamKey.mix(seed ^ h)
    }

    func optimize(_ experiment: ResolvedExperiment, model: any ScoreModel, algorithm: Int, guidance: GuidanceKind, delta: Double,
                  rounds: Int, batchSize: Int? = nil, fineTuner: (any ScoreFineTuner)? = nil, label: String) throws -> [RoundRecord] {
        var settings = OptimizationSettings(algorithm: algorithm, rounds: rounds, batchSize: batchSize ?? options.batchSize, guidance: guidance,
                                            beta: .code(sigma: 0.1), delta: delta, seed: Self.experimentSeed(options.seed, label))
        if algorithm == 2 { settings.fineTuning = OptimizationSettings.referenceFineTuning(for: guidance) }
        let optimizer = try GenerativeOptimizer(sampler: options.sampler(experiment.schedule),
                                                objective: experiment.objective, settings: settings, geometry: experiment.geometry,
                                                recordsSphereDeviation: experiment.setting.data.kind == .sphere,
                                                fineTuningSchedule: experiment.schedule, fineTuner: fineTuner)
        let start = Date()
        let run = try optimizer.run(model: model) { k, total, record in
            if k % max(1, total / 10) == 0 {
                let eta = k > 0 ? Date().timeIntervalSince(start) / Double(k) * Double(total - k) : 0
                progress?(String(format: "%@: round %d/%d reward %.3f r_off %.4f ETA %.0fs", label, k, total, record.meanReward,
                                 record.meanOffSupportRatio ?? record.meanSphereDeviation ?? .nan, eta))
            }
        }
        return run.records
    }

    /// Runs the linear-latent part with `network` (trained on the paper's linear-latent data), fine-tuning
    /// it in Algorithm 2 as the reference code does.
    public func runLinear(network: EpsilonNetwork<Float>) throws -> Results {
        let schedule = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two)).schedule
        return try runLinear(model: NetworkScore(network: network, maximumBatch: 256)) {
            try NetworkFineTuner(mode: .referenceCode, schedule: schedule, seed: options.seed)
        }
    }

    /// Runs the linear-latent part with any score model of the paper's linear-latent setting. Algorithm 2
    /// fine-tunes with a fresh `makeFineTuner()` per run, or, without one, refits the model's offset
    /// (the fine-tuning class of eq. 15).
    public func runLinear(model: any ScoreModel, makeFineTuner: (() throws -> any ScoreFineTuner)? = nil) throws -> Results {
        var results = Results()
        let base = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        let geometry = base.geometry!

        // Pre-trained r_off (paper: 0.039).
        progress?("pre-trained r_off from \(options.unguidedSamples) unguided samples")
        let sampler = options.sampler(base.schedule)
        let unguided = sampler.sample(model: model, guidance: nil, count: options.unguidedSamples, noise: SamplingNoise(seed: options.seed, round: 9999), progress: nil)
        let roff = geometry.offSupportRatio(unguided)
        results.numbers["pretrained_r_off_mean"] = roff.reduce(0, +) / Double(roff.count)
        results.numbers["pretrained_r_off_median"] = roff.sorted()[roff.count / 2]

        // G vs G_loss, Algorithm 1, f₁ with θ₂ (δ 0.9 and 0.2).
        let r1 = options.rounds(1000)
        let naive = try optimize(base, model: model, algorithm: 1, guidance: .naive, delta: 0.9, rounds: r1, label: "Alg 1, G, θ₂")
        let look = try optimize(base, model: model, algorithm: 1, guidance: .lookahead, delta: 0.2, rounds: r1, label: "Alg 1, G_loss, θ₂")
        func series(_ name: String, _ records: [RoundRecord], _ value: (RoundRecord) -> Double?) -> Series {
            let pairs = records.compactMap { r in value(r).map { (Double(r.round), $0) } }
            return Series(name: name, x: pairs.map(\.0), y: pairs.map(\.1))
        }
        results.figures.append(FigureData(id: "roff_rounds", title: "Off-support ratio over rounds (Algorithm 1, f₁ with θ₂)", xLabel: "round",
                                          yLabel: "mean r_off", series: [series("G (δ = 0.9)", naive, \.meanOffSupportRatio),
                                                                         series("G_loss (δ = 0.2)", look, \.meanOffSupportRatio)],
                                          settings: ["rounds": "\(r1)", "batch": "\(options.batchSize)", "seed": "\(options.seed)"]))
        results.numbers["alg1_G_final_r_off"] = naive.last!.meanOffSupportRatio!
        results.numbers["alg1_Gloss_final_r_off"] = look.last!.meanOffSupportRatio!
        results.numbers["alg1_G_final_reward"] = naive.last!.meanReward
        results.numbers["alg1_Gloss_final_reward"] = look.last!.meanReward

        // Algorithm 2 (reference-code fine-tuning) with G_loss and with G.
        let r2 = options.rounds(1200)
        let alg2Loss = try optimize(base, model: model, algorithm: 2, guidance: .lookahead, delta: 0.2, rounds: r2, fineTuner: makeFineTuner?(),
                                    label: "Alg 2, G_loss, θ₂")
        let alg2Naive = try optimize(base, model: model, algorithm: 2, guidance: .naive, delta: 0.9, rounds: r2, fineTuner: makeFineTuner?(),
                                     label: "Alg 2, G, θ₂")
        results.figures.append(FigureData(id: "reward_rounds", title: "Reward over rounds: Algorithm 1 vs 2 (f₁ with θ₂, maximum 10)", xLabel: "round",
                                          yLabel: "mean reward", series: [series("Alg 1, G_loss", look, \.meanReward), series("Alg 2, G_loss", alg2Loss, \.meanReward),
                                                                          series("Alg 1, G", naive, \.meanReward), series("Alg 2, G", alg2Naive, \.meanReward)],
                                          settings: ["rounds_alg1": "\(r1)", "rounds_alg2": "\(r2)",
                                                     "fine_tuning": makeFineTuner == nil ? "offset refit (eq. 15), Adam lr 1e-6, from round 60 (G_loss) / 40 (G)"
                                                                                         : "one Adam step per round, lr 1e-6, from round 60 (G_loss) / 40 (G)"]))
        results.figures.append(FigureData(id: "roff_alg2", title: "Off-support ratio under fine-tuning (Algorithm 2)", xLabel: "round", yLabel: "mean r_off",
                                          series: [series("Alg 2, G", alg2Naive, \.meanOffSupportRatio), series("Alg 2, G_loss", alg2Loss, \.meanOffSupportRatio)],
                                          settings: ["rounds": "\(r2)"]))
        func plateau(_ r: [RoundRecord]) -> Double { let tail = r.suffix(max(1, r.count / 10)); return tail.reduce(0) { $0 + $1.meanReward } / Double(tail.count) }
        // "final" is the last round's value, "last_tenth" the mean over the last tenth of the rounds, "peak"
        // the best round's (Algorithm 2 climbs and may then overshoot: its peak and its end both count).
        results.numbers["alg1_Gloss_last_tenth_reward"] = plateau(look)
        results.numbers["alg2_Gloss_last_tenth_reward"] = plateau(alg2Loss)
        results.numbers["alg2_G_last_tenth_reward"] = plateau(alg2Naive)
        results.numbers["alg2_Gloss_final_reward"] = alg2Loss.last!.meanReward
        results.numbers["alg2_G_final_reward"] = alg2Naive.last!.meanReward
        if let peak = alg2Loss.max(by: { $0.meanReward < $1.meanReward }) {
            results.numbers["alg2_Gloss_peak_reward"] = peak.meanReward
            results.numbers["alg2_Gloss_peak_round"] = Double(peak.round)
        }
        results.numbers["alg2_Gloss_final_r_off"] = alg2Loss.last!.meanOffSupportRatio!
        results.numbers["alg2_G_final_r_off"] = alg2Naive.last!.meanOffSupportRatio!
        results.numbers["alg2_Gloss_top4_reward"] = alg2Loss.last!.top4Reward

        // θ₁ (δ 0.05) and f₂ with b₂ (δ 1, 50 rounds).
        let theta1 = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .one))
        let t1 = try optimize(theta1, model: model, algorithm: 1, guidance: .lookahead, delta: 0.05, rounds: r1, label: "Alg 1, G_loss, θ₁")
        let f2 = try ResolvedExperiment(try PaperSetting.linear(objective: "f2", variant: .two))
        let rf2 = options.rounds(50)
        let f2Loss = try optimize(f2, model: model, algorithm: 1, guidance: .lookahead, delta: 1, rounds: rf2, label: "Alg 1, G_loss, f₂")
        let f2Naive = try optimize(f2, model: model, algorithm: 1, guidance: .naive, delta: 1, rounds: rf2, label: "Alg 1, G, f₂")
        results.figures.append(FigureData(id: "variants", title: "Variants: f₁ with θ₁ (δ 0.05) and f₂ with b₂ (δ 1)", xLabel: "round", yLabel: "mean reward",
                                          series: [series("θ₁, G_loss", t1, \.meanReward), series("f₂, G_loss", f2Loss, \.meanReward), series("f₂, G", f2Naive, \.meanReward)],
                                          settings: ["rounds_theta1": "\(r1)", "rounds_f2": "\(rf2)"]))
        results.numbers["theta1_Gloss_final_reward"] = t1.last!.meanReward
        results.numbers["theta1_Gloss_final_r_off"] = t1.last!.meanOffSupportRatio!
        results.numbers["f2_Gloss_final_reward"] = f2Loss.last!.meanReward
        results.numbers["f2_G_final_reward"] = f2Naive.last!.meanReward
        results.numbers["f2_Gloss_final_r_off"] = f2Loss.last!.meanOffSupportRatio!
        results.numbers["f2_G_final_r_off"] = f2Naive.last!.meanOffSupportRatio!

        // The Jacobian's leak off span(A) over t, beside G_loss's off-span fraction.
        progress?("Jacobian leak over t")
        let leak = try jacobianLeak(model: model, experiment: base)
        results.figures.append(leak)
        if let l = leak.series.first { results.numbers["jacobian_leak_max"] = l.y.max() ?? .nan }
        if let g = leak.series.dropFirst().first { results.numbers["gloss_off_fraction_max"] = g.y.max() ?? .nan }
        return results
    }

    /// ‖(I − P)J‖_F/‖J‖_F for J = ∂x̂₀/∂x of the network at noised data points, per t (J built row by
    /// row from D VJPs), and the mean off-span fraction ‖(I − P)G_loss‖/‖G_loss‖ for random g.
    func jacobianLeak(model: any ScoreModel, experiment: ResolvedExperiment) throws -> FigureData {
        let geometry = experiment.geometry!
        let D = model.dimension
        let points = 16
        let x0 = experiment.pretrainingData(count: points, seed: options.seed &+ 77)
        var ts = [Double](), leaks = [Double](), fractions = [Double]()
        for t in [1, 5, 10, 25, 50, 75, 100, 125, 150, 175, 200] where t <= experiment.schedule.steps {
            let time = experiment.schedule.time(t)
            let eps = NoiseFill.normals(rows: points, columns: D, key: StreamKey(seed: options.seed, purpose: .generation, major: 1, minor: t))
            let xt = time.alpha * x0 + time.h.squareRoot() * eps
            var leakSum = 0.0
            for i in 0..<points {
                // Jᵀ's rows: VJPs with the basis vectors, all at the same point xᵢ.
                let xi = Matrix(broadcasting: xt.row(i), rows: D)
                let jt = model.denoiseVJP(xi, at: time, cotangent: .identity(D))     // row k = (Jᵀe_k)ᵀ = k-th row of J
                let off = geometry.offSupport(jt.transposed)                           // (I − P)J, column by column
                leakSum += off.frobeniusNorm / max(jt.frobeniusNorm, 1e-300)
            }
            let g = NoiseFill.normals(rows: points, columns: D, key: StreamKey(seed: options.seed, purpose: .generation, major: 2, minor: t))
            let target = try GuidanceTarget(gradients: g, targets: [Double](repeating: 1, count: points))
            let term = try LookaheadGuidance(target: target).term(model: model, x: xt, denoised: model.denoise(xt, at: time), time: time)
            let frac = geometry.offSupportFraction(term)
            ts.append(Double(t))
            leaks.append(leakSum / Double(points))
            fractions.append(frac.reduce(0, +) / Double(points))
        }
        return FigureData(id: "jacobian_leak", title: "How far the learned x̂₀ Jacobian leaks off span(A)", xLabel: "step t",
                          yLabel: "relative off-span norm", series: [Series(name: "‖(I−P)∂x̂₀/∂x‖_F / ‖∂x̂₀/∂x‖_F", x: ts, y: leaks),
                                                                     Series(name: "‖(I−P)G_loss‖/‖G_loss‖", x: ts, y: fractions)],
                          settings: ["points": "\(points)", "g": "standard normal"])
    }

    /// The sphere: for each δ, Algorithm 1 with G and with G_loss; final reward against deviation.
    public func runSphere(network: EpsilonNetwork<Float>) throws -> Results {
        try runSphere(model: NetworkScore(network: network, maximumBatch: 256))
    }

    /// The sphere sweep with any score model of the paper's sphere setting.
    public func runSphere(model: any ScoreModel) throws -> Results {
        var results = Results()
        let sphere = try ResolvedExperiment(try PaperSetting.sphere())
        var series: [GuidanceKind: [(Double, Double)]] = [:], signed: [GuidanceKind: [(Double, Double)]] = [:]
        for kind in [GuidanceKind.naive, .lookahead] {
            for delta in options.sphereDeltas {
                let records = try optimize(sphere, model: model, algorithm: 1, guidance: kind, delta: delta, rounds: options.rounds(options.sphereRounds),
                                           batchSize: options.sphereBatchSize, label: "sphere, \(kind.rawValue), δ \(delta)")
                let last = records.last!
                series[kind, default: []].append((last.meanSphereDeviation!, last.meanReward))
                signed[kind, default: []].append((last.meanSignedSphereDeviation!, last.meanReward))
                results.numbers["sphere_\(kind.rawValue)_delta\(delta)_reward"] = last.meanReward
                results.numbers["sphere_\(kind.rawValue)_delta\(delta)_deviation"] = last.meanSphereDeviation!
                results.numbers["sphere_\(kind.rawValue)_delta\(delta)_signed_deviation"] = last.meanSignedSphereDeviation!
            }
        }
        results.figures.append(FigureData(id: "sphere_frontier", title: "Sphere: reward against deviation from the sphere over δ", xLabel: "mean |‖x‖ − 1|",
                                          yLabel: "mean reward θᵀx",
                                          series: [GuidanceKind.naive, .lookahead].map { k in
                                              Series(name: k == .naive ? "G" : "G_loss", x: series[k]!.map(\.0), y: series[k]!.map(\.1))
                                          },
                                          settings: ["deltas": options.sphereDeltas.map { "\($0)" }.joined(separator: ","),
                                                     "rounds": "\(options.rounds(options.sphereRounds))", "batch": "\(options.sphereBatchSize)"]))
        results.figures.append(FigureData(id: "sphere_frontier_signed", title: "Sphere: reward against the signed deviation mean(‖x‖ − 1) over δ (the paper's measure)",
                                          xLabel: "mean ‖x‖ − 1", yLabel: "mean reward θᵀx",
                                          series: [GuidanceKind.naive, .lookahead].map { k in
                                              Series(name: k == .naive ? "G" : "G_loss", x: signed[k]!.map(\.0), y: signed[k]!.map(\.1))
                                          },
                                          settings: ["deltas": options.sphereDeltas.map { "\($0)" }.joined(separator: ","),
                                                     "rounds": "\(options.rounds(options.sphereRounds))", "batch": "\(options.sphereBatchSize)"]))
        return results
    }
}
