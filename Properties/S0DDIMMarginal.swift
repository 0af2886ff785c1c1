import Foundation
import LinearAlgebra
import Diffusion
import PropertyEngine

extension S0UnguidedSampler {
    /// S0-ddim: DDIM (Song, Meng and Ermon 2021) samples the data law for every η ∈ [0, 1]: with the exact
    /// Gaussian score, its exact law approaches N(μ̄, Σ̄) as its step count S grows, at first order. Exact:
    /// the relative law error e(S) = (‖m − μ̄‖ + ‖C − Σ̄‖_F)/(‖μ̄‖ + √tr Σ̄ + 1) must fall by more than
    /// `minimumRatio` from S = 100 to S = T = 1000 (first order gives 10; measured 9.4–10.3 over 120 cases
    /// at `full`, seed 11) and end below `bound` (measured ≤ 4.7e-3 there, so the bound leaves a factor of
    /// four). Effort: unused.
    public static func ddim() -> Property<DDIMCase> {
        let gen = CatalogGen.subspace(ambient: 2...12, maximumLatent: 4).flatMap { setting in
            Gen.zip(Gens.element(of: [0.0, 0.5, 1.0]), Gens.seed).map { DDIMCase(setting: setting, eta: $0.0, seed: $0.1) }
        }
        return Property(
            id: "S0-ddim", title: "DDIM samples the data law for every η",
            claim: "Song et al. 2021: DDIM's marginals are the forward process's for every η ∈ [0, 1]; its exact law approaches N(μ̄, Σ̄) as its steps grow",
            kind: .exact, budgets: ["ci": Budget(cases: 6, effort: 1), "full": Budget(cases: 120, effort: 1)],
            generator: gen, describe: { $0.description },
            check: { c, _ in
                let model = c.setting.score
                let schedule = try NoiseSchedule(steps: 1000)
                let scale = Vectors.norm(model.mean) + model.covariance.trace.squareRoot() + 1
                func error(_ steps: Int) throws -> Double {
                    let law = DDPMExactLaw.output(sampler: try DDIMSampler(schedule: schedule, eta: c.eta, steps: steps), model: model, guidance: nil)
                    return (Vectors.norm(Vectors.subtract(law.mean, model.mean)) + (law.covariance - model.covariance).frobeniusNorm) / scale
                }
                let coarse = try error(100), fine = try error(1000)
                let measured = coarse > minimumRatio * fine ? fine : .infinity
                return .exact(measured: measured, tolerance: bound, numbers: ["error_S100": coarse, "error_S1000": fine, "ratio": coarse / fine],
                              note: "relative law error of DDIM at S = T = 1000 (and it must be below its error at S = 100 by a factor > \(minimumRatio))")
            })
    }

    /// The largest relative law error at S = T = 1000 accepted.
    static let bound = 2e-2
    /// The smallest accepted e(100)/e(1000).
    static let minimumRatio = 5.0

    public struct DDIMCase: CustomStringConvertible {
        let setting: SubspaceCase
        let eta: Double
        let seed: UInt64
        public var description: String { "\(setting); DDIM η = \(eta)" }
    }
}
