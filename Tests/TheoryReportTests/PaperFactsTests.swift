import Testing
@testable import TheoryReport

/// The reproduction table's judgement of "reward grows with δ" rests on Spearman's rank correlation.
@Suite struct PaperFactsTests {
    @Test func spearmanRanksMonotoneReversedAndTiedSeries() {
        let d = [0.02, 0.07, 0.12, 0.17, 0.22]
        #expect(PaperFact.spearman(d, [0.1, 0.2, 0.5, 0.6, 0.9]) == 1)
        #expect(PaperFact.spearman(d, [0.9, 0.6, 0.5, 0.2, 0.1]) == -1)
        // One swapped pair of five: ρ = 1 − 6·2/(5·24) = 0.9.
        #expect(abs(PaperFact.spearman(d, [0.1, 0.5, 0.2, 0.6, 0.9]) - 0.9) < 1e-12)
        // Ties get their mean rank; a constant series has no correlation.
        #expect(abs(PaperFact.spearman(d, [0.1, 0.1, 0.5, 0.6, 0.9]) - 0.9746794344808963) < 1e-12)
        #expect(PaperFact.spearman(d, [1, 1, 1, 1, 1]).isNaN)
        #expect(PaperFact.spearman([1], [2]).isNaN)
    }
}
