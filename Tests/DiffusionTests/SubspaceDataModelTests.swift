import Diffusion
import LinearAlgebra
import Randomness
import Testing
import TestSupport

/// The subspace data model (Assumption 1): draws lie in span(A) and have the latent law's moments.
///
/// Moment bounds are 6σ per coordinate of the latent mean (σ² = (Σ_u)ᵢᵢ/n) and per entry of the latent
/// covariance (σ² = (Σᵢᵢ Σⱼⱼ + Σᵢⱼ²)/n, the Gaussian sample-covariance variance): two-sided p ≈ 2e-9 per
/// check, 9 checks → false-fail rate ≈ 2e-8.
@Suite struct SubspaceDataModelTests {
    @Test("Gaussian latent: draws in span(A), mean and covariance of Aᵀx match μ_u and Σ_u")
    func gaussianLatentMoments() throws {
        let p = Fixture.problem
        let model = try SubspaceDataModel(basis: p.basis, latent: .gaussian(mean: p.latentMean, covariance: p.latentCovariance))
        let n = 20_000
        let x = model.sample(count: n, key: StreamKey(seed: 5, purpose: .data))
        for i in stride(from: 0, to: n, by: 997) { #expect(Naive.norm(Naive.offSpan(p.basis, x.row(i))) < 1e-13) }
        let u = Naive.product(x, p.basis)
        let mean = Stats.mean(u), cov = Stats.covariance(u)
        let s = p.latentCovariance
        for i in 0..<p.latent {
            #expect(abs(mean[i] - p.latentMean[i]) < 6 * (s[i, i] / Double(n)).squareRoot())
            for j in i..<p.latent {
                #expect(abs(cov[i, j] - s[i, j]) < 6 * ((s[i, i] * s[j, j] + s[i, j] * s[i, j]) / Double(n)).squareRoot())
            }
        }
        // Prefix property of the data draws: bit-identical for batches BLAS computes single-threaded
        // (OpenBLAS 0.3.21 switches to its threaded gemm for large batches, whose rows can differ in the
        // last bit; measured 5.6e-17 at 20 000 rows with 2 BLAS threads), within 1e-15 otherwise.
        let small = model.sample(count: 10, key: StreamKey(seed: 5, purpose: .data))
        #expect(model.sample(count: 1000, key: StreamKey(seed: 5, purpose: .data)).rows(0..<10) == small)
        #expect(Errors.maxAbs(small, x.rows(0..<10)) < 1e-15)
    }

    @Test("mixture latent: component frequencies match the weights (χ², p = 1e-6)")
    func mixtureFrequencies() throws {
        // Components far apart along the first latent axis, so each draw's component is read off u₁.
        let p = Fixture.problem
        let s = 0.01 * Matrix<Double>.identity(p.latent)
        let means = [-10.0, 0, 10].map { c -> [Double] in var m = [Double](repeating: 0, count: p.latent); m[0] = c; return m }
        let weights = [0.5, 0.3, 0.2]
        let model = try SubspaceDataModel(basis: p.basis, latent: .mixture((0..<3).map { .init(weight: weights[$0], mean: means[$0], covariance: s) }))
        let n = 30_000
        let u = model.sampleLatent(count: n, key: StreamKey(seed: 6, purpose: .data))
        var counts = [0, 0, 0]
        for i in 0..<n { counts[u[i, 0] < -5 ? 0 : (u[i, 0] < 5 ? 1 : 2)] += 1 }
        let chi2 = (0..<3).reduce(0.0) { let e = weights[$1] * Double(n); return $0 + (Double(counts[$1]) - e) * (Double(counts[$1]) - e) / e }
        #expect(chi2 < 27.63)    // χ²₂ critical value at p = 1e-6
    }

    @Test("randomBasis is a Haar frame with orthonormal columns; invalid bases are rejected")
    func basis() throws {
        let a = try SubspaceDataModel.randomBasis(ambient: 64, latent: 16, seed: 1234)
        #expect(Errors.orthonormality(a) < 1e-13)
        #expect(throws: DiffusionError.self) { _ = try SubspaceDataModel.randomBasis(ambient: 3, latent: 4, seed: 1) }
        #expect(throws: DiffusionError.self) { _ = try SubspaceDataModel(basis: Matrix([[1, 0], [0, 2], [0, 0]]), latent: .standard(2)) }
        #expect(throws: DiffusionError.self) { _ = try SubspaceDataModel(basis: Fixture.problem.basis, latent: .standard(2)) }
    }
}
