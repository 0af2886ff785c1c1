import Foundation
import Testing
import PropertyEngine
import Properties

/// Replay tokens against the real catalog (issue 7, hostile input): unknown property ids are clear errors,
/// every property bounds the effort a token may ask, and the smallest effort a token can carry runs without
/// a trap.
@Suite struct ReplayLimitTests {
    /// Input class: property ids that are not in the catalog (near misses, case changes, empty, long).
    @Test(arguments: ["T4", "t1", "L3", "L3-rate ", "L3_rate", "", String(repeating: "T", count: 10_000), "S0-law!"])
    func unknownPropertyIsAClearError(_ id: String) {
        #expect(throws: PropertyError.unknownProperty(id)) { try Catalog.property(named: id) }
    }

    /// Input class: tokens naming every catalog property with an effort just past its maximum, and an
    /// absurd 10¹² (refused by the parser); the maximum covers the `full` profile's budget.
    @Test func everyPropertyBoundsItsEffort() throws {
        for property in Catalog.properties() {
            let full = property.budget(for: .full(seed: 1)).effort
            #expect(property.maximumEffort >= full, "\(property.id)")
            #expect(property.maximumEffort <= 16 * max(full, property.budget(for: .ci).effort), "\(property.id)")
            let past = ReplayToken(property: property.id, effort: property.maximumEffort + 1, threshold: 0, choices: [])
            #expect(throws: PropertyError.self, "\(property.id)") { try past.check(for: property) }
            #expect(Runner.replay(past, property: property).result.error?.contains("outside 1…\(property.maximumEffort)") == true)
            #expect(throws: PropertyError.self) { try ReplayToken(parsing: "ggd1:\(property.id):1000000000000:0:AA") }
        }
        // L3-rate's effort k means T up to 50·2ᵏ⁻¹: it stops well before 2ᵏ overflows or T exhausts memory.
        #expect(try Catalog.property(named: "L3-rate").maximumEffort == 12)
    }

    /// Input class: the smallest effort a token can carry (1), on each property's simplest case (no
    /// choices) and on an arbitrary one: it evaluates or reports an error in the case, without a trap.
    /// (T3-bounded raises any effort to 3, so effort 1 is no edge case there and is left out for time; T2-error
    /// gets only the simplest case, for time.)
    @Test func smallestEffortReplaysWithoutATrap() throws {
        for property in Catalog.properties() where property.id != "T3-bounded" {
            let arbitrary: [UInt64] = [UInt64.max, 7, 1 << 40, 3, 0, 123_456_789]
            for choices in property.id == "T2-error" ? [[]] : [[], arbitrary] {
                let token = ReplayToken(property: property.id, effort: 1, threshold: 0, choices: choices)
                let (result, _) = Runner.replay(token, property: property)
                #expect(result.evidence != nil || result.error != nil, "\(property.id)")
            }
        }
    }
}
