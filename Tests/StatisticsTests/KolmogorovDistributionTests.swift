import Testing
@testable import Statistics

@Suite struct KolmogorovDistributionTests {
    @Test func marsagliaTsangWangReferenceValue() throws {
        // Marsaglia, Tsang & Wang (2003), J. Stat. Softw. 8(18): K(10, 0.274) = 0.6284796154565043;
        // scipy.stats.kstwo.cdf(0.274, 10) gives the same 0.6284796154565043.
        #expect(close(try KolmogorovDistribution.cdf(n: 10, d: 0.274), 0.6284796154565043, relative: 1e-13))
    }

    @Test func finiteNDistributionMatchesScipyKstwoInEveryRegion() throws {
        // (n, d, scipy.stats.kstwo.cdf(d, n), scipy.stats.kstwo.sf(d, n)), one case per algorithm region.
        let cases: [(Int, Double, Double, Double)] = [
            (5, 0.05, 0.0, 1.0),                                       // nd ≤ 1/2
            (5, 0.15, 0.0012000000000000005, 0.9988),                  // Ruben–Gambino, nd ≤ 1
            (10, 0.95, 0.9999999999998047, 1.9531250000000172e-13),   // Ruben–Gambino, nd ≥ n − 1
            (20, 0.6, 0.9999997951698835, 2.0483011649719853e-07),    // d ≥ 1/2: 2·smirnov
            (100, 0.25, 0.9999945911282235, 5.408871776434847e-06),   // n d² > 4: 2·smirnov
            (100, 0.1, 0.7473072429936126, 0.2526927570063874),       // Durbin matrix
            (50, 0.2, 0.9685612222304676, 0.03143877776953241),       // Durbin matrix (scipy: Pomeranz)
        ]
        for (n, d, cdf, sf) in cases {
            #expect(close(try KolmogorovDistribution.cdf(n: n, d: d), cdf, relative: 1e-12, absolute: 1e-15),
                    "cdf n=\(n) d=\(d)")
            #expect(close(try KolmogorovDistribution.survival(n: n, d: d), sf, relative: 1e-10, absolute: 1e-15),
                    "sf n=\(n) d=\(d)")
        }
        // n > 140, n d² ≥ 2.2: the tail is 2·smirnov, as scipy.stats.kstwo.sf(0.06, 1000) computes it.
        #expect(close(try KolmogorovDistribution.survival(n: 1000, d: 0.06), 0.001428597887952891, relative: 1e-10))
    }

    @Test func durbinMatrixMatchesScipysExactDurbinWhereKstwoUsesPelzGood() throws {
        // For n > 140 and n d^1.5 > 1.4, scipy.stats.kstwo switches to the Pelz–Good asymptotic
        // series (error ~1e-6 here); this module stays exact. Reference: scipy's own exact Durbin
        // evaluation scipy.stats._ksstats._kolmogn_DMTW(n, d, cdf=True), cross-checked against
        // scipy.stats._ksstats._kolmogn_Pomeranz (another exact algorithm) where that is stable.
        let cases: [(Int, Double, Double)] = [
            (140, 0.12, 0.96747361741438762483),   // Pomeranz: 0.9674736174143836813
            (141, 0.12, 0.96839995690752983694),   // Pomeranz: 0.9683999569075223196
            (200, 0.05, 0.31973727456044227665),   // Pomeranz: 0.31973727456044457362
            (1000, 0.03, 0.67730975358669057303),  // Pomeranz: 0.6773097535867065681
            (5000, 0.015, 0.79153857834032778564),
        ]
        for (n, d, cdf) in cases {
            #expect(close(try KolmogorovDistribution.cdf(n: n, d: d), cdf, relative: 1e-12), "n=\(n) d=\(d)")
            #expect(close(try KolmogorovDistribution.survival(n: n, d: d), 1 - cdf, relative: 1e-11), "n=\(n) d=\(d)")
        }
        // And within Pelz–Good's accuracy of scipy.stats.kstwo.cdf(0.05, 200) = 0.3197374504128296.
        #expect(abs(try KolmogorovDistribution.cdf(n: 200, d: 0.05) - 0.3197374504128296) < 1e-6)
        // n > 140, n d² ≥ 2.2: cdf = 1 − 2·smirnov, within 1e-12 of _kolmogn_DMTW(1000, 0.06) = 0.998571402112518131.
        #expect(abs(try KolmogorovDistribution.cdf(n: 1000, d: 0.06) - 0.998571402112518131) < 1e-12)
    }

    @Test func oneSidedSmirnovMatchesScipy() throws {
        // scipy.special.smirnov(n, d).
        #expect(close(try KolmogorovDistribution.oneSidedSurvival(n: 10, d: 0.3), 0.1354635556, relative: 1e-12))
        #expect(close(try KolmogorovDistribution.oneSidedSurvival(n: 100, d: 0.1), 0.1265906584562817, relative: 1e-12))
        #expect(close(try KolmogorovDistribution.oneSidedSurvival(n: 1000, d: 0.05), 0.006506037390545166, relative: 1e-11))
    }

    @Test func limitingDistributionMatchesScipyKstwobign() {
        // (x, scipy.stats.kstwobign.cdf(x), scipy.stats.kstwobign.sf(x)).
        let cases: [(Double, Double, Double)] = [
            (0.3, 9.305801334566636e-06, 0.9999906941986655),
            (0.5, 0.036054756335124914, 0.9639452436648751),
            (1.0, 0.7300003283226455, 0.26999967167735456),
            (1.18, 0.8765461905702343, 0.1234538094297657),
            (1.36, 0.9505141232446221, 0.049485876755377876),
            (2.0, 0.9993290747442203, 0.0006709252557796953),
            (3.0, 0.9999999695400406, 3.045995948942526e-08),
        ]
        for (x, cdf, sf) in cases {
            #expect(close(KolmogorovDistribution.limitingCDF(x), cdf, relative: 1e-12), "cdf x=\(x)")
            #expect(close(KolmogorovDistribution.limitingSurvival(x), sf, relative: 1e-12), "sf x=\(x)")
        }
    }

    @Test func stephensApproximationIsCloseToExact() throws {
        // The Stephens-corrected asymptotic p-value is within a few per cent of the exact one.
        for (n, d) in [(20, 0.25), (50, 0.17), (200, 0.09)] {
            let exact = try KolmogorovDistribution.survival(n: n, d: d)
            let approx = try KolmogorovDistribution.asymptoticSurvival(n: n, d: d)
            #expect(abs(approx / exact - 1) < 0.03, "n=\(n) d=\(d): \(approx) vs \(exact)")
        }
    }

    @Test func twoSampleExactDistributionMatchesScipy() throws {
        // scipy.stats.ks_2samp(x, y, method='exact') for the samples in KolmogorovSmirnovTests
        // (n = 10, m = 12, D = 0.5 → D·n·m = 60): p = 0.09270296267200293.
        #expect(close(try TwoSampleKSDistribution.survival(n: 10, m: 12, scaledStatistic: 60),
                      0.09270296267200293, relative: 1e-12))
        #expect(try TwoSampleKSDistribution.survival(n: 10, m: 12, scaledStatistic: 0) == 1)
        #expect(try TwoSampleKSDistribution.survival(n: 10, m: 12, scaledStatistic: 121) == 0)
        // scipy.stats._stats_py._attempt_exact_2kssamp(n, m, gcd(n, m), s/(n·m), 'two-sided'), the
        // routine behind ks_2samp(method='exact'), for unequal and larger sizes.
        for (n, m, s, p) in [(37, 53, 588, 0.030208748800156688), (37, 53, 1000, 9.807021717464408e-06),
                             (100, 80, 2400, 0.0005077934689081804)] {
            #expect(close(try TwoSampleKSDistribution.survival(n: n, m: m, scaledStatistic: s), p, relative: 1e-10),
                    "n=\(n) m=\(m) s=\(s)")
        }
        // D = 1 (complete separation): 2/C(n+m, n); C(4, 2) = 6.
        #expect(close(try TwoSampleKSDistribution.survival(n: 2, m: 2, scaledStatistic: 4), 2.0 / 6, relative: 1e-14))
    }
}
