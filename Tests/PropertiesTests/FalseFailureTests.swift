import Testing
import PropertyEngine
import Properties

/// The false failures found at `full` with fresh seeds on the correct implementation (issue 18): S0-support's
/// off-span ratio divided round-off by a near-zero ‖x∥‖, and L3-beta asserted "the β rules differ" for cases
/// outside its premise. Each now passes, from its seed and from its replay token; the faults those claims
/// exist for still fail them (MutantShrinkReplayTests: S0-support by noise at the last step; `ggd mutants`:
/// L3-beta by both β faults).
@Suite struct FalseFailureTests {
    @Test(arguments: [("S0-support", UInt64(1007)), ("S0-support", 1025), ("S0-support", 1039), ("S0-support", 424242), ("L3-beta", 1012)])
    func freshSeedsAtFullPass(_ id: String, _ seed: UInt64) throws {
        var profile = try Profile.named("full", seed: seed)
        profile.shrinkEvaluations = 0
        let result = Runner(profile: profile, familySize: Catalog.familySize, store: nil).run(try Catalog.property(named: id))
        #expect(result.passed == true, "\(id) at full, seed \(seed): \(result.failures.first.map { "\($0.shrunkSetting)" } ?? "")")
    }

    @Test(arguments: ["ggd1:S0-support:512:0.0:AAAAAd235IYDANjt_fIG", "ggd1:L3-beta:1:0.0:AwABAKzsovYDy7cCAOip48UE"])
    func replayTokensPass(_ text: String) throws {
        let token = try ReplayToken(parsing: text)
        let (result, fails) = Runner.replay(token, property: try Catalog.property(named: token.property))
        #expect(!fails, "\(text): \(result.evidence.map { "\($0.measured ?? .nan) vs \($0.tolerance ?? .nan): \($0.note)" } ?? result.error ?? "")")
    }
}
