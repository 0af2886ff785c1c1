import Foundation
import Compute
import Diffusion
import Experiments
import Guidance
import LinearAlgebra
import Randomness

/// Which guidance an audit case asks the external sampler to apply.
public enum AuditGuidance: String, CaseIterable, Sendable, Codable {
    /// Unguided sampling.
    case none
    /// The experiments' naive G = βₜ(y − gᵀx̂₀)g, βₜ = αₜ/(σ² + hₜ‖g‖²).
    case naive
    /// Look-ahead G_loss = 2βₜ(y − gᵀx̂₀)(∂x̂₀/∂x)ᵀg with the setting's β rule.
    case lookahead
}

/// Why an audit case could not be built, read or used: one line naming the problem.
public struct AuditError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The case, samples or trajectory file is malformed or does not fit the case.
        case badInput
        /// The external step command failed, hung or wrote garbage.
        case stepCommand
    }
    public let kind: Kind
    public let description: String
    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
    public init(_ description: String) { self.init(.badInput, description) }
}

/// Everything an external implementation needs to be audited, and what this tool judges it against:
/// a Gaussian-latent setting (so the ε-model is closed-form and every DDPM step is affine plus
/// Gaussian noise), the schedule, one guidance query (g, y), the shared noise of `trajectories` draws and
/// the exact output law.
///
/// A case is rebuilt from its manifest (the setting, with g and y written into it, the guidance kind, the
/// seed and the counts) by this tool's own code, so an audit never trusts the arrays it exported: they
/// exist for the external side.
public struct AuditCase: Sendable {
    /// The setting, with the guidance query (g, y) fixed in `guidance.gradient` and `guidance.target`.
    public let experiment: ResolvedExperiment
    public let guidance: AuditGuidance
    /// How many samples the external side is asked to draw (`ggd audit SAMPLES.npy` accepts any number above the support's dimension + 1).
    public let count: Int
    /// How many trajectories the shared noise covers (0: no shared noise).
    public let trajectories: Int
    /// The seed of the shared noise (`SamplingNoise(seed:)`, round 0): the draws this tool's sampler uses.
    public let seed: UInt64
    /// The closed-form ε-model: the exact score of the Gaussian latent.
    public let model: GaussianScore
    public let sampler: DDPMSampler

    /// Validates the setting for an audit (subspace data, Gaussian latent) and fixes the guidance query:
    /// the setting's own (g, y), or g = ∇f(μ) and y = δ + gᵀμ at the data mean μ.
    public init(experiment: ResolvedExperiment, guidance: AuditGuidance, count: Int, trajectories: Int, seed: UInt64, delta: Double = 0.2) throws {
        guard count >= 2 else { throw AuditError("the case's --count must be at least 2, got \(count)") }
        guard trajectories >= 0 else { throw AuditError("the number of shared-noise trajectories must be non-negative, got \(trajectories)") }
        guard delta.isFinite else { throw AuditError("δ must be finite, got \(delta)") }
        guard experiment.setting.data.kind == .subspace, experiment.setting.data.mixtureWeights == nil else {
            throw AuditError("an audit case needs a Gaussian latent (subspace data without a mixture): only then is every DDPM step affine and the output law exact")
        }
        let model = try experiment.scoreModel(.exact, seed: seed)
        guard let gaussian = model as? GaussianScore else { throw AuditError("the setting's exact score is not Gaussian") }
        var setting = experiment.setting
        if guidance != .none {
            let (g, y) = GuidanceQuery.gradientAndTarget(experiment: experiment, model: gaussian, delta: delta)
            setting.guidance.gradient = g
            setting.guidance.target = y
        } else {
            setting.guidance.gradient = nil
            setting.guidance.target = nil
        }
        self.experiment = try ResolvedExperiment(setting)
        self.guidance = guidance
        self.count = count
        self.trajectories = trajectories
        self.seed = seed
        self.model = gaussian
        sampler = DDPMSampler(schedule: self.experiment.schedule)
    }

    public var dimension: Int { model.dimension }
    public var steps: Int { sampler.schedule.steps }
    /// g (nil when unguided).
    public var gradient: [Double]? { guidance == .none ? nil : experiment.setting.guidance.gradient }
    /// y (nil when unguided).
    public var target: Double? { guidance == .none ? nil : experiment.setting.guidance.target }
    public var noise: SamplingNoise { SamplingNoise(seed: seed) }
    public var geometry: SubspaceGeometry? { experiment.geometry }

    /// The guidance term for a batch of `rows`, with β_coef multiplied by `coefficientScale` (a
    /// convention that doubles β).
    public func guidanceTerm(rows: Int, coefficientScale: Double = 1) throws -> (any AffineGuidanceTerm)? {
        guard guidance != .none, let g = gradient, let y = target else { return nil }
        let s = experiment.setting.guidance
        let target = try GuidanceTarget.shared(gradient: g, target: y, count: max(1, rows))
        switch guidance {
        case .none: return nil
        case .naive: return try NaiveGuidance(target: target, sigma: s.sigma, coefficient: s.betaCoefficient * coefficientScale)
        case .lookahead: return try LookaheadGuidance(target: target, beta: experiment.beta, coefficient: s.betaCoefficient * coefficientScale)
        }
    }

    /// The exact law of the shipped sampler's output (`DDPMExactLaw`).
    public func law() throws -> GaussianLaw {
        DDPMExactLaw.output(sampler: sampler, model: model, guidance: try guidanceTerm(rows: 1))
    }

    /// x_T of the shared noise (trajectories × D).
    public func initialNoise(rows: Int) -> Matrix<Double> { NoiseFill.normals(rows: rows, columns: dimension, key: noise.initialKey) }

    /// The noise z of step t (rows × D), drawn for every t = 1 … T: the shipped sampler reads steps 2 … T
    /// and draws none at the last step, so a sampler that adds noise there reads step 1's.
    public func stepNoise(_ t: Int, rows: Int) -> Matrix<Double> { NoiseFill.normals(rows: rows, columns: dimension, key: noise.stepKey(t)) }
}
