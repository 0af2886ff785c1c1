import Foundation
import LinearAlgebra
import FaultInjection

/// The exact score of a subspace model with a Gaussian-mixture latent, x = A u,
/// u ~ Σₖ πₖ N(mₖ, Sₖ). Theorem 1 claims structure preservation for any latent law; a mixture has a
/// closed-form, non-linear score, so it tests the claim beyond Gaussians.
///
/// Responsibilities wₖ(x) ∝ πₖ N(x; αAmₖ, α²ASₖAᵀ + hI) need only the latent coordinates Aᵀx (the
/// off-span factor is common to all components); then s = Σ wₖ sₖ, x̂₀ = Σ wₖ x̂₀,ₖ and
/// (∂x̂₀/∂x)ᵀg = Σ wₖ Jₖ g + (α/h) Σ wₖ (gᵀx̂₀,ₖ)(x̂₀,ₖ − x̂₀), using sₖ − s = (α/h)(x̂₀,ₖ − x̂₀).
public struct MixtureScore: ScoreModel {
    public struct Component: Sendable, Equatable {
        public let weight: Double
        public let mean: [Double]
        public let covariance: Matrix<Double>
        public init(weight: Double, mean: [Double], covariance: Matrix<Double>) {
            self.weight = weight
            self.mean = mean
            self.covariance = covariance
        }
    }

    /// A (D×d), orthonormal columns.
    public let basis: Matrix<Double>
    public let components: [Component]
    /// Per component: the eigenvectors Uₖ (d×d) and eigenvalues of Sₖ.
    let eigenvectors: [Matrix<Double>]
    let eigenvalues: [[Double]]
    let logWeights: [Double]

    public var dimension: Int { basis.rows }
    public var latentDimension: Int { basis.columns }

    public init(basis: Matrix<Double>, components: [Component]) throws {
        let d = basis.columns
        guard !components.isEmpty else { throw DiffusionError.invalidParameter("a mixture needs at least one component") }
        let total = components.reduce(0) { $0 + $1.weight }
        guard components.allSatisfy({ $0.weight > 0 && $0.weight.isFinite }), abs(total - 1) < 1e-9 else {
            throw DiffusionError.invalidParameter("mixture weights must be positive and sum to 1, got sum \(total)")
        }
        var vecs = [Matrix<Double>](), vals = [[Double]]()
        for (k, c) in components.enumerated() {
            guard c.mean.count == d, c.covariance.rows == d, c.covariance.isSquare else {
                throw DiffusionError.dimensionMismatch("mixture component \(k) must have a mean of \(d) entries and a \(d)×\(d) covariance")
            }
            guard c.mean.allSatisfy(\.isFinite) else { throw DiffusionError.nonFinite("mixture component \(k) mean contains NaN or infinity") }
            let eig = try SymmetricEigendecomposition(c.covariance)
            guard (eig.eigenvalues.min() ?? 0) > -1e-10 * max(1, eig.eigenvalues.max() ?? 1) else {
                throw DiffusionError.invalidParameter("mixture component \(k) covariance is not positive semi-definite")
            }
            vecs.append(eig.eigenvectors)
            vals.append(eig.eigenvalues.map { max($0, 0) })
        }
        self.basis = basis
        self.components = components
        eigenvectors = vecs
        eigenvalues = vals
        logWeights = components.map { log($0.weight) }
    }

    /// Latent coordinates a = Aᵀx (n×d), per-component latent denoised means (n×d each) and the
    /// responsibilities (n×K).
    private func posterior(_ x: Matrix<Double>, _ time: DiffusionTime) -> (latentDenoised: [Matrix<Double>], responsibilities: Matrix<Double>) {
        let n = x.rows, K = components.count
        let a = x.matmul(basis)
        let al = time.alpha, h = time.h
        var logResp = Matrix<Double>(rows: n, columns: K)
        var denoised = [Matrix<Double>]()
        denoised.reserveCapacity(K)
        for k in 0..<K {
            let u = eigenvectors[k], lam = eigenvalues[k]
            var centered = a
            centered.addToEachRow(components[k].mean, scaledBy: -al)
            let c = centered.matmul(u)                                 // n×d, eigen-coordinates
            let variances = lam.map { al * al * $0 + h }
            let logDet = variances.reduce(0) { $0 + log($1) }
            let inv = variances.map { 1 / $0 }
            for i in 0..<n {
                var q = 0.0
                for j in 0..<lam.count { let v = c[i, j]; q += v * v * inv[j] }
                logResp[i, k] = logWeights[k] - 0.5 * q - 0.5 * logDet
            }
            var scaled = c
            scaled.scaleColumns(by: zip(lam, variances).map { al * $0 / $1 })
            var latent = scaled.matmul(u, transposeOther: true)          // U diag(φ) Uᵀ (a − α m)
            latent.addToEachRow(components[k].mean)
            denoised.append(latent)
        }
        for i in 0..<n {                                                // softmax per row
            var m = -Double.infinity
            for k in 0..<K { m = max(m, logResp[i, k]) }
            var s = 0.0
            for k in 0..<K { let e = exp(logResp[i, k] - m); logResp[i, k] = e; s += e }
            for k in 0..<K { logResp[i, k] /= s }
        }
        return (denoised, logResp)
    }

    public func denoise(_ x: Matrix<Double>, at time: DiffusionTime) -> Matrix<Double> {
        precondition(x.columns == dimension, "batch has \(x.columns) columns, model dimension is \(dimension)")
        let (latent, resp) = posterior(x, time)
        var mixed = Matrix<Double>(rows: x.rows, columns: latentDimension)
        for k in 0..<components.count {
            var part = latent[k]
            part.scaleRows(by: resp.column(k))
            mixed.add(part)
        }
        return mixed.matmul(basis, transposeOther: true)
    }

    public func denoiseVJP(_ x: Matrix<Double>, at time: DiffusionTime, cotangent v: Matrix<Double>) -> Matrix<Double> {
        precondition(v.columns == dimension && v.rows == x.rows, "cotangent is \(v.shape), batch is \(x.shape)")
        let (latent, resp) = posterior(x, time)
        let n = x.rows, K = components.count
        let al = time.alpha, h = time.h
        let vLatent = v.matmul(basis)                                   // Aᵀg per row
        var mixed = Matrix<Double>(rows: n, columns: latentDimension)
        for k in 0..<K {
            var part = latent[k]
            part.scaleRows(by: resp.column(k))
            mixed.add(part)
        }
        var out = Matrix<Double>(rows: n, columns: latentDimension)
        for k in 0..<K {
            // wₖ Jₖ g in latent coordinates: Uₖ diag(φₖ) Uₖᵀ Aᵀg.
            let u = eigenvectors[k], lam = eigenvalues[k]
            var c = vLatent.matmul(u)
            c.scaleColumns(by: lam.map { al * $0 / (al * al * $0 + h) })
            var jg = c.matmul(u, transposeOther: true)
            let wk = resp.column(k)
            jg.scaleRows(by: wk)
            out.add(jg)
            // (α/h) wₖ (gᵀx̂₀,ₖ)(x̂₀,ₖ − x̂₀): gᵀx̂₀,ₖ = (Aᵀg)·(latent x̂₀,ₖ).
            if FaultHook.isActive(.mixtureVJPMissingCrossTerm) { continue }
            if FaultHook.isActive(.mixtureVJPTransposed) {
                var part = latent[k]
                let diffDot = vLatent.rowDots(latent[k] - mixed)
                part.scaleRows(by: (0..<n).map { al / h * wk[$0] * diffDot[$0] })
                out.add(part)
                continue
            }
            let gDot = vLatent.rowDots(latent[k])
            var diff = latent[k] - mixed
            diff.scaleRows(by: (0..<n).map { al / h * wk[$0] * gDot[$0] })
            out.add(diff)
        }
        return out.matmul(basis, transposeOther: true)
    }
}
