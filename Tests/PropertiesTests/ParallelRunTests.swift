import Testing
import PropertyEngine
import Properties

/// Mutation testing and calibration run a catalog's properties side by side (`Runner.runAll`): each
/// property's cases, evidence and verdict must be those of a run one at a time.
@Suite struct ParallelRunTests {
    @Test func sideBySideEqualsOneAtATime() {
        var profile = Profile.ci
        profile.shrinkEvaluations = 0
        let runner = Runner(profile: profile, familySize: Catalog.familySize, store: nil)
        let catalog = Catalog.properties()
        let sequential = catalog.map { runner.run($0) }
        let parallel = runner.runAll(catalog, threads: 2)
        #expect(parallel.map(\.id) == catalog.map(\.id))
        for (a, b) in zip(sequential, parallel) {
            #expect(a.passed == b.passed, "\(a.id)")
            #expect(a.cases.map(\.token) == b.cases.map(\.token), "\(a.id)")
            #expect(a.cases.map(\.setting) == b.cases.map(\.setting), "\(a.id)")
            #expect(a.cases.map(\.evidence?.measured) == b.cases.map(\.evidence?.measured), "\(a.id)")
            #expect(a.cases.map(\.evidence?.pValue) == b.cases.map(\.evidence?.pValue), "\(a.id)")
            #expect(a.cases.map(\.evidence?.numbers) == b.cases.map(\.evidence?.numbers), "\(a.id)")
        }
    }
}
