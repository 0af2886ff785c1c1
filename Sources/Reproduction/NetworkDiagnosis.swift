import Foundation
import Diffusion
import LinearAlgebra
import Randomness

/// Where a learned score model's unguided draws go wrong (issue 14's diagnosis): its ε-error against the
/// exact score of the data law at each step, split on and off span(A), beside the DDPM sampler's gain
/// β_t/√(α_t h_t) on that error (how much of it lands in x_{t−1}); and the draws with the exact score
/// put in place of the model at the first k steps, which tells whether those steps cause the outliers.
public struct NetworkDiagnosis: Sendable {
    public struct StepRow: Sendable, Codable {
        public var step: Int
        public var beta: Double
        /// β_t/(√h_t √(1 − β_t)): the sampler's gain from ε̂'s error to x_{t−1}'s mean.
        public var gain: Double
        /// Root-mean-square over points of ‖ε̂ − ε*‖, and of its parts on and off span(A).
        public var error: Double
        public var onSpan: Double
        public var offSpan: Double
        /// gain × error: the typical error this step puts into x_{t−1}.
        public var contribution: Double
    }

    public struct SwapRow: Sendable, Codable {
        /// The first k steps (t = T … T − k + 1) use the exact score.
        public var exactSteps: Int
        public var beyond: Int
        public var draws: Int
        public var normQ999: Double
        public var normMax: Double
        public var meanOffSpanRatio: Double
    }

    public var steps: [StepRow]
    public var swaps: [SwapRow]
    public var dataLargestNorm: Double
    public var points: Int
    public var seed: UInt64

    /// The model with the exact score at the steps in `exactSteps`.
    struct Swapped: ScoreModel {
        let model: any ScoreModel, exact: any ScoreModel, exactSteps: Set<Int>
        var dimension: Int { model.dimension }
        var readsDiscreteSteps: Bool { model.readsDiscreteSteps }
        func pick(_ t: DiffusionTime) -> any ScoreModel { t.step.map(exactSteps.contains) == true ? exact : model }
        func denoise(_ x: Matrix<Double>, at time: DiffusionTime) -> Matrix<Double> { pick(time).denoise(x, at: time) }
        func denoiseVJP(_ x: Matrix<Double>, at time: DiffusionTime, cotangent v: Matrix<Double>) -> Matrix<Double> {
            pick(time).denoiseVJP(x, at: time, cotangent: v)
        }
    }

    public static let diagnosedSteps = [1, 2, 5, 10, 25, 50, 100, 150, 180, 190, 195, 198, 199, 200]

    /// Measures `model` against `data`'s exact score with `schedule`: the step table over `points` noised
    /// data points, and `draws` unguided draws with the exact score at the first k ∈ `swaps` steps.
    public static func measure(model: any ScoreModel, data: SubspaceDataModel, schedule: NoiseSchedule, points: Int = 4096, draws: Int = 4096,
                               swaps: [Int] = [0, 1, 2], seed: UInt64 = 1, progress: ((String) -> Void)? = nil) throws -> NetworkDiagnosis {
        let exact = try data.exactScore()
        let D = data.dimension, geometry = data.geometry
        let x0 = data.sample(count: points, key: StreamKey(seed: seed, purpose: .data, index: 1))
        var rows: [StepRow] = []
        for t in diagnosedSteps where t <= schedule.steps {
            let time = schedule.time(t)
            let noise = RandomStream(StreamKey(seed: seed, purpose: .generation, major: 4, minor: t)).normalMatrix(rows: points, columns: D)
            let xt = Matrix(rows: points, columns: D, elements: zip(x0.elements, noise).map { time.alpha * $0 + time.h.squareRoot() * $1 })
            let difference = model.epsilon(xt, at: time) - exact.epsilon(xt, at: time)
            func rms(_ m: Matrix<Double>) -> Double { (m.elements.reduce(0) { $0 + $1 * $1 } / Double(points)).squareRoot() }
            let beta = schedule.beta[t]
            let gain = beta / (time.h.squareRoot() * (1 - beta).squareRoot())
            let error = rms(difference)
            rows.append(StepRow(step: t, beta: beta, gain: gain, error: error, onSpan: rms(geometry.onSupport(difference)),
                                offSpan: rms(geometry.offSupport(difference)), contribution: gain * error))
            progress?(String(format: "step %d: ε-error %.3g, gain %.3g", t, error, gain))
        }
        let largest = data.sample(count: draws, key: StreamKey(seed: seed, purpose: .data, index: 77)).rowNorms.max() ?? 0
        var swapRows: [SwapRow] = []
        let T = schedule.steps
        for k in swaps where k >= 0 && k <= T {
            let swapped = Swapped(model: model, exact: exact, exactSteps: Set((0..<k).map { T - $0 }))
            let x = DDPMSampler(schedule: schedule).sample(model: swapped, guidance: nil, count: draws, noise: SamplingNoise(seed: seed, round: 3))
            let norms = x.rowNorms.sorted()
            let ratios = geometry.offSupportRatio(x)
            swapRows.append(SwapRow(exactSteps: k, beyond: norms.filter { !($0 <= 2 * largest) }.count, draws: draws,
                                    normQ999: norms[min(draws - 1, Int(0.999 * Double(draws)))], normMax: norms.last ?? .nan,
                                    meanOffSpanRatio: ratios.reduce(0, +) / Double(draws)))
            progress?("exact score at the first \(k) steps: \(swapRows.last!.beyond) of \(draws) draws beyond 2·max‖data‖")
        }
        return NetworkDiagnosis(steps: rows, swaps: swapRows, dataLargestNorm: largest, points: points, seed: seed)
    }
}
