import Foundation
import Testing
import PropertyEngine
import Properties

/// Every claim of the catalog, each as its own named test, at the `ci` profile (fixed seed): the run's
/// false-fail rate is 1e−3 in all, split over the statistical and rate properties.
@Suite struct CatalogTests {
    static func check(_ id: String) throws {
        let property = try Catalog.property(named: id)
        let runner = Runner(profile: .ci, familySize: Catalog.familySize, store: RegressionStore(directory: Catalog.regressionsDirectory))
        let result = runner.run(property)
        for f in result.failures.prefix(1) {
            Issue.record("\(id) failed: \(f.shrunkSetting); evidence: \(String(describing: f.shrunkEvidence)); replay: ggd check --replay '\(f.token)'")
        }
        #expect(result.passed == true)
        #expect(result.cases.count >= property.budget(for: .ci).cases)
    }

    @Test("T1 — Theorem 1: G_loss stays in span(A)") func t1() throws { try Self.check("T1") }
    @Test("T1 — the guidance's VJP is the transposed Jacobian of x̂₀") func t1VJP() throws { try Self.check("T1-vjp") }
    @Test("P1 — Proposition 1: naive guidance leaves span(A), G_loss does not") func p1() throws { try Self.check("P1") }
    @Test("L3 — Lemma 3: the guided DDPM law converges to the closed form") func l3Rate() throws { try Self.check("L3-rate") }
    @Test("L3 — code β = Lemma 1's β exactly when Σ̄ is a projector") func l3Beta() throws { try Self.check("L3-beta") }
    @Test("L3 — the sampler's draws follow its exact law") func l3Draws() throws { try Self.check("L3-draws") }
    @Test("T2 — Theorem 2: contraction with ratio at most L/λ") func t2Contraction() throws { try Self.check("T2-contraction") }
    @Test("T2 — sampled rounds take the theory's step") func t2Sampled() throws { try Self.check("T2-sampled") }
    @Test("T2 — Theorem 2: the error term depends on d, not D") func t2Error() throws { try Self.check("T2-error") }
    @Test("T3 — Theorem 3: Algorithm 2's gap falls like Õ(1/K)") func t3Rate() throws { try Self.check("T3-rate") }
    @Test("T3 — Theorem 3: K·gap/log K stays bounded") func t3Bounded() throws { try Self.check("T3-bounded") }
    @Test("S0 — unguided draws lie in span(A)") func s0Support() throws { try Self.check("S0-support") }
    @Test("S0 — unguided draws follow the data law") func s0Law() throws { try Self.check("S0-law") }

    /// The budgets were sized for the family they run in: `CatalogDesign.familySize` is written before the
    /// catalog exists, so it is held to the catalog here.
    @Test func theDesignsFamilyIsTheCatalogs() {
        #expect(CatalogDesign.familySize == Catalog.familySize)
    }

    /// Issue 18's target: at `full` every statistical claim resolves 1% in a standard deviation and 0.02σ
    /// in a mean with probability 0.95, at the level the run judges each case at; at `ci` what its budget
    /// allows, stated.
    @Test(arguments: ["L3-draws", "S0-law", "T2-sampled"])
    func statisticalClaimsAtFullDetectOnePercentInASpread(_ id: String) throws {
        let property = try Catalog.property(named: id)
        let full = Runner(profile: .full(seed: 1), familySize: Catalog.familySize, store: nil)
        let budget = property.budget(for: .full(seed: 1))
        let d = try #require(try property.detectableEffect(effort: budget.effort, caseLevel: full.alpha(for: property) / Double(budget.cases)))
        #expect(try #require(d.standardDeviation) <= CatalogDesign.targetStandardDeviation && (try #require(d.mean)) <= CatalogDesign.targetMean, "\(id): \(d.summary)")
        let ci = try #require(try property.detectableEffect(effort: property.budget(for: .ci).effort,
                                                            caseLevel: full.alpha(for: property) / Double(property.budget(for: .ci).cases)))
        #expect(try #require(ci.standardDeviation) < 0.1, "ci resolves a spread to better than 10%")
    }

    /// Every statistical property states its power.
    @Test func everyStatisticalPropertyStatesItsPower() throws {
        for property in Catalog.properties() where property.kind == .statistical {
            #expect(try property.detectableEffect(effort: property.budget(for: .ci).effort, caseLevel: 1e-5)?.standardDeviation != nil,
                    "\(property.id) states its power")
        }
    }

    @Test func catalogCoversEveryClaimOnce() {
        let ids = Catalog.properties().map(\.id)
        #expect(Set(ids).count == ids.count)
        for claim in ["T1", "P1", "L3", "T2", "T3", "S0"] {
            #expect(ids.contains { $0 == claim || $0.hasPrefix(claim + "-") }, "no property for \(claim)")
        }
    }
}
