import Foundation
import LinearAlgebra
import Randomness
import Diffusion
import PropertyEngine

/// A generated subspace setting: A (D×d), a latent law, and the seed of the case's own draws.
public struct SubspaceCase: CustomStringConvertible {
    public let ambient: Int
    public let latent: Int
    public let basis: Matrix<Double>
    public let latentMean: [Double]
    public let latentCovariance: Matrix<Double>
    /// Whether Σ_u is the identity (the simplest case, and the paper's).
    public let identityCovariance: Bool
    public let seed: UInt64

    public var model: SubspaceDataModel { try! SubspaceDataModel(basis: basis, latent: .gaussian(mean: latentMean, covariance: latentCovariance)) }
    public var score: GaussianScore { try! GaussianScore.subspace(basis: basis, latentMean: latentMean, latentCovariance: latentCovariance) }

    public var description: String {
        var cov = "= I"
        if !identityCovariance, let eig = try? SymmetricEigendecomposition(latentCovariance) {
            cov = String(format: "eigenvalues %.2g…%.2g", eig.eigenvalues.first ?? 0, eig.eigenvalues.last ?? 0)
        }
        return "D = \(ambient), d = \(latent), Σ_u \(cov), μ_u " + (latentMean.allSatisfy { $0 == 0 } ? "= 0" : "random") + ", seed \(seed)"
    }
}

/// Generators shared by the catalog. Choice 0 is the simplest: the smallest dimensions, identity
/// covariance, zero mean, seed 0.
public enum CatalogGen {
    /// D in `ambient`, then d ≤ D (dependent), then A, Σ_u, μ_u and a seed.
    public static func subspace(ambient: ClosedRange<Int> = 2...24, maximumLatent: Int = 8) -> Gen<SubspaceCase> {
        Gens.int(in: ambient).flatMap { D in
            Gens.int(in: 1...min(D, maximumLatent)).flatMap { d in
                Gen.zip(Gen.zip(Gens.bool, Gens.bool), Gens.seed).map { flags, seed in
                    let (randomCovariance, randomMean) = flags
                    let a = try SubspaceDataModel.randomBasis(ambient: D, latent: d, seed: seed)
                    var gen = SequentialGenerator(StreamKey(seed: seed, purpose: .setting))
                    var cov = Matrix<Double>.identity(d)
                    if randomCovariance {
                        // Eigenvalues in [0.2, 3] with a Haar eigenbasis: well conditioned but not a projector.
                        let q = try Matrix.haarOrthonormal(fromGaussian: Matrix(rows: d, columns: d) { _, _ in gen.normal() })
                        var scaled = q
                        scaled.scaleColumns(by: (0..<d).map { _ in 0.2 + 2.8 * gen.uniform() })
                        cov = scaled.matmul(q, transposeOther: true).symmetrized
                    }
                    let mean = randomMean ? (0..<d).map { _ in gen.normal() } : [Double](repeating: 0, count: d)
                    return SubspaceCase(ambient: D, latent: d, basis: a, latentMean: mean, latentCovariance: cov,
                                        identityCovariance: !randomCovariance, seed: seed)
                }
            }
        }
    }

    /// A diffusion step count from a short list (shrinks to the fewest steps).
    public static func steps(_ choices: [Int]) -> Gen<Int> { Gens.element(of: choices) }

    /// A random vector of the seed's stream, index `index`.
    public static func vector(_ n: Int, seed: UInt64, index: UInt64) -> [Double] {
        RandomStream(StreamKey(seed: seed, purpose: .generation, index: index)).normals(row: 0, count: n)
    }
}

/// The standard normal CDF.
func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

/// ‖v‖ in the Σ̄⁻¹ norm on the span of a Gaussian score's covariance (the norm of Theorem 2).
func inverseCovarianceNorm(_ v: [Double], _ model: GaussianScore) -> Double {
    let coords = model.basis.times(v, transposed: true)
    let top = model.variances.max() ?? 1
    return zip(coords, model.variances).reduce(0) { $0 + ($1.1 > 1e-12 * top ? $1.0 * $1.0 / $1.1 : 0) }.squareRoot()
}
