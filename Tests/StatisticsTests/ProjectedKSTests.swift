import Testing
@testable import Statistics

/// Rows of i.i.d. N(0, I₃) (scaled per coordinate by `scale`, shifted by `shift`).
private func gaussianRows(_ n: Int, seed: UInt64, scale: [Double] = [1, 1, 1], shift: [Double] = [0, 0, 0]) -> [[Double]] {
    var g = SplitMix64(seed: seed)
    return (0..<n).map { _ in (0..<3).map { k in shift[k] + scale[k] * g.normal() } }
}

private let directions: [[Double]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1], [1, -2, 0.5], [-0.3, 0.7, 2]]

/// The CDF of ⟨u, X⟩ for X ~ N(0, I) and unit u: standard normal.
private func standardProjection(_ u: [Double]) -> (Double) -> Double { standardNormalCDF }

@Suite struct ProjectedKSTests {
    @Test func oneSampleAcceptsTheTrueDistribution() throws {
        let r = try ProjectedKS.oneSample(gaussianRows(500, seed: 11), directions: directions,
                                          projectedCDF: standardProjection, alpha: 0.01)
        #expect(!r.rejected)
        #expect(r.pValue > 0.01)
        #expect(r.perDirection.count == 6)
        #expect(close(r.perDirectionLevel, 0.01 / 6, relative: 1e-15))
        // Directions come back normalised.
        for u in r.directions { #expect(close(u.reduce(0) { $0 + $1 * $1 }, 1, relative: 1e-14)) }
    }

    @Test func oneSampleRejectsAVarianceChangeInOneCoordinate() throws {
        let rows = gaussianRows(500, seed: 12, scale: [1, 1, 1.6])
        let r = try ProjectedKS.oneSample(rows, directions: directions, projectedCDF: standardProjection, alpha: 0.01)
        #expect(r.rejected)
        #expect(r.pValue < 1e-6)
    }

    @Test func twoSampleAcceptsEqualAndRejectsShiftedDistributions() throws {
        let same = try ProjectedKS.twoSample(gaussianRows(300, seed: 21), gaussianRows(400, seed: 22),
                                             directions: directions, alpha: 0.01)
        #expect(!same.rejected)
        let shifted = try ProjectedKS.twoSample(gaussianRows(300, seed: 23), gaussianRows(400, seed: 24, shift: [0, 0.8, 0]),
                                                directions: directions, alpha: 0.01)
        #expect(shifted.rejected)
        #expect(shifted.pValue < 1e-6)
        // Bonferroni: the combined p-value is k times the smallest.
        #expect(close(shifted.pValue, min(1, 6 * shifted.perDirection[shifted.worstDirection].pValue), relative: 1e-15))
    }

    @Test func invalidInputsThrow() {
        let rows = gaussianRows(10, seed: 1)
        #expect(throws: StatisticsError.self) {
            try ProjectedKS.twoSample(rows, rows, directions: [[0, 0, 0]], alpha: 0.05)
        }
        #expect(throws: StatisticsError.self) {
            try ProjectedKS.twoSample(rows, rows, directions: [[1, 0]], alpha: 0.05)
        }
        #expect(throws: StatisticsError.self) { try ProjectedKS.twoSample(rows, rows, directions: [], alpha: 0.05) }
        #expect(throws: StatisticsError.invalidProbability("alpha", value: 2)) {
            try ProjectedKS.twoSample(rows, rows, directions: directions, alpha: 2)
        }
    }
}

@Suite struct ProjectedKSPowerTests {
    @Test func detectableDistanceIsTheBonferroniShareOfKS() throws {
        // scipy: brentq(lambda d: kstwo.sf(d, 200) − 0.05/6) + sqrt(log(2/0.1)/400), with kstwo.sf
        // = 2·smirnov(200, d) in this region. (scipy's own kstwo.isf(0.05/6, 200) is only good to
        // ~2e-5 in the tail probability and gives 0.116111268 instead of 0.116111057.)
        let d = try ProjectedKS.minimumDetectableDistance(n: 200, directionCount: 6, falseFailRate: 0.05, falsePassRate: 0.1)
        #expect(close(d, 0.20265197581423064, relative: 1e-9))
        #expect(d > (try KolmogorovSmirnov.minimumDetectableDistance(n: 200, falseFailRate: 0.05, falsePassRate: 0.1)))
    }
}
