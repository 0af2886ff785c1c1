#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra
import Randomness

/// The ingredients of a small subspace data model (SPEC §1) as plain matrices, so that every test target
/// builds its models from the same numbers and the reference formulas can be written independently of the
/// Diffusion module: A (D×d, orthonormal columns by Gram–Schmidt), a Gaussian latent N(μ_u, Σ_u) and a
/// Gaussian-mixture latent Σₖ πₖ N(mₖ, Sₖ).
public struct SubspaceProblem: Sendable {
    public let ambient: Int
    public let latent: Int
    public let basis: Matrix<Double>
    public let latentMean: [Double]
    public let latentCovariance: Matrix<Double>
    public let mixtureWeights: [Double]
    public let mixtureMeans: [[Double]]
    public let mixtureCovariances: [Matrix<Double>]

    /// A problem drawn from `seed`: Σ_u has eigenvalues in [0.3, 2] (not a projector), the mixture has
    /// three components with means ~1.5·N(0, I) and covariances with eigenvalues in [0.2, 1].
    public init(ambient D: Int, latent d: Int, seed: UInt64) {
        ambient = D
        latent = d
        basis = TestRandom.orthonormalColumns(rows: D, columns: d, key: TestRandom.key(1, seed: seed))
        latentMean = TestRandom.gaussianVector(d, key: TestRandom.key(2, seed: seed)).map { 0.7 * $0 }
        latentCovariance = TestRandom.spdMatrix(dimension: d, smallest: 0.3, largest: 2, key: TestRandom.key(3, seed: seed))
        mixtureWeights = [0.5, 0.3, 0.2]
        mixtureMeans = (0..<3).map { TestRandom.gaussianVector(d, key: TestRandom.key(10 + UInt64($0), seed: seed)).map { 1.5 * $0 } }
        mixtureCovariances = (0..<3).map { TestRandom.spdMatrix(dimension: d, smallest: 0.2, largest: 1, key: TestRandom.key(20 + UInt64($0), seed: seed)) }
    }

    /// A x for a latent vector (loops).
    public func embed(_ u: [Double]) -> [Double] { Naive.apply(basis, u) }

    /// A M Aᵀ for a latent matrix (loops).
    public func embed(_ m: Matrix<Double>) -> Matrix<Double> {
        Naive.product(Naive.product(basis, m), basis, transposeB: true)
    }

    /// The data law's ambient mean A μ_u and covariance A Σ_u Aᵀ.
    public var dataMean: [Double] { embed(latentMean) }
    public var dataCovariance: Matrix<Double> { embed(latentCovariance) }

    /// α²M + hI for an ambient covariance M: the covariance of xₜ given a Gaussian x₀ with covariance M.
    public static func diffused(_ m: Matrix<Double>, alpha: Double, h: Double) -> Matrix<Double> {
        var c = (alpha * alpha) * m
        for i in 0..<c.rows { c[i, i] += h }
        return c
    }

    /// log pₜ(x) of the Gaussian-latent model: log N(x; αAμ_u, α²AΣ_uAᵀ + hI).
    public func gaussianLogDensity(_ x: [Double], alpha: Double, h: Double) throws -> Double {
        try Stats.gaussianLogDensity(x, mean: dataMean.map { alpha * $0 },
                                     covariance: Self.diffused(dataCovariance, alpha: alpha, h: h))
    }

    /// log pₜ(x) of the mixture-latent model: log Σₖ πₖ N(x; αAmₖ, α²ASₖAᵀ + hI).
    public func mixtureLogDensity(_ x: [Double], alpha: Double, h: Double) throws -> Double {
        var terms = [Double]()
        for k in 0..<mixtureWeights.count {
            let mean = embed(mixtureMeans[k]).map { alpha * $0 }
            let cov = Self.diffused(embed(mixtureCovariances[k]), alpha: alpha, h: h)
            terms.append(log(mixtureWeights[k]) + (try Stats.gaussianLogDensity(x, mean: mean, covariance: cov)))
        }
        return Stats.logSumExp(terms)
    }

    /// Points typical of the diffused law at (α, h) plus an extra off-span push: x = αAu + √h z + c·(I − P)w,
    /// u ~ N(μ_u, Σ_u) approximately (mean plus unit normals), z, w standard normal.
    public func typicalPoints(count: Int, alpha: Double, h: Double, offSpanBoost: Double = 0, key: StreamKey) -> Matrix<Double> {
        var x = Matrix<Double>(rows: count, columns: ambient)
        for i in 0..<count {
            let draws = TestRandom.normals(latent + 2 * ambient, key: key, row: i)
            let u = (0..<latent).map { latentMean[$0] + draws[$0] }
            let on = embed(u)
            let w = Naive.offSpan(basis, Array(draws[(latent + ambient)...]))
            for j in 0..<ambient { x[i, j] = alpha * on[j] + h.squareRoot() * draws[latent + j] + offSpanBoost * w[j] }
        }
        return x
    }
}
