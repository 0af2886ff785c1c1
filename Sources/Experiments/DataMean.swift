import Foundation
import Diffusion
import LinearAlgebra

/// Moments of the data law that the CLI needs without asking a score model.
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
}
