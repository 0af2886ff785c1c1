import Testing
@testable import Statistics

@Suite struct HolmTests {
    @Test func workedExample() throws {
        // Worked by hand (statsmodels is not installed here): sorted p = 0.005, 0.01, 0.03, 0.04
        // with multipliers 4, 3, 2, 1 → 0.02, 0.03, 0.06, 0.04 → running maximum
        // 0.02, 0.03, 0.06, 0.06. At α = 0.05 the first two are rejected, then Holm stops.
        let r = try Holm.adjust(pValues: [0.01, 0.04, 0.03, 0.005], alpha: 0.05)
        #expect(r.rejected == [true, false, false, true])
        let expected = [0.03, 0.06, 0.06, 0.02]
        for (a, e) in zip(r.adjustedPValues, expected) { #expect(close(a, e, relative: 1e-14)) }
        #expect(r.rejectsAny)
    }

    @Test func adjustedPValuesAreCappedAtOneAndTiesKeepOrder() throws {
        let r = try Holm.adjust(pValues: [0.5, 0.5, 0.001], alpha: 0.01)
        #expect(r.adjustedPValues == [1, 1, 0.003])
        #expect(r.rejected == [false, false, true])
        #expect(try Holm.adjust(pValues: [], alpha: 0.05).rejected.isEmpty)
    }

    @Test func invalidInputsThrow() {
        #expect(throws: StatisticsError.self) { try Holm.adjust(pValues: [0.1, 1.2], alpha: 0.05) }
        #expect(throws: StatisticsError.self) { try Holm.adjust(pValues: [0.1, .nan], alpha: 0.05) }
        #expect(throws: StatisticsError.invalidProbability("alpha", value: 0)) { try Holm.adjust(pValues: [0.1], alpha: 0) }
    }
}
