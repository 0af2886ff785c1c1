import Testing
@testable import Statistics

private let rows: [[Double]] = [
    [1.2, 0.8, 2.1], [0.9, 1.1, 1.7], [1.5, 0.7, 2.4], [1.1, 1.3, 2.0],
    [0.7, 0.9, 1.5], [1.4, 1.2, 2.6], [1.0, 0.6, 1.9], [1.3, 1.0, 2.2],
]

@Suite struct HotellingTests {
    @Test func oneSampleMatchesHandComputationWithScipyF() throws {
        let r = try HotellingT2.oneSample(rows, nullMean: [1, 1, 2])
        // numpy: d = x̄ − μ₀, S = np.cov(X.T); T² = n dᵀ S⁻¹ d (np.linalg.solve);
        // F = (n − p)/(p(n − 1)) T²; p = scipy.stats.f.sf(F, 3, 5).
        #expect(close(r.tSquared, 17.038647342995226, relative: 1e-11))
        #expect(close(r.fStatistic, 4.056820795951244, relative: 1e-11))
        #expect(close(r.pValue, 0.082896872252395, relative: 1e-9))
        #expect(close(r.mahalanobisDistanceSquared, 2.1298309178744033, relative: 1e-11))
        #expect(r.numeratorDegreesOfFreedom == 3)
        #expect(r.denominatorDegreesOfFreedom == 5)
        #expect(try !r.rejects(at: 0.05))
    }

    @Test func singularCovarianceIsRefused() {
        // Third coordinate = first + second: S is singular.
        let dependent = rows.map { [$0[0], $0[1], $0[0] + $0[1]] }
        #expect(throws: StatisticsError.self) { try HotellingT2.oneSample(dependent, nullMean: [1, 1, 2]) }
        do {
            _ = try HotellingT2.oneSample(dependent, nullMean: [1, 1, 2])
        } catch let error as StatisticsError {
            guard case .singularCovariance = error else {
                Issue.record("expected singularCovariance, got \(error)")
                return
            }
        } catch {
            Issue.record("unexpected error \(error)")
        }
        // A constant coordinate.
        let constant = rows.map { [$0[0], 5, $0[2]] }
        #expect(throws: StatisticsError.singularCovariance("coordinate 1 has zero sample variance")) {
            try HotellingT2.oneSample(constant, nullMean: [1, 5, 2])
        }
    }

    @Test func invalidInputsThrow() {
        #expect(throws: StatisticsError.tooFewPoints("samples", required: 4, actual: 3)) {
            try HotellingT2.oneSample(Array(rows[0..<3]), nullMean: [1, 1, 2])
        }
        #expect(throws: StatisticsError.lengthMismatch("a row of samples", expected: 2, actual: 3)) {
            try HotellingT2.oneSample(rows, nullMean: [1, 1])
        }
        #expect(throws: StatisticsError.nonFiniteInput("samples")) {
            try HotellingT2.oneSample(rows + [[1, .nan, 2]], nullMean: [1, 1, 2])
        }
    }
}
