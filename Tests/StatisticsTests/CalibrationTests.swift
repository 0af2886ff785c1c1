import Testing
@testable import Statistics

/// Sanity checks that can fail: on deterministic pseudo-samples, tests accept true
/// hypotheses, reject false ones decisively, and reject true ones at about their level.
@Suite struct CalibrationTests {
    @Test func ksAcceptsUniformDataAndRejectsAShiftedCDF() throws {
        var g = SplitMix64(seed: 2024)
        let u = g.uniforms(500)
        let good = try KolmogorovSmirnov.oneSample(u, cdf: uniformCDF)
        #expect(good.pValue > 0.01)
        let shifted = try KolmogorovSmirnov.oneSample(u, cdf: { uniformCDF($0 - 0.1) })
        #expect(shifted.pValue < 1e-6)
        // The same in the asymptotic regime (n > 10 000 → automatic uses the asymptotic law).
        let big = g.uniforms(20_000)
        let bigGood = try KolmogorovSmirnov.oneSample(big, cdf: uniformCDF)
        #expect(bigGood.method == .asymptotic)
        #expect(bigGood.pValue > 0.01)
        #expect(try KolmogorovSmirnov.oneSample(big, cdf: { uniformCDF($0 - 0.02) }).pValue < 1e-6)
    }

    @Test func twoSampleKSAcceptsSameAndRejectsShifted() throws {
        var g = SplitMix64(seed: 99)
        let x = g.normals(400), y = g.normals(300)
        #expect(try KolmogorovSmirnov.twoSample(x, y).pValue > 0.01)
        #expect(try KolmogorovSmirnov.twoSample(x, y.map { $0 + 0.6 }).pValue < 1e-6)
        // Exact and asymptotic agree loosely at these sizes.
        let shifted = y.map { $0 + 0.2 }
        let e = try KolmogorovSmirnov.twoSample(x, shifted, method: .exact).pValue
        let a = try KolmogorovSmirnov.twoSample(x, shifted, method: .asymptotic).pValue
        #expect(abs(a / e - 1) < 0.1, "\(a) vs \(e)")
    }

    @Test func falseFailRatesAreNearTheirLevel() throws {
        // 4000 replications under H₀ at α = 0.05: the rejection fraction must lie within
        // ±0.012 (3.5 binomial standard deviations) of 0.05. (Welch's test is approximate:
        // its true size in this unbalanced design is ≈ 0.052, by a 200 000-replication numpy/scipy
        // simulation.)
        var g = SplitMix64(seed: 5)
        let replications = 4000
        var ksRejections = 0, tRejections = 0, welchRejections = 0, chiRejections = 0, ks2Rejections = 0
        for _ in 0..<replications {
            let u = g.uniforms(20)
            if try KolmogorovSmirnov.oneSample(u, cdf: uniformCDF).pValue <= 0.05 { ksRejections += 1 }
            let z = g.normals(12)
            if try TTest.oneSample(z).pValue <= 0.05 { tRejections += 1 }
            if try VarianceTest.chiSquare(z, nullVariance: 1).pValue <= 0.05 { chiRejections += 1 }
            let w = g.normals(7).map { 3 * $0 }
            if try TTest.twoSample(z, w).pValue <= 0.05 { welchRejections += 1 }
            // Two-sample KS is discrete: its size is at most α (here about 0.04), not exactly α.
            if try KolmogorovSmirnov.twoSample(g.uniforms(15), g.uniforms(20)).pValue <= 0.05 { ks2Rejections += 1 }
        }
        for (name, count) in [("KS", ksRejections), ("t", tRejections), ("chi2", chiRejections), ("Welch", welchRejections)] {
            let rate = Double(count) / Double(replications)
            #expect(abs(rate - 0.05) < 0.012, "\(name) false-fail rate \(rate)")
        }
        let ks2Rate = Double(ks2Rejections) / Double(replications)
        #expect(ks2Rate < 0.05 + 0.012 && ks2Rate > 0.02, "two-sample KS false-fail rate \(ks2Rate)")
    }

    @Test func hotellingAcceptsTheTrueMeanAndRejectsAShift() throws {
        var g = SplitMix64(seed: 314)
        let rows = (0..<200).map { _ in [g.normal(), 0.5 * g.normal(), 2 + g.normal()] }
        #expect(try HotellingT2.oneSample(rows, nullMean: [0, 0, 2]).pValue > 0.01)
        #expect(try HotellingT2.oneSample(rows, nullMean: [0, 0.3, 2]).pValue < 1e-6)
    }

    @Test func clopperPearsonCoversTheTruth() throws {
        // 1000 binomial(40, 0.3) counts: the 90% interval must miss 0.3 at most ~10% of the time
        // (it is conservative); allow 3 standard deviations.
        var g = SplitMix64(seed: 77)
        var misses = 0
        for _ in 0..<1000 {
            let k = (0..<40).reduce(0) { count, _ in count + (g.uniform() < 0.3 ? 1 : 0) }
            if !(try Binomial.clopperPearson(successes: k, trials: 40, confidence: 0.9)).contains(0.3) { misses += 1 }
        }
        #expect(misses < 100 + 29)
    }
}
