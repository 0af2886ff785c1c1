import LinearAlgebra

/// An affine score model with x̂₀ = Jₜx + cₜ tabulated for every step of a discrete schedule, so that
/// x̂₀ and the VJP each cost one gemm per sampler step instead of two.
///
/// Pays off for the fitted linear class (rank near D) in long runs such as Algorithm 1's 1000 rounds,
/// where the same model is evaluated at the same 200 times again and again. Any other time falls back
/// to the model itself, so results do not depend on whether the table is used beyond round-off.
public struct ScheduledAffineScore: AffineScoreModel {
    public let base: any AffineScoreModel
    public let schedule: NoiseSchedule
    /// Index t holds (Jₜ, cₜ); index 0 is unused.
    let jacobians: [Matrix<Double>]
    let offsets: [[Double]]

    /// The largest table (T·D² numbers) worth building.
    public static let maximumTableSize = 1 << 23

    public init?(_ base: any AffineScoreModel, schedule: NoiseSchedule) {
        let D = base.dimension
        guard schedule.steps * D * D <= Self.maximumTableSize else { return nil }
        var js = [Matrix<Double>(rows: 0, columns: 0)], cs = [[Double]()]
        for t in 1...schedule.steps {
            let (j, c) = base.affineDenoiser(at: schedule.time(t))
            js.append(j)
            cs.append(c)
        }
        self.base = base
        self.schedule = schedule
        jacobians = js
        offsets = cs
    }

    public var dimension: Int { base.dimension }

    @inline(__always)
    private func tabulated(_ time: DiffusionTime) -> Int? {
        guard let t = time.step, t >= 1, t <= schedule.steps,
              time.alpha == schedule.alpha(t), time.h == schedule.h(t) else { return nil }
        return t
    }

    public func denoise(_ x: Matrix<Double>, at time: DiffusionTime) -> Matrix<Double> {
        guard let t = tabulated(time) else { return base.denoise(x, at: time) }
        var out = Matrix<Double>(broadcasting: offsets[t], rows: x.rows)
        Matrix.gemm(x, jacobians[t], transposeB: true, beta: 1, into: &out)      // rows: (J x + c)ᵀ
        return out
    }

    public func denoiseVJP(_ x: Matrix<Double>, at time: DiffusionTime, cotangent v: Matrix<Double>) -> Matrix<Double> {
        guard let t = tabulated(time) else { return base.denoiseVJP(x, at: time, cotangent: v) }
        return v.matmul(jacobians[t])                                              // rows: (Jᵀv)ᵀ = vᵀJ
    }

    public func affineDenoiser(at time: DiffusionTime) -> (jacobian: Matrix<Double>, offset: [Double]) {
        guard let t = tabulated(time) else { return base.affineDenoiser(at: time) }
        return (jacobians[t], offsets[t])
    }
}
