import Testing
@testable import Statistics
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct CovarianceTestTests {
    /// Rows x = L z with z standard normal, so Cov(x) = LLᵀ.
    static func draws(_ n: Int, factor l: [[Double]], seed: UInt64) -> [[Double]] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in
            let z = rng.normals(l.count)
            return l.map { row in zip(row, z).reduce(0) { $0 + $1.0 * $1.1 } }
        }
    }

    @Test func theStatisticMatchesTheEigenvalueFormulaOnADiagonalNull() throws {
        // Σ₀ = diag(2, 0.5): Σ₀⁻¹S is S with its rows scaled, and λ = (n − 1)(tr − log det − p) by hand.
        let rows: [[Double]] = [[1, 0.2], [-0.5, 0.9], [2.1, -0.4], [0.3, 0.1], [-1.2, -0.8], [0.7, 0.5]]
        let n = Double(rows.count)
        let m = [rows.map { $0[0] }.reduce(0, +) / n, rows.map { $0[1] }.reduce(0, +) / n]
        var s = [[0.0, 0.0], [0.0, 0.0]]
        for r in rows { for a in 0..<2 { for b in 0..<2 { s[a][b] += (r[a] - m[a]) * (r[b] - m[b]) / (n - 1) } } }
        let w = [[s[0][0] / 2, s[0][1] / 2], [s[1][0] / 0.5, s[1][1] / 0.5]]
        let lambda = (n - 1) * (w[0][0] + w[1][1] - log(w[0][0] * w[1][1] - w[0][1] * w[1][0]) - 2)
        let rho = 1 - (2 * 4 + 3 * 2 - 1) / (6 * (n - 1) * 3)
        let result = try CovarianceTest.likelihoodRatio(rows, nullCovariance: [[2, 0], [0, 0.5]])
        #expect(close(result.statistic, rho * lambda, relative: 1e-12))
        #expect(result.degreesOfFreedom == 3)
        #expect(close(result.pValue, try GSL.chiSquareQ(rho * lambda, df: 3), relative: 1e-12))
        #expect(close(result.estimate, (w[0][0] + w[1][1]) / 2, relative: 1e-12))
    }

    /// Under H₀ the p-values are uniform: over 400 fixed-seed replications (n = 60, p = 3, a correlated Σ₀)
    /// the share at or below 0.05 is 0.05 ± 0.011; the bounds [0.02, 0.09] are more than 2.7 standard
    /// deviations out, a false-fail rate below 1% for a valid test (and the seeds are fixed, so the test is
    /// deterministic), while a test that ignored Bartlett's correction or used p(p − 1)/2 degrees of freedom
    /// lands outside them.
    @Test func pValuesAreUniformUnderTheNull() throws {
        let l: [[Double]] = [[1, 0, 0], [0.6, 0.8, 0], [-0.3, 0.2, 1.5]]
        let sigma = (0..<3).map { i in (0..<3).map { j in (0..<3).reduce(0) { $0 + l[i][$1] * l[j][$1] } } }
        var below = 0
        for r in 0..<400 {
            let p = try CovarianceTest.likelihoodRatio(Self.draws(60, factor: l, seed: 1000 + UInt64(r)), nullCovariance: sigma).pValue
            if p <= 0.05 { below += 1 }
        }
        #expect((8...36).contains(below), "\(below) of 400 p-values ≤ 0.05")
    }

    /// Power: one direction's standard deviation 25% too large (variance ×1.5625) in 3 dimensions, n = 2000:
    /// noncentrality ≈ (n − 1)(r − 1 − log r) ≈ 232 on 6 degrees of freedom, rejected at 10⁻⁶ with
    /// probability above 0.999 — and an honest null at the same n is not.
    @Test func aSpreadTwentyFivePercentTooLargeIsRejected() throws {
        let identity: [[Double]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        let wide: [[Double]] = [[1, 0, 0], [0, 1.25, 0], [0, 0, 1]]
        #expect(try CovarianceTest.likelihoodRatio(Self.draws(2000, factor: wide, seed: 7), nullCovariance: identity).pValue < 1e-6)
        #expect(try CovarianceTest.likelihoodRatio(Self.draws(2000, factor: identity, seed: 7), nullCovariance: identity).pValue > 1e-3)
    }

    @Test func badInputsThrow() {
        let rows = Self.draws(10, factor: [[1, 0], [0, 1]], seed: 1)
        #expect(throws: StatisticsError.self) { try CovarianceTest.likelihoodRatio(rows, nullCovariance: [[1, 2], [2, 1]]) }  // not PD
        #expect(throws: StatisticsError.self) { try CovarianceTest.likelihoodRatio(rows, nullCovariance: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]) }
        #expect(throws: StatisticsError.self) { try CovarianceTest.likelihoodRatio(Array(rows.prefix(2)), nullCovariance: [[1, 0], [0, 1]]) }
        #expect(throws: StatisticsError.self) { try CovarianceTest.likelihoodRatio(rows, nullCovariance: [[1, .nan], [0, 1]]) }
    }
}

@Suite struct LawTestDesignTests {
    /// L3-draws at `full`: 12 cases, 5 tests, d ≤ 8, the catalog's 10⁻³ over 6 properties.
    let design = LawTestDesign(caseLevel: 1e-3 / 6 / 12, tests: 5, dimension: 8, directions: 4)

    @Test func theDesignedDrawsDetectOnePercentInASpreadAndTwoHundredthsOfSigmaInAMean() throws {
        let n = try design.draws(standardDeviation: 0.01, mean: 0.02)
        let at = try design.detectable(draws: n)
        #expect(at.standardDeviation <= 0.01 && at.mean <= 0.02)
        // The fewest: 1% fewer draws no longer resolve 1% in a standard deviation.
        #expect(try design.detectable(draws: n * 99 / 100).standardDeviation > 0.01)
        #expect((150_000...260_000).contains(n), "\(n)")
    }

    @Test func moreTestsOrALowerLevelNeedMoreDraws() throws {
        var stricter = design
        stricter.caseLevel /= 10
        var moreTests = design
        moreTests.tests = 10
        let n = try design.draws(standardDeviation: 0.02, mean: 0.05)
        #expect(try stricter.draws(standardDeviation: 0.02, mean: 0.05) > n)
        #expect(try moreTests.draws(standardDeviation: 0.02, mean: 0.05) > n)
    }

    /// GSL 2.7's χ² quantile returns NaN at P = 1 − 1.39·10⁻⁶, ν = 65535 (met sizing the design above); the
    /// bisection fallback answers, and the tail there is the requested one.
    @Test func theChiSquareQuantileAnswersWhereGSLGivesUp() throws {
        let q = 1e-3 / 6 / 12 / 5 / 2
        let x = try GSL.chiSquareQuantile(1 - q, df: 65535)
        #expect(x.isFinite && x > 65535)
        #expect(close(try GSL.chiSquareQ(x, df: 65535), q, relative: 1e-6))
        let lower = try GSL.chiSquareQuantile(q, df: 65535)
        let lowerTail = try GSL.chiSquareP(lower, df: 65535)
        #expect(lower < 65535 && close(lowerTail, q, relative: 1e-6))
    }
}
