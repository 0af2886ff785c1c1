import Compute
import Diffusion
import Guidance
import LinearAlgebra
import Randomness
import ScoreNetwork

/// `DDPMSampler` with a `NetworkScore` and, optionally, G_loss guidance (`LookaheadGuidance`), with the
/// model and the state living on a backend: the sampler's own plan and driver (`SamplerDriver`), with
/// x̂₀ from `ResidentNetworkDenoiser`. The points, x̂₀, the noise (drawn there from the same Philox
/// streams) and the guidance query stay in the backend's memory for the whole trajectory, and only the
/// final points come back. On a host backend it equals the CPU path bit for bit (tested); on a GPU it
/// is that path with every step on the device.
public struct ResidentSampler: Sendable {
    public let sampler: DDPMSampler

    public init(sampler: DDPMSampler) { self.sampler = sampler }

    /// `count` draws from `network` (guided by `guidance` when given), with the noise of `noise`.
    public func sample<Backend: SamplerBackend>(_ network: ResidentNetwork<Backend>, guidance: LookaheadGuidance?, count: Int,
                                                noise: SamplingNoise, checked: Bool = false,
                                                progress: ((Int, Int) -> Void)? = nil) throws -> Matrix<Double> {
        let D = network.architecture.dimension
        guard count > 0 else { return Matrix(rows: 0, columns: D) }
        guard sampler.schedule.steps <= network.steps else {
            throw BackendError.invalid("the schedule has \(sampler.schedule.steps) steps, the resident network's table \(network.steps)")
        }
        let denoiser = try ResidentNetworkDenoiser(network, guidance: guidance, count: count)
        return try SamplerDriver.run(sampler.plan, denoiser: denoiser, on: network.backend, count: count, dimension: D, noise: noise,
                                     checked: checked, progress: progress)
    }
}

/// x̂₀ from an ε-network resident on a backend, in batches of its `maximumBatch` rows:
/// x̂₀ = (x − √h ε̂)/α, and with G_loss the input VJP v = (∂x̂₀/∂x)ᵀg, then β, G and the shift
/// x̂₀ + (h/α)G by the backend's `lookaheadShift` — the operations of `NetworkScore` and
/// `LookaheadGuidance` on the host, in the same order.
public struct ResidentNetworkDenoiser<Backend: SamplerBackend>: BatchDenoiser {
    public let network: ResidentNetwork<Backend>
    let vjp: BackendArray<Double>?
    let gradients: BackendArray<Double>?
    let targets: BackendArray<Double>?
    let strength: LookaheadStrength?

    public init(_ network: ResidentNetwork<Backend>, guidance: LookaheadGuidance?, count: Int) throws {
        self.network = network
        let D = network.architecture.dimension
        let k = network.backend
        if let guidance {
            guard guidance.target.count == count, guidance.target.gradients.columns == D else {
                throw BackendError.invalid("guidance holds \(guidance.target.count)×\(guidance.target.gradients.columns) gradients for \(count)×\(D) draws")
            }
            vjp = try k.allocate(Double.self, count: count * D)
            gradients = try k.array(guidance.target.gradients.elements)
            targets = try k.array(guidance.target.targets)
            strength = LookaheadStrength(rule: guidance.beta, coefficient: guidance.coefficient)
        } else {
            (vjp, gradients, targets, strength) = (nil, nil, nil, nil)
        }
    }

    public func denoise(_ x: BackendPointer<Double>, into x0: BackendPointer<Double>, rows count: Int, step: SamplerStep) throws {
        let (time, t) = (step.time, step.step)
        let k = network.backend
        let D = network.architecture.dimension, Din = network.architecture.inputWidth
        let invAlpha = 1 / time.alpha
        let (base, correction) = network.architecture.parameterization.denoisedCoefficients(alpha: time.alpha, h: time.h)
        var start = 0
        while start < count {
            let rows = min(network.maximumBatch, count - start)
            let o = start * D, m = rows * D
            try k.loadRows(x + o, rows: rows, columns: D, into: network.buffers.input, stride: Din)
            try network.forward(rows: rows, step: t)
            try k.tweedie(base: x + o, baseScale: base, correction: network.output.pointer, count: m, scale: correction, factor: invAlpha,
                          into: x0 + o)
            if let g = gradients, let v = vjp {
                try k.convert(g[o], count: m, into: network.cotangent.pointer)
                try network.inputVJP(rows: rows)
                try k.tweedie(base: g[o], baseScale: base, correction: network.inputGradient.pointer, count: m, scale: correction,
                              factor: invAlpha, into: v[o])
            }
            start += rows
        }
        if let g = gradients, let v = vjp, let y = targets, let strength {
            try k.lookaheadShift(denoised: x0, vjp: v.pointer, gradients: g.pointer, targets: y.pointer, rows: count, columns: D,
                                 strength: strength, alpha: time.alpha, h: time.h)
        }
    }
}
