import LinearAlgebra
import Randomness
import Diffusion
import Guidance

/// The implementation under test, as the catalog sees it: every piece a claim is about, swappable.
///
/// `reference` is the real implementation. The deliberately broken variants exist so that each property
/// is seen to fail when its claim is broken (the catalog's own tests run them); they are never used by
/// `ggd check` unless asked for by name.
public struct Subject: Sendable {
    public var name: String
    /// The guidance the claims call G_loss (Definition 1).
    public var lookahead: @Sendable (GuidanceTarget, BetaRule) throws -> any AffineGuidanceTerm
    /// The guidance the claims call naive G (Proposition 1's form b(t)∇f with f = gᵀx: G = b₀g).
    public var naive: @Sendable (_ gradient: [Double], _ strength: Double, _ count: Int) throws -> any AffineGuidanceTerm
    /// Lemma 1's β for an observation noise σ.
    public var theoryBeta: @Sendable (Double) -> BetaRule
    /// The reference code's β for an observation noise σ.
    public var codeBeta: @Sendable (Double) -> BetaRule
    /// The DDPM sampler's draws.
    public var sample: @Sendable (DDPMSampler, any ScoreModel, (any GuidanceTerm)?, Int, SamplingNoise) -> Matrix<Double>
    /// Algorithm 1's theory step η for a given λ (the theory says 1/λ).
    public var algorithm1Step: @Sendable (Double) -> Double
    /// Algorithm 2's theory λ for smoothness L and K rounds (the theory says L log K/(4K)).
    public var algorithm2Lambda: @Sendable (_ L: Double, _ K: Int) -> Double

    public static let reference = Subject(
        name: "reference",
        lookahead: { target, beta in try LookaheadGuidance(target: target, beta: beta) },
        naive: { g, b0, count in try ObjectiveGradientGuidance(objective: LinearObjective(theta: g), strength: b0) },
        theoryBeta: { .theory(sigma: $0) },
        codeBeta: { .code(sigma: $0) },
        sample: { sampler, model, guidance, count, noise in sampler.sample(model: model, guidance: guidance, count: count, noise: noise, progress: nil) },
        algorithm1Step: { TheoryPresets.algorithm1Step(lambda: $0) },
        algorithm2Lambda: { L, K in TheoryPresets.algorithm2Lambda(smoothness: L, rounds: K) }
    )

    /// Naive guidance where G_loss belongs (breaks T1 and P1's G_loss half).
    public static var naiveInPlaceOfLookahead: Subject {
        var s = reference
        s.name = "naive-in-place-of-lookahead"
        s.lookahead = { target, beta in try NaiveGuidance(target: target, sigma: 0.1) }
        return s
    }

    /// The code's β where Lemma 1's belongs (breaks L3 when Σ̄ is not a projector).
    public static var codeBetaAsTheory: Subject {
        var s = reference
        s.name = "code-beta-as-theory"
        s.theoryBeta = { .code(sigma: $0) }
        return s
    }

    /// Noise added at the last DDPM step (breaks S0 and the sampler-vs-law checks).
    public static var noiseAtLastStep: Subject {
        var s = reference
        s.name = "noise-at-last-step"
        s.sample = { sampler, model, guidance, count, noise in
            var x = sampler.sample(model: model, guidance: guidance, count: count, noise: noise, progress: nil)
            let extra = NoiseFill.normals(rows: count, columns: model.dimension, key: StreamKey(seed: noise.seed, purpose: .stepNoise, major: noise.round, minor: 1))
            x.add(extra, scaledBy: (sampler.schedule.beta[1]).squareRoot() * 3)
            return x
        }
        return s
    }

    /// A step twice too long in Algorithm 1's theory preset (breaks T2's contraction ratio).
    public static var doubleStep: Subject {
        var s = reference
        s.name = "double-step"
        s.algorithm1Step = { 2 / $0 }
        return s
    }

    /// A regularisation λ that does not decay with K (breaks T3's rate).
    public static var constantLambda: Subject {
        var s = reference
        s.name = "constant-lambda"
        s.algorithm2Lambda = { L, _ in L / 4 }
        return s
    }

    /// Draws with isotropic noise in all D coordinates (breaks T2's d-not-D error term).
    public static var ambientNoise: Subject {
        var s = reference
        s.name = "ambient-noise"
        s.sample = { sampler, model, guidance, count, noise in
            var x = sampler.sample(model: model, guidance: guidance, count: count, noise: noise, progress: nil)
            x.add(NoiseFill.normals(rows: count, columns: model.dimension, key: StreamKey(seed: noise.seed, purpose: .stepNoise, major: noise.round, minor: 0)), scaledBy: 0.3)
            return x
        }
        return s
    }

    /// A score whose data law is shifted by half a unit along A's first column (breaks S0's law check,
    /// not its support check).
    public static var shiftedScore: Subject {
        var s = reference
        s.name = "shifted-score"
        s.sample = { sampler, model, guidance, count, noise in
            var shift = [Double](repeating: 0, count: model.dimension)
            if let g = model as? GaussianScore, let k = g.variances.indices.max(by: { g.variances[$0] < g.variances[$1] }) {
                shift = Vectors.scale(g.basis.column(k), by: 0.5)
            } else if let m = model as? MixtureScore {
                shift = Vectors.scale(m.basis.column(0), by: 0.5)
            }
            let shifted = try! TranslatedScore(base: model, shift: shift)
            return sampler.sample(model: shifted, guidance: guidance, count: count, noise: noise, progress: nil)
        }
        return s
    }

    public static var variants: [Subject] {
        [.reference, .naiveInPlaceOfLookahead, .codeBetaAsTheory, .noiseAtLastStep, .doubleStep, .constantLambda, .ambientNoise, .shiftedScore]
    }

    public static func named(_ name: String) -> Subject? { variants.first { $0.name == name } }
}

import Foundation
