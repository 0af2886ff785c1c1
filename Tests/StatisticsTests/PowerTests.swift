#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Statistics

@Suite struct PowerTests {
    @Test func meanTestWithKnownSigmaIsTheTextbookFormula() throws {
        // Hand: 2 · (z₀.₉₇₅ + z₀.₈)/√25 with scipy.stats.norm.ppf.
        let d = try TTest.minimumDetectableDifference(n: 25, falseFailRate: 0.05, falsePassRate: 0.2, sigma: 2,
                                                      sigmaKnown: true)
        #expect(close(d, 1.1206340872451874, relative: 1e-12))
        // Hand: ⌈(2 (z₀.₉₇₅ + z₀.₈)/0.5)²⌉ = 126.
        #expect(try TTest.requiredSampleSize(difference: 0.5, falseFailRate: 0.05, falsePassRate: 0.2, sigma: 2,
                                             sigmaKnown: true) == 126)
    }

    @Test func tTestPowerIsExactNoncentralT() throws {
        // scipy: brentq on nct.sf(t.ppf(0.975, 24), 24, δ) + nct.cdf(−t.ppf(0.975, 24), 24, δ) = 0.8, × 2/5.
        let two = try TTest.minimumDetectableDifference(n: 25, falseFailRate: 0.05, falsePassRate: 0.2, sigma: 2)
        #expect(close(two, 1.1680533431001705, relative: 1e-9))
        // scipy: the same, one-sided, nct.sf(t.ppf(0.95, 24), 24, δ) = 0.8.
        let greater = try TTest.minimumDetectableDifference(n: 25, falseFailRate: 0.05, falsePassRate: 0.2, sigma: 2,
                                                            alternative: .greater)
        #expect(close(greater, 1.023878320783816, relative: 1e-9))
        let less = try TTest.minimumDetectableDifference(n: 25, falseFailRate: 0.05, falsePassRate: 0.2, sigma: 2,
                                                         alternative: .less)
        #expect(close(less, greater, relative: 1e-9))
        // scipy: two-sided power at δ = 0.8, σ = 2, n = 25.
        #expect(close(try TTest.power(n: 25, difference: 0.8, sigma: 2, falseFailRate: 0.05), 0.4840182806955747,
                      relative: 1e-9))
        // scipy: two groups of 20, σ = 1, β = 0.1: ncp solved on 38 df, × √(2/20).
        let twoGroups = try TTest.minimumDetectableDifference(n: 20, falseFailRate: 0.05, falsePassRate: 0.1, sigma: 1,
                                                              design: .twoSample)
        #expect(close(twoGroups, 1.0519929482772263, relative: 1e-9))
        // scipy: smallest n with two-sided power ≥ 0.8 at δ/σ = 0.5 is 34.
        #expect(try TTest.requiredSampleSize(difference: 0.5, falseFailRate: 0.05, falsePassRate: 0.2, sigma: 1) == 34)
    }

    @Test func slopePower() throws {
        let x: [Double] = [1, 2, 3, 4, 5, 6, 7, 8]
        // scipy: SE = 0.2/√Sxx (Sxx = 42); noncentral t on 6 df, and SE (z₀.₉₇₅ + z₀.₈) for known σ.
        #expect(close(try LinearFit.minimumDetectableSlopeDifference(x: x, residualSigma: 0.2, falseFailRate: 0.05,
                                                                     falsePassRate: 0.2),
                      0.10390463231809827, relative: 1e-9))
        #expect(close(try LinearFit.minimumDetectableSlopeDifference(x: x, residualSigma: 0.2, falseFailRate: 0.05,
                                                                     falsePassRate: 0.2, sigmaKnown: true),
                      0.0864587968718218, relative: 1e-12))
        // scipy: the smallest r with power ≥ 0.8 for slope difference 0.03 (SE = 0.2/√(42 r), 8r − 2 df) is 9.
        #expect(try LinearFit.requiredReplicates(x: x, slopeDifference: 0.03, residualSigma: 0.2, falseFailRate: 0.05,
                                                 falsePassRate: 0.2) == 9)
        // From a fit: its own standard error times the same noncentrality.
        let fit = try LinearFit.ordinaryLeastSquares(x: x, y: [2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1])
        let fromFit = try fit.minimumDetectableSlopeDifference(falseFailRate: 0.05, falsePassRate: 0.2)
        #expect(close(fromFit, 0.10390463231809827 / (0.2 / 42.0.squareRoot()) * fit.slopeStandardError, relative: 1e-9))
    }

    @Test func varianceTestPowerIsExact() throws {
        // Hand: scipy.stats.chi2.ppf(0.95, 19)/chi2.ppf(0.2, 19) and chi2.ppf(0.05, 19)/chi2.ppf(0.8, 19).
        #expect(close(try VarianceTest.minimumDetectableRatio(n: 20, falseFailRate: 0.05, falsePassRate: 0.2,
                                                               alternative: .greater),
                      2.1977245095717315, relative: 1e-10))
        #expect(close(try VarianceTest.minimumDetectableRatio(n: 20, falseFailRate: 0.05, falsePassRate: 0.2,
                                                               alternative: .less),
                      0.42329859648177065, relative: 1e-10))
        // Hand: chi2.sf(chi2.ppf(0.95, 19)/2, 19).
        #expect(close(try VarianceTest.power(n: 20, varianceRatio: 2, falseFailRate: 0.05, alternative: .greater),
                      0.7180254074398964, relative: 1e-10))
        // Hand: smallest n with chi2.ppf(0.95, n−1)/chi2.ppf(0.1, n−1) ≤ 1.5 is 105.
        #expect(try VarianceTest.requiredSampleSize(varianceRatio: 1.5, falseFailRate: 0.05, falsePassRate: 0.1,
                                                    alternative: .greater) == 105)
        // At the detectable ratio the power is exactly 1 − β.
        let r = try VarianceTest.minimumDetectableRatio(n: 30, falseFailRate: 0.01, falsePassRate: 0.1, alternative: .greater)
        #expect(close(try VarianceTest.power(n: 30, varianceRatio: r, falseFailRate: 0.01, alternative: .greater), 0.9,
                      relative: 1e-10))
    }

    @Test func binomialPowerIsExact() throws {
        // scipy: critical count c = 59 for n = 100, p₀ = 0.5, α = 0.05; binom.sf(58, 100, 0.65).
        #expect(close(try Binomial.power(trials: 100, nullProportion: 0.5, trueProportion: 0.65, falseFailRate: 0.05,
                                         alternative: .greater),
                      0.9123219015167059, relative: 1e-10))
        // scipy: brentq on binom.sf(58, 100, 0.5 + δ) = 0.8.
        #expect(close(try Binomial.minimumDetectableDifference(trials: 100, nullProportion: 0.5, falseFailRate: 0.05,
                                                               falsePassRate: 0.2, alternative: .greater),
                      0.12561420972483345, relative: 1e-8))
        // scipy: first n with exact one-sided power ≥ 0.8 at p = 0.6 is 158.
        #expect(try Binomial.requiredSampleSize(difference: 0.1, nullProportion: 0.5, falseFailRate: 0.05,
                                                falsePassRate: 0.2, alternative: .greater) == 158)
        // The power of a true null is at most α (exact test, discrete: strictly below here).
        let size = try Binomial.power(trials: 100, nullProportion: 0.5, trueProportion: 0.5, falseFailRate: 0.05)
        #expect(size <= 0.05)
        #expect(throws: StatisticsError.self) {
            try Binomial.minimumDetectableDifference(trials: 3, nullProportion: 0.5, falseFailRate: 0.01, falsePassRate: 0.2)
        }
    }

    @Test func dkwmAndKSDetectableDistances() throws {
        // α = β: 2ε. Hand: 2 sqrt(log(2/0.05)/200).
        #expect(close(try DKWM.minimumDetectableDistance(n: 100, falseFailRate: 0.05, falsePassRate: 0.05),
                      2 * 0.13581015157406195, relative: 1e-14))
        let n = try DKWM.requiredSampleSize(distance: 0.1, falseFailRate: 0.05, falsePassRate: 0.1)
        #expect(try DKWM.minimumDetectableDistance(n: n, falseFailRate: 0.05, falsePassRate: 0.1) <= 0.1)
        #expect(try DKWM.minimumDetectableDistance(n: n - 1, falseFailRate: 0.05, falsePassRate: 0.1) > 0.1)
        // scipy: kstwo.isf(0.05, 50) = 0.18840647917792508, + sqrt(log(2/0.1)/100).
        #expect(close(try KolmogorovSmirnov.criticalValue(n: 50, alpha: 0.05), 0.18840647917792508, relative: 1e-9))
        #expect(close(try KolmogorovSmirnov.minimumDetectableDistance(n: 50, falseFailRate: 0.05, falsePassRate: 0.1),
                      0.3614883174381536, relative: 1e-9))
        let m = try KolmogorovSmirnov.requiredSampleSize(distance: 0.2, falseFailRate: 0.05, falsePassRate: 0.1)
        #expect(try KolmogorovSmirnov.minimumDetectableDistance(n: m, falseFailRate: 0.05, falsePassRate: 0.1) <= 0.2)
        #expect(try KolmogorovSmirnov.minimumDetectableDistance(n: m - 1, falseFailRate: 0.05, falsePassRate: 0.1) > 0.2)
        // KS is sharper than DKWM at the same rates.
        #expect(m < (try DKWM.requiredSampleSize(distance: 0.2, falseFailRate: 0.05, falsePassRate: 0.1)))
        // Two-sample exact critical value: the smallest D·n·m with exact p ≤ α.
        let c = try KolmogorovSmirnov.criticalValue(n: 10, m: 12, alpha: 0.1)
        let scaled = Int((c * 120).rounded())
        #expect(try TwoSampleKSDistribution.survival(n: 10, m: 12, scaledStatistic: scaled) <= 0.1)
        #expect(try TwoSampleKSDistribution.survival(n: 10, m: 12, scaledStatistic: scaled - 1) > 0.1)
    }

    @Test func hotellingPowerIsExactNoncentralF() throws {
        // scipy: ncf.sf(f.ppf(0.95, 3, 27), 3, 27, 30 · 0.5²).
        #expect(close(try HotellingT2.power(n: 30, dimension: 3, mahalanobisDistance: 0.5, falseFailRate: 0.05),
                      0.5543371098430646, relative: 1e-9))
        // scipy: brentq on the same power = 0.8.
        #expect(close(try HotellingT2.minimumDetectableDistance(n: 30, dimension: 3, falseFailRate: 0.05, falsePassRate: 0.2),
                      0.648361725553814, relative: 1e-8))
        // Just above the n = 30 detectable distance, n = 30 suffices and n = 29 does not.
        let n = try HotellingT2.requiredSampleSize(mahalanobisDistance: 0.6484, dimension: 3,
                                                   falseFailRate: 0.05, falsePassRate: 0.2)
        #expect(n == 30)
    }

    @Test func invalidInputsThrow() {
        #expect(throws: StatisticsError.invalidProbability("falsePassRate", value: 0)) {
            try TTest.minimumDetectableDifference(n: 10, falseFailRate: 0.05, falsePassRate: 0, sigma: 1)
        }
        #expect(throws: StatisticsError.self) {
            try TTest.minimumDetectableDifference(n: 10, falseFailRate: 0.05, falsePassRate: 0.1, sigma: -1)
        }
        #expect(throws: StatisticsError.self) {
            try TTest.requiredSampleSize(difference: 0, falseFailRate: 0.05, falsePassRate: 0.1, sigma: 1)
        }
        #expect(throws: StatisticsError.self) {
            try VarianceTest.requiredSampleSize(varianceRatio: 0.5, falseFailRate: 0.05, falsePassRate: 0.1, alternative: .greater)
        }
        #expect(throws: StatisticsError.self) {
            try HotellingT2.power(n: 3, dimension: 3, mahalanobisDistance: 1, falseFailRate: 0.05)
        }
    }
}
