import Diffusion
import Foundation
import LinearAlgebra
import Testing
import TestSupport

/// The exact Gaussian-latent score and the fitted linear class against independently written facts:
/// finite differences of the closed-form log-density of the diffused law N(αAμ_u, α²AΣ_uAᵀ + hI)
/// (Cholesky + forward substitution in TestSupport), the same score by an explicit SPD solve, and
/// moments computed by hand.
///
/// Tolerances. The log-density is quadratic, so the five-point difference has no truncation error; its
/// round-off is ε|log p|/step ≈ 2e-16·10⁵/7e-4 ≈ 3e-8 absolute at the smallest h (|log p| ~ D/(2h)), i.e.
/// ~1e-12 relative to |s| ~ 1/h. Measured worst relative error 1.1e-12; tolerance 1e-8. The direct SPD
/// solve is accurate to κ·u with κ = (α²λ_max + h)/h ≤ 5e4, i.e. ≲ 5e-12 (measured 2.6e-13 for s and
/// 6.7e-12 for x̂₀, which divides by α = 2.5e-4 at t = T); tolerance 1e-10.
@Suite struct GaussianScoreTests {
    let problem = Fixture.problem

    @Test("score = ∇ log pₜ by finite differences of the closed-form density", arguments: Fixture.times)
    func scoreMatchesDensity(time: DiffusionTime) throws {
        let model = try Fixture.gaussian()
        let x = problem.typicalPoints(count: 4, alpha: time.alpha, h: time.h, offSpanBoost: 0.5, key: TestRandom.key(100))
        let s = model.score(x, at: time)
        for i in 0..<x.rows {
            let fd = FiniteDifference.gradient(of: { try! problem.gaussianLogDensity($0, alpha: time.alpha, h: time.h) }, at: x.row(i))
            #expect(Errors.relative(s.row(i), fd) < 1e-8)
        }
    }

    @Test("score = −(α²Σ + hI)⁻¹(x − αμ) by a direct SPD solve, and x̂₀ = (x + h s)/α", arguments: Fixture.times)
    func scoreClosedForm(time: DiffusionTime) throws {
        let model = try Fixture.gaussian()
        let x = problem.typicalPoints(count: 5, alpha: time.alpha, h: time.h, offSpanBoost: 2, key: TestRandom.key(101))
        let cov = SubspaceProblem.diffused(problem.dataCovariance, alpha: time.alpha, h: time.h)
        let s = model.score(x, at: time)
        let x0 = model.denoise(x, at: time)
        for i in 0..<x.rows {
            let xi = x.row(i)
            let reference = try Naive.spdSolve(cov, (0..<xi.count).map { -(xi[$0] - time.alpha * problem.dataMean[$0]) })
            #expect(Errors.relative(s.row(i), reference) < 1e-10)
            let tweedie = (0..<xi.count).map { (xi[$0] + time.h * reference[$0]) / time.alpha }
            #expect(Errors.relative(x0.row(i), tweedie) < 1e-10)
        }
    }

    @Test("x̂₀ lies in span(A) even for points far off the subspace")
    func denoisedInSpan() throws {
        let model = try Fixture.gaussian()
        for time in Fixture.times {
            let x = problem.typicalPoints(count: 6, alpha: time.alpha, h: time.h, offSpanBoost: 10, key: TestRandom.key(102))
            let x0 = model.denoise(x, at: time)
            for i in 0..<x0.rows {
                #expect(Naive.norm(Naive.offSpan(problem.basis, x0.row(i))) < 1e-13 * max(1, Naive.norm(x0.row(i))))
            }
        }
    }

    @Test("the affine form x̂₀ = Jx + c agrees with denoise, and J is symmetric")
    func affineDenoiser() throws {
        let model = try Fixture.gaussian()
        for time in Fixture.times {
            let (j, c) = model.affineDenoiser(at: time)
            #expect(Errors.maxAbs(j, j.transposed) < 1e-15)
            let x = problem.typicalPoints(count: 3, alpha: time.alpha, h: time.h, offSpanBoost: 1, key: TestRandom.key(103))
            let x0 = model.denoise(x, at: time)
            for i in 0..<3 {
                let affine = Vectors.add(Naive.apply(j, x.row(i)), c)
                #expect(Errors.relative(affine, x0.row(i)) < 1e-12)
            }
        }
    }

    @Test("fitted: weighted mean and covariance equal the hand-computed weighted moments")
    func fittedMoments() throws {
        let n = 40, D = 5
        let data = TestRandom.gaussianMatrix(rows: n, columns: D, key: TestRandom.key(104))
        let weights = TestRandom.uniformVector(n, in: 0.1...3, key: TestRandom.key(105))
        let total = weights.reduce(0, +)
        var mean = [Double](repeating: 0, count: D)
        for i in 0..<n { for j in 0..<D { mean[j] += weights[i] * data[i, j] / total } }
        var cov = Matrix<Double>(rows: D, columns: D)
        for i in 0..<n { for p in 0..<D { for q in 0..<D { cov[p, q] += weights[i] * (data[i, p] - mean[p]) * (data[i, q] - mean[q]) / total } } }
        let fit = try GaussianScore.fitted(to: data, weights: weights)
        #expect(Errors.relative(fit.mean, mean) < 1e-13)
        #expect(Errors.relative(fit.covariance, cov) < 1e-13)
        // Unweighted: the divisor is n (the empirical law's covariance), not n − 1.
        let plain = try GaussianScore.fitted(to: data)
        #expect(Errors.relative(plain.mean, Stats.mean(data)) < 1e-13)
        #expect(Errors.relative(plain.covariance, (Double(n - 1) / Double(n)) * Stats.covariance(data)) < 1e-13)
    }

    @Test("fitted: integer weights equal repeating the data points (Lemma 2's weighted data set)")
    func integerWeightsAreRepetitions() throws {
        let data = TestRandom.gaussianMatrix(rows: 6, columns: 3, key: TestRandom.key(106))
        let weights: [Double] = [1, 3, 0, 2, 1, 4]
        var repeated = [[Double]]()
        for i in 0..<6 { for _ in 0..<Int(weights[i]) { repeated.append(data.row(i)) } }
        let a = try GaussianScore.fitted(to: data, weights: weights)
        let b = try GaussianScore.fitted(to: Matrix(stacking: repeated, columns: 3))
        #expect(Errors.relative(a.mean, b.mean) < 1e-14)
        #expect(Errors.relative(a.covariance, b.covariance) < 1e-13)
    }

    @Test("fitted to subspace data: the score matches the closed form with the hand moments")
    func fittedScore() throws {
        let data = try SubspaceDataModel(basis: problem.basis, latent: .gaussian(mean: problem.latentMean, covariance: problem.latentCovariance))
            .sample(count: 500, key: TestRandom.key(107))
        let fit = try GaussianScore.fitted(to: data)
        let mean = Stats.mean(data)
        let cov = (499.0 / 500.0) * Stats.covariance(data)
        let time = Fixture.cosine200.time(60)
        let x = problem.typicalPoints(count: 3, alpha: time.alpha, h: time.h, offSpanBoost: 1, key: TestRandom.key(108))
        let s = fit.score(x, at: time)
        let c = SubspaceProblem.diffused(cov, alpha: time.alpha, h: time.h)
        for i in 0..<3 {
            let xi = x.row(i)
            let reference = try Naive.spdSolve(c, (0..<xi.count).map { time.alpha * mean[$0] - xi[$0] })
            #expect(Errors.relative(s.row(i), reference) < 1e-10)
        }
    }

    @Test("invalid parameters throw")
    func invalid() {
        let b = Matrix<Double>.identity(3)
        #expect(throws: DiffusionError.self) { _ = try GaussianScore(mean: [0, 0], basis: b, variances: [1, 1, 1]) }
        #expect(throws: DiffusionError.self) { _ = try GaussianScore(mean: [0, 0, 0], basis: b, variances: [1, 1]) }
        #expect(throws: DiffusionError.self) { _ = try GaussianScore(mean: [0, 0, 0], basis: b, variances: [1, -1, 1]) }
        #expect(throws: DiffusionError.self) { _ = try GaussianScore(mean: [0, .nan, 0], basis: b, variances: [1, 1, 1]) }
        #expect(throws: DiffusionError.self) {
            _ = try GaussianScore.fromCovariance(mean: [0, 0], covariance: Matrix([[1, 0], [0, -1]]))
        }
        #expect(throws: DiffusionError.self) { _ = try GaussianScore.fitted(to: Matrix(rows: 0, columns: 3)) }
        #expect(throws: DiffusionError.self) { _ = try GaussianScore.fitted(to: Matrix([[1.0, 2]]), weights: [0]) }
    }
}
