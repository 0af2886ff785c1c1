import Compute
import Diffusion
import Guidance
import LinearAlgebra
import ScoreNetwork

/// A sampler (DDPM or continuous) run on a chosen backend: its plan through the one driver, with the
/// state in the backend's memory. A learned network with G_loss (or unguided) on the DDPM plan lives
/// on the backend too (`ResidentNetworkDenoiser`, the network converted to the backend's precision);
/// every other model is evaluated on the host and its x̂₀ handed to the backend each step.
///
/// On the host backends this is today's default path bit for bit wherever the precision is the same:
/// closed-form scores on any host backend (the state is Double everywhere), the Float network on
/// openblas-float (tested). It makes `ggd sample`, `optimize`, `reproduce` and `report` runnable on a GPU.
public struct BackendSampler: PlannedSampler {
    public let base: any PlannedSampler
    public let choice: BackendChoice

    public init(_ base: any PlannedSampler, on choice: BackendChoice) {
        self.base = base
        self.choice = choice
    }

    public var dimension: Int? { base.dimension }
    public var plan: SamplerPlan { base.plan }
    public var threads: Int { base.threads }
    public var discreteSchedule: NoiseSchedule? { base.discreteSchedule }

    /// Unchecked sampling cannot throw: a backend failure (a CUDA error) yields NaN draws, which every
    /// checked caller reports. Use `sampleChecked` to get the error itself.
    public func sample(model: any ScoreModel, guidance: (any GuidanceTerm)?, count: Int, noise: SamplingNoise,
                       progress: ((Int, Int) -> Void)?) -> Matrix<Double> {
        (try? sampleChecked(model: model, guidance: guidance, count: count, noise: noise, progress: progress))
            ?? Matrix(rows: count, columns: model.dimension, elements: [Double](repeating: .nan, count: count * model.dimension))
    }

    public func sampleChecked(model: any ScoreModel, guidance: (any GuidanceTerm)?, count: Int, noise: SamplingNoise,
                              progress: ((Int, Int) -> Void)?) throws -> Matrix<Double> {
        let plan = base.plan.guided(by: guidance)
        let x = try choice.with(threads: base.threads, FloatOrDouble(
            float: { k in try Self.run(plan, model: model, guidance: guidance, count: count, noise: noise, progress: progress, on: k) },
            double: { k in try Self.run(plan, model: model, guidance: guidance, count: count, noise: noise, progress: progress, on: k) }))
        guard x.isFinite else { throw DiffusionError.nonFinite("the samples are NaN or infinite at the end of sampling") }
        return x
    }

    static func run<K: SamplerBackend>(_ plan: SamplerPlan, model: any ScoreModel, guidance: (any GuidanceTerm)?, count: Int, noise: SamplingNoise,
                                       progress: ((Int, Int) -> Void)?, on k: K) throws -> Matrix<Double> {
        let lookahead = guidance as? LookaheadGuidance
        let steps = plan.steps.map(\.step).max() ?? 0
        let discrete = plan.finalDenoise == nil && plan.steps.allSatisfy { $0.step >= 1 }
        if discrete, guidance == nil || lookahead != nil, let (network, batch) = Self.network(model, as: K.Scalar.self) {
            let resident = try ResidentNetwork(network, steps: steps, maximumBatch: min(batch, max(count, 1)), on: k)
            let denoiser = try ResidentNetworkDenoiser(resident, guidance: lookahead, count: count)
            return try SamplerDriver.run(plan, denoiser: denoiser, on: k, count: count, dimension: model.dimension, noise: noise, checked: true,
                                         progress: progress)
        }
        return try SamplerDriver.run(plan, denoiser: HostModelDenoiser(model: model, guidance: guidance, on: k), on: k, count: count,
                                     dimension: model.dimension, noise: noise, checked: true, progress: progress)
    }

    /// A learned network's parameters in the backend's precision, and its batch.
    static func network<S: BLASScalar>(_ model: any ScoreModel, as _: S.Type) -> (EpsilonNetwork<S>, Int)? {
        if let m = model as? NetworkScore<S> { return (m.network, m.maximumBatch) }
        if let m = model as? NetworkScore<Float> { return (m.network.converted(), m.maximumBatch) }
        if let m = model as? NetworkScore<Double> { return (m.network.converted(), m.maximumBatch) }
        return nil
    }
}
