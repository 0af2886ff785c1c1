import Diffusion
import Guidance
import LinearAlgebra
import Randomness
import ScoreNetwork

/// `DDPMSampler` with a `NetworkScore` and, optionally, G_loss guidance (`LookaheadGuidance`), run as
/// one resident computation on a backend: the points, x̂₀, the noise (drawn there from the same Philox
/// streams) and the guidance query live in the backend's memory for the whole trajectory, and only the
/// final points come back. On a host backend it equals the CPU path bit for bit (tested); on a GPU it
/// is that path with every step on the device.
public struct ResidentSampler: Sendable {
    public let sampler: DDPMSampler

    public init(sampler: DDPMSampler) { self.sampler = sampler }

    /// `count` draws from `network` (guided by `guidance` when given), with the noise of `noise`.
    public func sample<Backend: SamplerBackend>(_ network: ResidentNetwork<Backend>, guidance: LookaheadGuidance?, count: Int,
                                                noise: SamplingNoise, progress: ((Int, Int) -> Void)? = nil) throws -> Matrix<Double> {
        let schedule = sampler.schedule
        let k = network.backend
        let D = network.architecture.dimension, Din = network.architecture.inputWidth
        guard count > 0 else { return Matrix(rows: 0, columns: D) }
        guard schedule.steps <= network.steps else {
            throw DiffusionError.invalidParameter("the schedule has \(schedule.steps) steps, the resident network's table \(network.steps)")
        }
        if let guidance {
            guard guidance.target.count == count, guidance.target.gradients.columns == D else {
                throw DiffusionError.dimensionMismatch("guidance holds \(guidance.target.count)×\(guidance.target.gradients.columns) gradients for \(count)×\(D) draws")
            }
        }
        let n = count * D
        let x = try k.allocate(Double.self, count: n), x0 = try k.allocate(Double.self, count: n), z = try k.allocate(Double.self, count: n)
        let v = try k.allocate(Double.self, count: guidance == nil ? 0 : n)
        let g = try guidance.map { try k.array($0.target.gradients.elements) }
        let y = try guidance.map { try k.array($0.target.targets) }
        let strength = guidance.map { LookaheadStrength(rule: $0.beta, coefficient: $0.coefficient) }
        try k.fillNormals(x.pointer, rows: count, columns: D, key: noise.initialKey, firstRow: noise.firstRow)
        for t in stride(from: schedule.steps, through: 1, by: -1) {
            let time = schedule.time(t)
            let sqrtH = time.h.squareRoot(), invAlpha = 1 / time.alpha
            var start = 0
            while start < count {
                let rows = min(network.maximumBatch, count - start)
                let o = start * D, m = rows * D
                try k.loadRows(x[o], rows: rows, columns: D, into: network.buffers.input, stride: Din)
                try network.forward(rows: rows, step: t)
                try k.tweedie(base: x[o], correction: network.output.pointer, count: m, scale: sqrtH, factor: invAlpha, into: x0[o])
                if let g {
                    try k.convert(g[o], count: m, into: network.cotangent.pointer)
                    try network.inputVJP(rows: rows)
                    try k.tweedie(base: g[o], correction: network.inputGradient.pointer, count: m, scale: sqrtH, factor: invAlpha, into: v[o])
                }
                start += rows
            }
            if let g, let y, let strength {
                try k.lookaheadShift(denoised: x0.pointer, vjp: v.pointer, gradients: g.pointer, targets: y.pointer, rows: count, columns: D,
                                     strength: strength, alpha: time.alpha, h: time.h)
            }
            let (c1, c2, variance) = sampler.coefficients(t)
            if t > 1 {
                try k.fillNormals(z.pointer, rows: count, columns: D, key: noise.stepKey(t), firstRow: noise.firstRow)
                try k.ddpmStep(x: x.pointer, denoised: x0.pointer, noise: z.pointer, count: n, c1: c1, c2: c2, sd: variance.squareRoot())
            } else {
                try k.ddpmStep(x: x.pointer, denoised: x0.pointer, noise: nil, count: n, c1: c1, c2: c2, sd: 0)
            }
            progress?(schedule.steps - t + 1, schedule.steps)
        }
        return Matrix(rows: count, columns: D, elements: try k.values(x.pointer, count: n))
    }
}
