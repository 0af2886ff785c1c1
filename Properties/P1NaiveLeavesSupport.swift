import Foundation
import LinearAlgebra
import Randomness
import Diffusion
import Guidance
import PropertyEngine

/// P1 — Proposition 1: naive guidance G = b(t)∇f(x) with f = gᵀx and g ⊥ span(A) pushes the samples off
/// span(A) along g (E[X⊥] = C·g with C > 0), while G_loss with the same g leaves them in span(A).
///
/// With an exact subspace score the off-span part of a DDPM output is deterministic (x̂₀ has none, and
/// the last step adds no noise), so this is an exact property: the draws' component along g must be
/// positive and equal to the exact law's prediction, and G_loss's draws must have none. The paper's
/// bound C > e^{−5/2}·b₀ is stated for the continuous backward SDE; the measured C of the discrete
/// sampler is reported beside it (`C_over_b0`, `bound_over_b0`).
public enum P1NaiveLeavesSupport {
    public struct Case: CustomStringConvertible {
        let setting: SubspaceCase
        let strength: Double
        let steps: Int
        let seed: UInt64
        public var description: String { "\(setting); b₀ = \(String(format: "%.3g", strength)); T = \(steps); draw seed \(seed)" }
    }

    /// Effort: the number of draws per guidance.
    public static func property() -> Property<Case> {
        let gen = CatalogGen.subspace(ambient: 3...24).filter("d < D (g needs an off-span direction)") { $0.latent < $0.ambient }
            .flatMap { setting in
                Gen.zip(Gen.zip(Gens.double(in: 0.5...5), CatalogGen.steps([50, 100, 200])), Gens.seed).map { a, seed in
                    Case(setting: setting, strength: a.0, steps: a.1, seed: seed)
                }
            }
        return Property(
            id: "P1", title: "Naive guidance leaves span(A); G_loss does not",
            claim: "Proposition 1: with f = gᵀx, g ⊥ span(A), naive guidance gives E[X⊥] = C·g with C > 0; G_loss gives X⊥ = 0",
            kind: .exact, budgets: ["ci": Budget(cases: 12, effort: 64), "full": Budget(cases: 300, effort: 512)],
            generator: gen, describe: { $0.description },
            check: { c, effort in
                let s = c.setting
                let model = s.score
                let geometry = SubspaceGeometry(basis: s.basis)
                // g: a random direction with its on-span part removed, unit length.
                var g = geometry.offSupport(Matrix(rows: 1, columns: s.ambient, elements: CatalogGen.vector(s.ambient, seed: c.seed, index: 4))).elements
                g = Vectors.scale(g, by: 1 / Vectors.norm(g))
                let sampler = DDPMSampler(schedule: try NoiseSchedule(steps: c.steps))
                let noise = SamplingNoise(seed: c.seed)

                let naive = try ObjectiveGradientGuidance(objective: LinearObjective(theta: g), strength: c.strength)
                let predicted = Vectors.dot(DDPMExactLaw.output(sampler: sampler, model: model, guidance: naive).mean, g)
                let draws = sampler.sample(model: model, guidance: naive, count: effort, noise: noise)
                let along = draws.times(g)
                let measuredC = along.reduce(0, +) / Double(effort)
                let spread = (along.map { $0 - measuredC }.map { $0 * $0 }.reduce(0, +) / Double(effort)).squareRoot()
                let relative = abs(measuredC - predicted) / max(abs(predicted), 1e-300)

                let target = try GuidanceTarget.shared(gradient: g, target: 1, count: effort)
                let lookahead = try LookaheadGuidance(target: target, beta: .theory(sigma: 0.1))
                let lookDraws = sampler.sample(model: model, guidance: lookahead, count: effort, noise: noise)
                let lookOff = geometry.offSupportFraction(lookDraws).max() ?? 0

                let measured = predicted > 0 && measuredC > 0 ? max(relative, lookOff) : .infinity
                return .exact(measured: measured, tolerance: 1e-8,
                              numbers: ["C_predicted": predicted / 1, "C_measured": measuredC, "C_spread": spread,
                                        "C_over_b0": measuredC / c.strength, "bound_over_b0": exp(-2.5),
                                        "lookahead_max_off_fraction": lookOff],
                              note: "naive: mean of X·g vs the exact law's prediction (must be > 0); G_loss: max ‖X⊥‖/‖X‖")
            })
    }
}
