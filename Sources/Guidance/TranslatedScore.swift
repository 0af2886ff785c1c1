import LinearAlgebra

/// A score model whose data law is translated by Δ: p'(x₀) = p(x₀ − Δ), so s'(x, t) = s(x − αΔ, t) and
/// x̂₀'(x) = x̂₀(x − αΔ) + Δ. This is the offset-only fine-tuning class (the paper's eq. 15) for any
/// base model, exact, fitted or learned.
public struct TranslatedScore: ScoreModel {
    public let base: any ScoreModel
    public let shift: [Double]

    public init(base: any ScoreModel, shift: [Double]) throws {
        guard shift.count == base.dimension else {
            throw GuidanceError.dimensionMismatch("shift has \(shift.count) entries, model dimension is \(base.dimension)")
        }
        self.base = base
        self.shift = shift
    }

    public var dimension: Int { base.dimension }

    private func shifted(_ x: Matrix<Double>, _ time: DiffusionTime) -> Matrix<Double> {
        var y = x
        y.addToEachRow(shift, scaledBy: -time.alpha)
        return y
    }

    public func denoise(_ x: Matrix<Double>, at time: DiffusionTime) -> Matrix<Double> {
        var out = base.denoise(shifted(x, time), at: time)
        out.addToEachRow(shift)
        return out
    }

    public func denoiseVJP(_ x: Matrix<Double>, at time: DiffusionTime, cotangent v: Matrix<Double>) -> Matrix<Double> {
        base.denoiseVJP(shifted(x, time), at: time, cotangent: v)
    }
}
