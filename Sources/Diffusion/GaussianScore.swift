import LinearAlgebra
import FaultInjection

/// The exact score of a Gaussian law N(μ, Σ) with Σ = B diag(λ) Bᵀ (B: D×r, orthonormal columns,
/// λ ≥ 0), diffused by the forward process:
///
///   s(x, t) = −(α²Σ + hI)⁻¹(x − αμ),   x̂₀ = μ + B diag(αλ/(α²λ + h)) Bᵀ(x − αμ).
///
/// One type serves two roles of SPEC §3: the exact score of a subspace model with Gaussian latent
/// (B = A·U, λ the eigenvalues of Σ_u, so rank d) and the linear score class of the paper's eq. 12
/// fitted to data (B, λ from the eigendecomposition of the empirical covariance Σ̄, rank up to D).
/// The Jacobian ∂x̂₀/∂x = B diag(αλ/(α²λ + h)) Bᵀ is symmetric, does not depend on x, and maps into
/// span(B), which is Theorem 1's mechanism.
public struct GaussianScore: AffineScoreModel {
    /// μ (D).
    public let mean: [Double]
    /// B (D×r), orthonormal columns.
    public let basis: Matrix<Double>
    /// λ (r), the variances along the columns of B.
    public let variances: [Double]

    public var dimension: Int { basis.rows }

    /// N(μ, B diag(λ) Bᵀ). The caller guarantees orthonormal columns (see `fromCovariance` otherwise).
    public init(mean: [Double], basis: Matrix<Double>, variances: [Double]) throws {
        guard mean.count == basis.rows else {
            throw DiffusionError.dimensionMismatch("mean has \(mean.count) entries, basis has \(basis.rows) rows")
        }
        guard variances.count == basis.columns else {
            throw DiffusionError.dimensionMismatch("\(variances.count) variances for a basis of \(basis.columns) columns")
        }
        guard mean.allSatisfy(\.isFinite), basis.isFinite, variances.allSatisfy(\.isFinite) else {
            throw DiffusionError.nonFinite("Gaussian score parameters contain NaN or infinity")
        }
        guard variances.allSatisfy({ $0 >= 0 }) else {
            throw DiffusionError.invalidParameter("variances must be non-negative, got minimum \(variances.min() ?? 0)")
        }
        self.mean = mean
        self.basis = basis
        self.variances = variances
    }

    /// N(μ, Σ) for any symmetric positive semi-definite Σ (eigenvalues below zero from round-off are set to 0).
    public static func fromCovariance(mean: [Double], covariance: Matrix<Double>) throws -> GaussianScore {
        guard covariance.rows == mean.count, covariance.isSquare else {
            throw DiffusionError.dimensionMismatch("covariance is \(covariance.rows)×\(covariance.columns), mean has \(mean.count) entries")
        }
        let eig = try SymmetricEigendecomposition(covariance)
        let scale = max(eig.eigenvalues.map(abs).max() ?? 0, 1e-300)
        guard (eig.eigenvalues.min() ?? 0) > -1e-8 * scale else {
            throw DiffusionError.invalidParameter("covariance is not positive semi-definite (smallest eigenvalue \(eig.eigenvalues.min()!))")
        }
        return try GaussianScore(mean: mean, basis: eig.eigenvectors, variances: eig.eigenvalues.map { max($0, 0) })
    }

    /// The exact score of the subspace model x = A u, u ~ N(μ_u, Σ_u) (A: D×d with orthonormal columns).
    public static func subspace(basis a: Matrix<Double>, latentMean: [Double], latentCovariance: Matrix<Double>) throws -> GaussianScore {
        guard latentMean.count == a.columns, latentCovariance.rows == a.columns, latentCovariance.isSquare else {
            throw DiffusionError.dimensionMismatch(
                "latent mean has \(latentMean.count) entries and latent covariance is \(latentCovariance.rows)×\(latentCovariance.columns), A has \(a.columns) columns")
        }
        let eig = try SymmetricEigendecomposition(latentCovariance)
        guard (eig.eigenvalues.min() ?? 0) > -1e-10 * max(1, eig.eigenvalues.max() ?? 1) else {
            throw DiffusionError.invalidParameter("latent covariance is not positive semi-definite")
        }
        return try GaussianScore(mean: a.times(latentMean), basis: a.matmul(eig.eigenvectors),
                                 variances: eig.eigenvalues.map { max($0, 0) })
    }

    /// The linear score class of the paper's eq. 12 fitted to data: the (weighted) empirical mean and
    /// covariance, which minimise score matching in that class (Lemma 2 for weights).
    public static func fitted(to data: Matrix<Double>, weights: [Double]? = nil) throws -> GaussianScore {
        let moments = try EmpiricalMoments(data, weights: weights)
        return try fromCovariance(mean: moments.mean, covariance: moments.covariance)
    }

    /// The offset-only fine-tuning class (eq. 15): the same covariance, a new mean.
    public func withMean(_ newMean: [Double]) throws -> GaussianScore {
        try GaussianScore(mean: FaultHook.isActive(.withMeanIgnored) ? mean : newMean, basis: basis, variances: variances)
    }

    /// Σ = B diag(λ) Bᵀ.
    public var covariance: Matrix<Double> {
        var scaled = basis
        scaled.scaleColumns(by: variances)
        return scaled.matmul(basis, transposeOther: true)
    }

    /// φⱼ = αλⱼ/(α²λⱼ + h): the Jacobian's eigenvalues along B.
    @inlinable
    func jacobianEigenvalues(_ time: DiffusionTime) -> [Double] {
        let a = time.alpha, h = time.h
        return variances.map { lam in
            let den = a * a * lam + h
            return den > 0 ? a * lam / den : 0
        }
    }

    public func denoise(_ x: Matrix<Double>, at time: DiffusionTime) -> Matrix<Double> {
        precondition(x.columns == dimension, "batch has \(x.columns) columns, model dimension is \(dimension)")
        var coords = x.matmul(basis)                       // n×r: Bᵀx per row
        coords.addToEachRow(basis.times(mean, transposed: true), scaledBy: -time.alpha)
        coords.scaleColumns(by: jacobianEigenvalues(time))
        var out = coords.matmul(basis, transposeOther: true)
        out.addToEachRow(mean)
        if FaultHook.isActive(.denoiseMissingInverseAlpha) { out = time.alpha * out }
        return out
    }

    public func denoiseVJP(_ x: Matrix<Double>, at time: DiffusionTime, cotangent v: Matrix<Double>) -> Matrix<Double> {
        precondition(v.columns == dimension && v.rows == x.rows, "cotangent is \(v.shape), batch is \(x.shape)")
        var coords = v.matmul(basis)
        coords.scaleColumns(by: jacobianEigenvalues(time).map { FaultHook.isActive(.jacobianEigenvaluesSquared) ? $0 * $0 : $0 })
        return coords.matmul(basis, transposeOther: true)
    }

    public func affineDenoiser(at time: DiffusionTime) -> (jacobian: Matrix<Double>, offset: [Double]) {
        var scaled = basis
        scaled.scaleColumns(by: jacobianEigenvalues(time))
        let j = scaled.matmul(basis, transposeOther: true)
        let c = Vectors.add(mean, j.times(mean), scaledBy: -time.alpha)
        if FaultHook.isActive(.denoiseMissingInverseAlpha) { return (time.alpha * j, Vectors.scale(c, by: time.alpha)) }
        return (j, c)
    }
}

/// The (weighted) mean and covariance of the rows of a data matrix, normalised by the total weight
/// (the moments of the empirical law, which is what score matching fits).
public struct EmpiricalMoments: Sendable {
    public let mean: [Double]
    public let covariance: Matrix<Double>

    public init(_ data: Matrix<Double>, weights: [Double]? = nil) throws {
        let n = data.rows
        guard n > 0 else { throw DiffusionError.invalidParameter("cannot fit to an empty data set") }
        guard data.isFinite else { throw DiffusionError.nonFinite("data contain NaN or infinity") }
        let w = weights ?? [Double](repeating: 1, count: n)
        guard w.count == n else { throw DiffusionError.dimensionMismatch("\(w.count) weights for \(n) data points") }
        guard w.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw DiffusionError.invalidParameter("weights must be finite and non-negative") }
        let total = w.reduce(0, +)
        guard total > 0 else { throw DiffusionError.invalidParameter("weights sum to zero") }
        let normalized = w.map { $0 / total }
        var mean = [Double](repeating: 0, count: data.columns)
        for i in 0..<n { for j in 0..<data.columns { mean[j] += normalized[i] * data[i, j] } }
        var centered = data
        centered.addToEachRow(mean, scaledBy: -1)
        var weighted = centered
        weighted.scaleRows(by: normalized)
        self.mean = mean
        covariance = weighted.matmul(centered, transposeSelf: true).symmetrized
    }
}
