import Foundation
import LinearAlgebra
import Randomness

/// A law to draw training data from.
public protocol DataModel: Sendable {
    var dimension: Int { get }
    /// `count` points, one per row; point i uses stream row i of `key`, so a prefix of a larger draw
    /// equals a smaller draw with the same key (bit for bit with one BLAS thread; with several, OpenBLAS's
    /// threaded gemm may change the last bit for very large batches).
    func sample(count: Int, key: StreamKey) -> Matrix<Double>
}

/// The law of the latent variable u of a subspace model.
public enum LatentLaw: Sendable, Equatable {
    case gaussian(mean: [Double], covariance: Matrix<Double>)
    case mixture([MixtureScore.Component])

    public var dimension: Int {
        switch self {
        case let .gaussian(mean, _): return mean.count
        case let .mixture(components): return components.first?.mean.count ?? 0
        }
    }

    /// u ~ N(0, I_d), the paper's latent.
    public static func standard(_ d: Int) -> LatentLaw { .gaussian(mean: [Double](repeating: 0, count: d), covariance: .identity(d)) }
}

/// Assumption 1: x = A u with A ∈ R^{D×d} orthonormal columns and u from a latent law.
public struct SubspaceDataModel: DataModel {
    public let basis: Matrix<Double>
    public let latent: LatentLaw
    /// Per mixture component (or the single Gaussian): U diag(√λ), so u = m + U diag(√λ) z.
    private let factors: [Matrix<Double>]

    public var dimension: Int { basis.rows }
    public var latentDimension: Int { basis.columns }
    public var geometry: SubspaceGeometry { SubspaceGeometry(basis: basis) }

    public init(basis: Matrix<Double>, latent: LatentLaw) throws {
        let (D, d) = (basis.rows, basis.columns)
        guard d >= 1 else { throw DiffusionError.invalidParameter("latent dimension d must be at least 1, got \(d)") }
        guard d <= D else { throw DiffusionError.invalidParameter("latent dimension d = \(d) exceeds ambient dimension D = \(D)") }
        guard basis.isFinite else { throw DiffusionError.nonFinite("basis A contains NaN or infinity") }
        let gram = basis.matmul(basis, transposeSelf: true)
        let err = (gram - .identity(d)).maxAbs
        guard err < 1e-8 else { throw DiffusionError.invalidParameter("basis A must have orthonormal columns (max |AᵀA − I| = \(err))") }
        guard latent.dimension == d else {
            throw DiffusionError.dimensionMismatch("latent law has dimension \(latent.dimension), A has d = \(d) columns")
        }
        func factor(_ cov: Matrix<Double>, _ what: String) throws -> Matrix<Double> {
            guard cov.rows == d, cov.isSquare else { throw DiffusionError.dimensionMismatch("\(what) must be \(d)×\(d), got \(cov.rows)×\(cov.columns)") }
            guard cov.isFinite else { throw DiffusionError.nonFinite("\(what) contains NaN or infinity") }
            let eig = try SymmetricEigendecomposition(cov)
            guard (eig.eigenvalues.min() ?? 0) > -1e-10 * max(1, eig.eigenvalues.max() ?? 1) else {
                throw DiffusionError.invalidParameter("\(what) is not positive semi-definite")
            }
            var f = eig.eigenvectors
            f.scaleColumns(by: eig.eigenvalues.map { max($0, 0).squareRoot() })
            return f
        }
        switch latent {
        case let .gaussian(mean, cov):
            guard mean.allSatisfy(\.isFinite) else { throw DiffusionError.nonFinite("latent mean contains NaN or infinity") }
            factors = [try factor(cov, "latent covariance")]
        case let .mixture(components):
            _ = try MixtureScore(basis: basis, components: components)   // validates weights and shapes
            factors = try components.enumerated().map { try factor($1.covariance, "mixture component \($0) covariance") }
        }
        self.basis = basis
        self.latent = latent
    }

    /// A Haar-random D×d orthonormal basis drawn from stream (seed, basis).
    public static func randomBasis(ambient D: Int, latent d: Int, seed: UInt64) throws -> Matrix<Double> {
        guard d >= 1, D >= 1 else { throw DiffusionError.invalidParameter("dimensions must be positive, got D = \(D), d = \(d)") }
        guard d <= D else { throw DiffusionError.invalidParameter("latent dimension d = \(d) exceeds ambient dimension D = \(D)") }
        let stream = RandomStream(StreamKey(seed: seed, purpose: .basis))
        let g = Matrix(rows: D, columns: d, elements: stream.normalMatrix(rows: D, columns: d))
        return try Matrix.haarOrthonormal(fromGaussian: g)
    }

    /// Latent draws (count×d).
    public func sampleLatent(count: Int, key: StreamKey) -> Matrix<Double> {
        let d = latentDimension
        let z = Matrix(rows: count, columns: d, elements: RandomStream(key).normalMatrix(rows: count, columns: d))
        switch latent {
        case let .gaussian(mean, _):
            var u = z.matmul(factors[0], transposeOther: true)
            u.addToEachRow(mean)
            return u
        case let .mixture(components):
            // The component of point i is chosen by a uniform from a second stream with the same seed.
            let choice = RandomStream(StreamKey(seed: key.seed, purpose: key.purpose, index: key.index ^ 0x8000_0000_0000_0000))
            var u = Matrix<Double>(rows: count, columns: d)
            let cumulative = components.reduce(into: [Double]()) { $0.append(($0.last ?? 0) + $1.weight) }
            for i in 0..<count {
                let r = choice.uniformPair(row: UInt32(i), block: 0).0 * cumulative.last!
                let k = cumulative.firstIndex { r < $0 } ?? components.count - 1
                let zi = z.row(i)
                let ui = Vectors.add(components[k].mean, factors[k].times(zi))
                u.setRow(i, ui)
            }
            return u
        }
    }

    public func sample(count: Int, key: StreamKey) -> Matrix<Double> {
        sampleLatent(count: count, key: key).matmul(basis, transposeOther: true)
    }

    /// The exact score of this model (Gaussian or mixture latent).
    public func exactScore() throws -> any ScoreModel {
        switch latent {
        case let .gaussian(mean, cov): return try GaussianScore.subspace(basis: basis, latentMean: mean, latentCovariance: cov)
        case let .mixture(components): return try MixtureScore(basis: basis, components: components)
        }
    }
}

/// The unit sphere in R^D (the paper's "unit ball" experiment samples its surface): x = z/‖z‖.
public struct UnitSphereDataModel: DataModel {
    public let dimension: Int

    public init(dimension: Int) throws {
        guard dimension >= 2 else { throw DiffusionError.invalidParameter("sphere dimension must be at least 2, got \(dimension)") }
        self.dimension = dimension
    }

    public func sample(count: Int, key: StreamKey) -> Matrix<Double> {
        var z = Matrix(rows: count, columns: dimension, elements: RandomStream(key).normalMatrix(rows: count, columns: dimension))
        z.scaleRows(by: z.rowNorms.map { 1 / $0 })
        return z
    }

    /// The deviation metric ‖x‖ − 1 per point.
    public func deviation(_ x: Matrix<Double>) -> [Double] { x.rowNorms.map { $0 - 1 } }
}
