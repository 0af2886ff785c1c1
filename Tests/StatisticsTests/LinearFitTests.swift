#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Statistics

/// A small exact-ish line: y ≈ 2x.
private let x: [Double] = [1, 2, 3, 4, 5, 6, 7, 8]
private let y: [Double] = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1]

@Suite struct LinearFitTests {
    @Test func ordinaryLeastSquaresMatchesScipyLinregress() throws {
        let fit = try LinearFit.ordinaryLeastSquares(x: x, y: y)
        // scipy.stats.linregress(x, y): slope, intercept, stderr, intercept_stderr.
        #expect(close(fit.slope, 1.9976190476190478, relative: 1e-13))
        #expect(close(fit.intercept, 0.0357142857142847, relative: 1e-9))
        #expect(close(fit.slopeStandardError, 0.02780044426688155, relative: 1e-11))
        #expect(close(fit.interceptStandardError, 0.14038536208101496, relative: 1e-11))
        // numpy: sum of squared residuals and RSS/(n − 2).
        #expect(close(fit.residualSumOfSquares, 0.19476190476190386, relative: 1e-10))
        #expect(close(fit.residualVariance, 0.03246031746031731, relative: 1e-10))
        #expect(fit.degreesOfFreedom == 6)
        #expect(fit.count == 8)
        #expect(!fit.varianceIsKnown)
    }

    @Test func slopeIntervalsUseStudentT() throws {
        let fit = try LinearFit.ordinaryLeastSquares(x: x, y: y)
        // linregress slope ± scipy.stats.t.ppf(0.975, 6) · stderr.
        let ci = try fit.slopeInterval(confidence: 0.95)
        #expect(close(ci.lower, 1.92959381107532, relative: 1e-11))
        #expect(close(ci.upper, 2.065644284162776, relative: 1e-11))
        #expect(ci.confidence == 0.95)
        // slope ± scipy.stats.t.ppf(0.95, 6) · stderr.
        #expect(close(try fit.slopeUpperBound(confidence: 0.95), 2.0516403227080167, relative: 1e-11))
        #expect(close(try fit.slopeLowerBound(confidence: 0.95), 1.9435977725300788, relative: 1e-11))
    }

    @Test func slopeTestMatchesScipyT() throws {
        let fit = try LinearFit.ordinaryLeastSquares(x: x, y: y)
        // t = (slope − 2)/stderr; p = 2·scipy.stats.t.sf(|t|, 6) and t.cdf(t, 6).
        let two = try fit.slopeTest(nullSlope: 2)
        #expect(close(two.statistic, -0.08564440043098737, relative: 1e-9))
        #expect(close(two.pValue, 0.934535509713916, relative: 1e-10))
        let less = try fit.slopeTest(nullSlope: 2, alternative: .less)
        #expect(close(less.pValue, 0.467267754856958, relative: 1e-10))
    }

    @Test func weightedFitWithRelativeWeightsMatchesCurveFit() throws {
        let w: [Double] = [1, 2, 1, 2, 1, 2, 1, 2]
        let fit = try LinearFit.weightedLeastSquares(x: x, y: y, weights: w)
        // numpy closed form: β = (XᵀWX)⁻¹XᵀWy, pcov = (XᵀWX)⁻¹ · χ²/(n − 2) (statsmodels' WLS
        // convention; scipy.optimize.curve_fit(sigma = 1/√w, absolute_sigma=False) agrees to its
        // ~1e-7 iterative tolerance).
        #expect(close(fit.intercept, -0.047872340425523366, relative: 1e-11))
        #expect(close(fit.slope, 2.013829787234041, relative: 1e-13))
        #expect(close(fit.interceptVariance, 0.02044250792213666, relative: 1e-11))
        #expect(close(fit.interceptSlopeCovariance, -0.003533272974196459, relative: 1e-11))
        #expect(close(fit.slopeVariance, 0.0007571299230420985, relative: 1e-11))
        // numpy: χ² = Σ w (y − ŷ)².
        #expect(close(fit.residualSumOfSquares, 0.2846808510638291, relative: 1e-11))
        // slope ± scipy.stats.t.ppf(0.975, 6)·√pcov[1,1].
        let ci = try fit.slopeInterval(confidence: 0.95)
        #expect(close(ci.lower, 1.9465005755423899, relative: 1e-12))
        #expect(close(ci.upper, 2.081158998925692, relative: 1e-12))
    }

    @Test func weightedFitWithInverseVariancesUsesNormalQuantiles() throws {
        let w: [Double] = [1, 2, 1, 2, 1, 2, 1, 2]
        let fit = try LinearFit.weightedLeastSquares(x: x, y: y, weights: w, weightKind: .inverseVariance)
        // numpy closed form: pcov = (XᵀWX)⁻¹ (scipy's curve_fit(absolute_sigma=True) convention).
        #expect(close(fit.interceptVariance, 0.4308510638297871, relative: 1e-12))
        #expect(close(fit.interceptSlopeCovariance, -0.07446808510638295, relative: 1e-12))
        #expect(close(fit.slopeVariance, 0.015957446808510634, relative: 1e-12))
        #expect(fit.varianceIsKnown)
        // slope ± scipy.stats.norm.ppf(0.975)·√pcov[1,1].
        let ci = try fit.slopeInterval(confidence: 0.95)
        #expect(close(ci.lower, 1.7662416720138017, relative: 1e-12))
        #expect(close(ci.upper, 2.2614179024542804, relative: 1e-12))
    }

    @Test func logLogRateClaimIsHeldAgainstTheUpperBound() throws {
        // gap = 3/K exactly, with a small deterministic wobble: the fitted log–log slope is
        // −1 and the one-sided 99% upper bound lies just above it.
        let ks: [Double] = [10, 20, 40, 80, 160, 320]
        let wobble: [Double] = [0.01, -0.008, 0.004, -0.012, 0.009, -0.003]
        let logK = ks.map { log($0) }
        let logGap = zip(ks, wobble).map { log(3 / $0) + $1 }
        let fit = try LinearFit.ordinaryLeastSquares(x: logK, y: logGap)
        let upper = try fit.slopeUpperBound(confidence: 0.99)
        #expect(abs(fit.slope + 1) < 0.01)
        #expect(upper > -1 && upper < -0.97)
        // A claimed rate K^-1.2 is refuted: even the lower bound is above −1.2.
        #expect(try fit.slopeLowerBound(confidence: 0.99) > -1.2)
    }

    @Test func invalidInputsThrow() {
        #expect(throws: StatisticsError.lengthMismatch("y", expected: 3, actual: 2)) {
            try LinearFit.ordinaryLeastSquares(x: [1, 2, 3], y: [1, 2])
        }
        #expect(throws: StatisticsError.tooFewPoints("x", required: 3, actual: 2)) {
            try LinearFit.ordinaryLeastSquares(x: [1, 2], y: [1, 2])
        }
        #expect(throws: StatisticsError.nonFiniteInput("y")) {
            try LinearFit.ordinaryLeastSquares(x: [1, 2, 3], y: [1, .nan, 2])
        }
        #expect(throws: StatisticsError.self) { try LinearFit.ordinaryLeastSquares(x: [2, 2, 2], y: [1, 2, 3]) }
        #expect(throws: StatisticsError.self) {
            try LinearFit.weightedLeastSquares(x: [1, 2, 3], y: [1, 2, 3], weights: [1, 0, 1])
        }
        #expect(throws: StatisticsError.invalidProbability("confidence", value: 1)) {
            try LinearFit.ordinaryLeastSquares(x: x, y: y).slopeInterval(confidence: 1)
        }
    }
}
