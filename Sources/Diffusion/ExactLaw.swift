import LinearAlgebra
import FaultInjection

/// A Gaussian law N(mean, covariance) on R^D.
public struct GaussianLaw: Sendable, Equatable {
    public let mean: [Double]
    public let covariance: Matrix<Double>
    public init(mean: [Double], covariance: Matrix<Double>) {
        self.mean = mean
        self.covariance = covariance
    }
}

/// The exact output law of the DDPM sampler for an affine score model (Gaussian, exact or fitted) and
/// affine guidance (SPEC §5). Every step is xₜ₋₁ = Fₜxₜ + fₜ + √β̃ₜ z, so from x_T ~ N(0, I) the mean
/// and covariance propagate as m ← Fm + f, C ← FCFᵀ + β̃I — no sampling. This separates the
/// discretisation error (a deterministic function of T) from the sampling error, and gives the
/// sampler's own draws a law to be tested against.
public enum DDPMExactLaw {
    /// The law of the output of sample `row` (its guidance parameters) under `sampler`.
    public static func output(sampler: DDPMSampler, model: any AffineScoreModel,
                              guidance: (any AffineGuidanceTerm)?, row: Int = 0) -> GaussianLaw {
        let D = model.dimension
        var mean = [Double](repeating: 0, count: D)
        var cov = Matrix<Double>.identity(D)
        let schedule = sampler.schedule
        for t in stride(from: schedule.steps, through: 1, by: -1) {
            let time = schedule.time(t)
            var (j, c) = model.affineDenoiser(at: time)
            if let guidance {
                let (gamma, g0) = guidance.affineTerm(jacobian: j, offset: c, time: time, row: row)
                let s = time.h / time.alpha
                j.add(gamma, scaledBy: s)
                c = Vectors.add(c, g0, scaledBy: s)
            }
            let (c1, c2, v) = sampler.coefficients(t)
            var f = c1 * j
            for i in 0..<D { f[i, i] += c2 }
            mean = Vectors.add(f.times(mean), c, scaledBy: c1)
            cov = f.matmul(cov).matmul(f, transposeOther: true)
            if t > 1 && !FaultHook.isActive(.exactLawMissingNoise) { for i in 0..<D { cov[i, i] += v } }
            cov = cov.symmetrized
        }
        return GaussianLaw(mean: mean, covariance: cov)
    }
}
