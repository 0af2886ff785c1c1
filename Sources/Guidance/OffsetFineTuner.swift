import Foundation
import LinearAlgebra
import Randomness

/// The reference code's fine-tuning step of Algorithm 2, applied to the offset Δ of a `TranslatedScore`:
/// one Adam step (betas 0.9/0.99) on the denoising score-matching loss ‖ε̂(xₜ) − ε‖² (mean over batch
/// and coordinates, t uniform on 1…T) over the round's samples.
///
/// The gradient is exact: ∂ε̂/∂Δ = α√h ∂s/∂x and (∂s/∂x)ᵀr = (α(∂x̂₀/∂x)ᵀr − r)/h, one VJP per
/// distinct time in the batch.
public struct OffsetFineTuner: Sendable {
    public let learningRate: Double
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public private(set) var firstMoment: [Double]
    public private(set) var secondMoment: [Double]
    public private(set) var stepCount = 0

    public init(dimension: Int, learningRate: Double = 1e-6, beta1: Double = 0.9, beta2: Double = 0.99, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoment = [Double](repeating: 0, count: dimension)
        secondMoment = firstMoment
    }

    /// The loss and its gradient with respect to the shift at `model`, on `data`, with the times and
    /// noise of `round` drawn from `seed`.
    public static func lossAndGradient(model: TranslatedScore, data: Matrix<Double>, schedule: NoiseSchedule,
                                       seed: UInt64, round: Int) -> (loss: Double, gradient: [Double]) {
        let n = data.rows, D = data.columns
        var times = SequentialGenerator(StreamKey(seed: seed, purpose: .timesteps, index: UInt64(round)))
        let steps = (0..<n).map { _ in 1 + times.integer(below: schedule.steps) }
        let eps = NoiseFill.normals(rows: n, columns: D, key: StreamKey(seed: seed, purpose: .fineTuning, index: UInt64(round)))
        var loss = 0.0
        var gradient = [Double](repeating: 0, count: D)
        let scale = 1.0 / Double(n * D)
        for t in Set(steps).sorted() {
            let rows = (0..<n).filter { steps[$0] == t }
            let time = schedule.time(t)
            let x0 = Matrix(stacking: rows.map { data.row($0) }, columns: D)
            let e = Matrix(stacking: rows.map { eps.row($0) }, columns: D)
            let xt = time.alpha * x0 + time.h.squareRoot() * e
            let r = model.epsilon(xt, at: time) - e
            loss += r.elements.reduce(0) { $0 + $1 * $1 } * scale
            let jr = model.denoiseVJP(xt, at: time, cotangent: r)
            // ∂loss/∂Δ = Σᵢ 2·scale·α√h·(α Jᵀrᵢ − rᵢ)/h
            let c = 2 * scale * time.alpha * time.h.squareRoot() / time.h
            let g = (time.alpha * jr - r).columnMeans.map { $0 * Double(rows.count) * c }
            gradient = Vectors.add(gradient, g)
        }
        return (loss, gradient)
    }

    /// One Adam step: returns the model with the updated shift.
    public mutating func step(model: TranslatedScore, data: Matrix<Double>, schedule: NoiseSchedule,
                              seed: UInt64, round: Int) throws -> (model: TranslatedScore, loss: Double) {
        let (loss, g) = Self.lossAndGradient(model: model, data: data, schedule: schedule, seed: seed, round: round)
        guard loss.isFinite, g.allSatisfy(\.isFinite) else {
            throw GuidanceError.nonFinite("fine-tuning loss or gradient became NaN/infinite at round \(round)")
        }
        stepCount += 1
        let bc1 = 1 - pow(beta1, Double(stepCount)), bc2 = 1 - pow(beta2, Double(stepCount))
        var shift = model.shift
        for i in 0..<shift.count {
            firstMoment[i] = beta1 * firstMoment[i] + (1 - beta1) * g[i]
            secondMoment[i] = beta2 * secondMoment[i] + (1 - beta2) * g[i] * g[i]
            shift[i] -= learningRate * (firstMoment[i] / bc1) / ((secondMoment[i] / bc2).squareRoot() + epsilon)
        }
        return (try TranslatedScore(base: model.base, shift: shift), loss)
    }
}
