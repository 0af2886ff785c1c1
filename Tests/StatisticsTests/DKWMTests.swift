#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Statistics

@Suite struct DKWMTests {
    @Test func epsilonIsMassartsBound() throws {
        // numpy: sqrt(log(2/0.05)/(2·100)).
        #expect(close(try DKWM.epsilon(n: 100, alpha: 0.05), 0.13581015157406195, relative: 1e-14))
    }

    @Test func bandEvaluatesTheEmpiricalCDF() throws {
        let band = try DKWM.band([0.3, 0.1, 0.2, 0.2], alpha: 0.1)
        #expect(band.empiricalCDF(at: 0.05) == 0)
        #expect(band.empiricalCDF(at: 0.2) == 0.75)
        #expect(band.empiricalCDF(at: 0.25) == 0.75)
        #expect(band.empiricalCDF(at: 0.3) == 1)
        let eps = (log(2 / 0.1) / 8).squareRoot()
        #expect(close(band.epsilon, eps, relative: 1e-15))
        #expect(band.lowerBound(at: 0.05) == 0)
        #expect(band.upperBound(at: 0.3) == 1)
        #expect(close(band.upperBound(at: 0.15), 0.25 + eps, relative: 1e-15))
    }

    @Test func testAndPValueBound() throws {
        var g = SplitMix64(seed: 7)
        let u = g.uniforms(400)
        let good = try DKWM.test(u, cdf: uniformCDF, alpha: 0.01)
        #expect(!good.rejected)
        #expect(good.pValueBound > 0.01)
        // Shifted by 0.2: sup distance ≈ 0.2 ≫ ε(400, 0.01) ≈ 0.081.
        let bad = try DKWM.test(u, cdf: { uniformCDF($0 - 0.2) }, alpha: 0.01)
        #expect(bad.rejected)
        #expect(bad.pValueBound < 1e-6)
        // The DKWM statistic equals the KS statistic.
        #expect(bad.distance == (try KolmogorovSmirnov.oneSample(u, cdf: { uniformCDF($0 - 0.2) })).statistic)
    }

    @Test func invalidInputsThrow() {
        #expect(throws: StatisticsError.invalidProbability("alpha", value: 1)) { try DKWM.epsilon(n: 10, alpha: 1) }
        #expect(throws: StatisticsError.self) { try DKWM.epsilon(n: 0, alpha: 0.1) }
        #expect(throws: StatisticsError.nonFiniteInput("sample")) { try DKWM.band([1, .nan], alpha: 0.1) }
    }
}
