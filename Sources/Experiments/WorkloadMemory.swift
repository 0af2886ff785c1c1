import Foundation
import Diffusion
import LinearAlgebra

/// The memory the CLI's workloads plan for, estimated from sizes alone before anything is allocated
/// (`MemoryPolicy`). Each item counts what the code holds at its peak; the counts are read off the code
/// they describe and are upper bounds within a small factor, not measurements.
extension ResolvedExperiment {
    /// The data law's mean μ̄: A·E[u] for subspace data (Gaussian or mixture latent), 0 for the sphere.
    public var dataMean: [Double] {
        guard let subspace else { return [Double](repeating: 0, count: setting.data.ambientDimension) }
        let latentMean: [Double]
        switch subspace.latent {
        case let .gaussian(mean, _): latentMean = mean
        case let .mixture(components):
            var m = [Double](repeating: 0, count: subspace.latentDimension)
            for c in components { for i in m.indices { m[i] += c.weight * c.mean[i] } }
            latentMean = m
        }
        return subspace.basis.times(latentMean)
    }

    /// Drawing `count` samples of dimension D with the DDPM or continuous sampler, guided or not, and
    /// writing them: the state, the noise, x̂₀ and the score, the guidance's gradient buffers (six
    /// count×D Double buffers in all), the samples' CSV text (up to 25 bytes a number) and .npy.
    public func memoryForSampling(count: Int, work: String) -> MemoryEstimate {
        let n = Double(count) * Double(setting.data.ambientDimension)
        var e = MemoryEstimate(work)
        e.add("sampler state and work buffers", elements: 6 * n)
        e.add("samples.csv text", elements: n, bytesEach: 25)
        e.add("samples.npy", elements: n)
        return e
    }

    /// `count` pre-training points drawn from the data law (for the linear class or a network): the
    /// points in Double and a Float copy, and the fitted class's D×D moments.
    public func memoryForPretraining(count: Int, work: String) -> MemoryEstimate {
        let D = Double(setting.data.ambientDimension)
        var e = MemoryEstimate(work)
        e.add("pre-training points", elements: Double(count) * D)
        e.add("their Float copy", elements: Double(count) * D, bytesEach: 4)
        e.add("fitted moments", elements: 4 * D * D)
        return e
    }
}
