import LinearAlgebra

/// A score model answers the three questions guidance asks of it, for a batch (one point per row):
/// the look-ahead estimate x̂₀(x, t) = E[x₀ | xₜ = x], the score s(x, t), and the vector–Jacobian
/// product (∂x̂₀/∂x)ᵀv. Exact, fitted and learned models are interchangeable behind it.
public protocol ScoreModel: Sendable {
    /// The ambient dimension D.
    var dimension: Int { get }

    /// x̂₀ for every row of `x`.
    func denoise(_ x: Matrix<Double>, at time: DiffusionTime) -> Matrix<Double>

    /// Row i of the result is (∂x̂₀/∂x at xᵢ)ᵀ vᵢ.
    func denoiseVJP(_ x: Matrix<Double>, at time: DiffusionTime, cotangent v: Matrix<Double>) -> Matrix<Double>

    /// Both at once. Models whose VJP needs the forward pass's activations (networks) implement this
    /// with one forward and one backward pass; the default calls the two requirements.
    func denoiseWithVJP(_ x: Matrix<Double>, at time: DiffusionTime, cotangent v: Matrix<Double>) -> (denoised: Matrix<Double>, vjp: Matrix<Double>)

    /// Whether the model reads only the integer DDPM steps (a learned network's time embedding): it can
    /// then not be asked at continuous times, nor at t → ∞. False for the closed-form scores.
    var readsDiscreteSteps: Bool { get }
}

extension ScoreModel {
    public var readsDiscreteSteps: Bool { false }

    public func denoiseWithVJP(_ x: Matrix<Double>, at time: DiffusionTime, cotangent v: Matrix<Double>) -> (denoised: Matrix<Double>, vjp: Matrix<Double>) {
        (denoise(x, at: time), denoiseVJP(x, at: time, cotangent: v))
    }

    /// The score from Tweedie's formula: s = (α x̂₀ − x)/h.
    public func score(_ x: Matrix<Double>, at time: DiffusionTime) -> Matrix<Double> {
        var s = denoise(x, at: time)
        let a = time.alpha / time.h
        let c = -1 / time.h
        s.elements.withUnsafeMutableBufferPointer { sp in
            x.elements.withUnsafeBufferPointer { xp in for i in 0..<sp.count { sp[i] = a * sp[i] + c * xp[i] } }
        }
        return s
    }

    /// The noise prediction ε̂ = −√h s of the same model.
    public func epsilon(_ x: Matrix<Double>, at time: DiffusionTime) -> Matrix<Double> {
        (-time.h.squareRoot()) * score(x, at: time)
    }

    /// Checks a batch has this model's dimension.
    public func checkDimension(_ x: Matrix<Double>, _ what: String = "batch") throws {
        guard x.columns == dimension else {
            throw DiffusionError.dimensionMismatch("\(what) has \(x.columns) columns, the model's dimension is \(dimension)")
        }
    }
}

/// A score model whose x̂₀ is affine in x at every time: x̂₀ = J x + c with J symmetric.
/// These are the Gaussian (exact or fitted linear-class) scores, and the sampler's output law is then
/// Gaussian and computable exactly (SPEC §5).
public protocol AffineScoreModel: ScoreModel {
    /// (J, c) with x̂₀(x) = J x + c at `time`.
    func affineDenoiser(at time: DiffusionTime) -> (jacobian: Matrix<Double>, offset: [Double])
}

/// Algorithm 2's update of the score model after a round (SPEC §6): the reference code's Adam step on the
/// round's samples, or the paper's weighted refit over the pre-training data and the round's samples.
/// A class because it carries optimiser state from round to round.
public protocol ScoreFineTuner: AnyObject {
    /// The updated model and the loss of the step.
    func update(model: any ScoreModel, samples: Matrix<Double>, round: Int) throws -> (model: any ScoreModel, loss: Double)
}
