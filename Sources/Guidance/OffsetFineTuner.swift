import Compute
import Foundation
import LinearAlgebra
import Randomness

/// The reference code's fine-tuning step of Algorithm 2 for a closed-form score: the offset Δ of a
/// `TranslatedScore` is the parameter, with one Adam step (betas 0.9/0.99, the compute layer's `Adam`,
/// as the network fine-tuner uses) on the denoising score-matching loss ‖ε̂(xₜ) − ε‖² (mean over batch
/// and coordinates, t uniform on 1…T) over the round's samples. It is the optimiser's `ScoreFineTuner`
/// for closed-form scores, as `NetworkFineTuner` is for networks: one fine-tuning path.
///
/// The gradient is exact: ∂ε̂/∂Δ = α√h ∂s/∂x and (∂s/∂x)ᵀr = (α(∂x̂₀/∂x)ᵀr − r)/h, one VJP per
/// distinct time in the batch.
public final class OffsetFineTuner: ScoreFineTuner {
    public let schedule: NoiseSchedule
    public let seed: UInt64
    public private(set) var optimizer: Adam<Double>

    public init(dimension: Int, schedule: NoiseSchedule, seed: UInt64, learningRate: Double = 1e-6, beta1: Double = 0.9, beta2: Double = 0.99,
                epsilon: Double = 1e-8) throws {
        self.schedule = schedule
        self.seed = seed
        do {
            optimizer = try Adam<Double>(parameterCount: dimension, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        } catch let error as ComputeError {
            throw GuidanceError.invalidParameter(error.description)
        }
    }

    /// Updates taken so far.
    public var stepCount: Int { optimizer.step }

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

    /// One Adam step on the shift of `model` (a score that is not yet translated starts at Δ = 0).
    public func update(model: any ScoreModel, samples: Matrix<Double>, round: Int) throws -> (model: any ScoreModel, loss: Double) {
        let current = try model as? TranslatedScore ?? TranslatedScore(base: model, shift: [Double](repeating: 0, count: model.dimension))
        let (updated, loss) = try step(model: current, data: samples, round: round)
        return (updated, loss)
    }

    /// One Adam step: returns the model with the updated shift.
    public func step(model: TranslatedScore, data: Matrix<Double>, round: Int) throws -> (model: TranslatedScore, loss: Double) {
        let (loss, g) = Self.lossAndGradient(model: model, data: data, schedule: schedule, seed: seed, round: round)
        guard loss.isFinite, g.allSatisfy(\.isFinite) else {
            throw GuidanceError.nonFinite("fine-tuning loss or gradient became NaN/infinite at round \(round)")
        }
        var shift = model.shift
        guard shift.count == optimizer.parameterCount else {
            throw GuidanceError.invalidParameter("a shift of \(shift.count) coordinates for a fine-tuner of \(optimizer.parameterCount)")
        }
        optimizer.update(&shift, gradient: g)
        return (try TranslatedScore(base: model.base, shift: shift), loss)
    }
}
