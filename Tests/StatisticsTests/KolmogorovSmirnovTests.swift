import Testing
@testable import Statistics

@Suite struct KolmogorovSmirnovTests {
    @Test func oneSampleAgainstUniformMatchesScipyExact() throws {
        let u: [Double] = [0.08, 0.91, 0.35, 0.62, 0.17, 0.77, 0.44, 0.29, 0.95, 0.53, 0.71, 0.12]
        // scipy.stats.kstest(u, 'uniform', method='exact').
        let r = try KolmogorovSmirnov.oneSample(u, cdf: uniformCDF)
        #expect(close(r.statistic, 0.08, relative: 1e-12))
        #expect(close(r.pValue, 0.9999802477788384, relative: 1e-10))
        #expect(r.method == .exact)
        #expect(r.n == 12)
    }

    @Test func oneSampleAgainstNormalMatchesScipyExactAndStephens() throws {
        let z: [Double] = [-1.21, 0.34, 0.88, -0.45, 1.67, 0.05, -0.73, 2.11, 0.56, -0.12, 1.02, 0.41, 1.35, -0.02, 0.77]
        // scipy.stats.kstest(z, 'norm', method='exact').
        let exact = try KolmogorovSmirnov.oneSample(z, cdf: standardNormalCDF, method: .exact)
        #expect(close(exact.statistic, 0.25224157397941616, relative: 1e-12))
        #expect(close(exact.pValue, 0.2500855571336835, relative: 1e-10))
        // scipy.stats.kstwobign.sf((√15 + 0.12 + 0.11/√15) · D).
        let asymptotic = try KolmogorovSmirnov.oneSample(z, cdf: standardNormalCDF, method: .asymptotic)
        #expect(close(asymptotic.pValue, 0.2549231063052311, relative: 1e-10))
        #expect(asymptotic.method == .asymptotic)
    }

    @Test func twoSampleMatchesScipyKs2samp() throws {
        let x: [Double] = [0.61, 1.73, 0.25, 2.04, 1.12, 0.87, 1.49, 0.33, 1.95, 0.72]
        let y: [Double] = [1.41, 2.32, 1.05, 2.88, 1.67, 2.15, 0.94, 2.51, 1.83, 3.02, 1.28, 2.66]
        // scipy.stats.ks_2samp(x, y, method='exact'): D = 0.5, p = 0.09270296267200293.
        let exact = try KolmogorovSmirnov.twoSample(x, y)
        #expect(exact.method == .exact)
        #expect(close(exact.statistic, 0.5, relative: 1e-14))
        #expect(close(exact.pValue, 0.09270296267200293, relative: 1e-12))
        // scipy.stats.kstwobign.sf((√nₑ + 0.12 + 0.11/√nₑ) · 0.5), nₑ = 120/22.
        let asymptotic = try KolmogorovSmirnov.twoSample(x, y, method: .asymptotic)
        #expect(close(asymptotic.pValue, 0.08729785202156963, relative: 1e-10))
        // scipy's own ks_2samp(method='asymp') (kstwo.sf at round(nₑ)) gives 0.112; same ballpark.
        #expect(abs(asymptotic.pValue - 0.112) < 0.03)
        // Symmetric in its arguments.
        #expect(close(try KolmogorovSmirnov.twoSample(y, x).pValue, exact.pValue, relative: 1e-12))
    }

    @Test func twoSampleStatisticHandlesTies() throws {
        // x = {1, 2, 2, 3}, y = {2, 2, 4}: at 2, F = 3/4 and G = 2/3; at 1, F = 1/4, G = 0;
        // at 3, F = 1, G = 2/3 → D = 1/3.
        let r = try KolmogorovSmirnov.twoSample([1, 2, 2, 3], [2, 2, 4], method: .exact)
        #expect(close(r.statistic, 1.0 / 3, relative: 1e-14))
        #expect(close(r.dPlus, 1.0 / 3, relative: 1e-14))
    }

    @Test func invalidInputsThrow() {
        #expect(throws: StatisticsError.tooFewPoints("x", required: 1, actual: 0)) {
            try KolmogorovSmirnov.oneSample([], cdf: uniformCDF)
        }
        #expect(throws: StatisticsError.nonFiniteInput("y")) { try KolmogorovSmirnov.twoSample([1, 2], [.nan]) }
        #expect(throws: StatisticsError.self) { try KolmogorovSmirnov.oneSample([0.5], cdf: { _ in 2 }) }
    }
}
