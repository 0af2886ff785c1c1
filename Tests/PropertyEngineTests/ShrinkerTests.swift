import Testing
@testable import PropertyEngine

/// The shrinker on choice sequences whose failures it must keep while making them smaller.
@Suite struct ShrinkerTests {
    /// Lowering a length choice and deleting the block after it can bring the choice to 0 at block size 1;
    /// the size-2 step must not lower it again (an arithmetic overflow trap, found by the CLI fuzzer).
    @Test func aChoiceLoweredToZeroIsNotLoweredAgain() {
        let (choices, _) = Shrinker(maximumEvaluations: 100).shrink([1, 5, 5, 5]) { c in
            (c.count >= 3 && c.count - Int(c.first ?? 0) == 3, c)
        }
        #expect(choices.count >= 3 && choices.count - Int(choices.first ?? 0) == 3, "the shrunk sequence no longer fails: \(choices)")
    }

    /// Whatever the predicate, shrinking neither traps nor loses the failure, and never grows (seeded sweep).
    @Test func shrinkingKeepsTheFailureAndNeverGrows() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return state >> 33 }
        for _ in 0..<200 {
            let start = (0..<Int(next() % 8 + 1)).map { _ in next() % 6 }
            let k = Int(next() % 3)
            // Predicates see choices as a replay does: trailing zeros are implied, so only the canonical form counts.
            let fails: Shrinker.Predicate = { c in
                let c = Shrinker.canonical(c)
                return (c.reduce(0, +) >= UInt64(k + 2) && (c.first ?? 0) <= 3, c)
            }
            guard fails(start).fails else { continue }
            let (choices, _) = Shrinker(maximumEvaluations: 200).shrink(start, fails: fails)
            #expect(fails(choices).fails, "lost the failure: \(start) → \(choices)")
            #expect(choices.count <= start.count)
        }
    }
}
