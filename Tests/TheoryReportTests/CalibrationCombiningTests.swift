import Testing
@testable import TheoryReport

/// Chunks of a long calibration put together for the catalog as it is now: rows of an earlier revision
/// are never counted, a property's seeds may not be counted twice, and the family row joins chunks that
/// ran different properties over the same seeds through their failed-run records.
@Suite struct CalibrationCombiningTests {
    /// A catalog of two exact claims and one statistical claim at revision 2.
    let catalog = [Calibration.Entry(id: "A", kind: "exact", revision: 1), Calibration.Entry(id: "B", kind: "exact", revision: 1),
                   Calibration.Entry(id: "S", kind: "statistical", revision: 2)]

    func row(_ id: String, _ kind: String, runs: Int, fails: Int, revision: Int?, pValues: (Int, Int)? = nil) throws -> Calibration.Row {
        var r = try Calibration.row(id, kind, fails, runs, kind == "exact" ? 0 : 0.1)
        r.revision = revision
        (r.pValues, r.pValuesAtMost005) = (pValues?.0, pValues?.1)
        return r
    }

    func chunk(seed: UInt64, runs: Int, rows: [Calibration.Row], failed: [Calibration.FailedRun]?, family: Int? = nil) throws -> Calibration {
        var rows = rows
        if let family { rows.append(try Calibration.row("family", "all", family, runs, 0.2)) }
        return Calibration(profile: "full", level: 0.2, runs: runs, firstSeed: seed, rows: rows, pooledPValues: 0, shareBelow005: .nan,
                           shareBelow005Upper: .nan, failedRuns: failed)
    }

    @Test func staleRowsAreNotCountedAndTheFamilyJoinsChunksSeedBySeed() throws {
        // Old whole-catalog chunk (no records, S at revision 1): A and B count, S and its family do not.
        let old = try chunk(seed: 1, runs: 10, rows: [try row("A", "exact", runs: 10, fails: 0, revision: nil), try row("B", "exact", runs: 10, fails: 0, revision: nil),
                                                       try row("S", "statistical", runs: 10, fails: 3, revision: nil)], failed: nil, family: 3)
        // S at revision 2 over the same seeds, and a newer chunk of A and B with records, joined with S over seeds 11…15.
        let s = try chunk(seed: 1, runs: 15, rows: [try row("S", "statistical", runs: 15, fails: 2, revision: 2, pValues: (30, 2))],
                          failed: [.init(seed: 4, properties: ["S"]), .init(seed: 12, properties: ["S"])])
        let ab = try chunk(seed: 11, runs: 5, rows: [try row("A", "exact", runs: 5, fails: 0, revision: 1, pValues: (5, 1)), try row("B", "exact", runs: 5, fails: 1, revision: 1)],
                           failed: [.init(seed: 12, properties: ["B"]), .init(seed: 13, properties: ["B"])])
        let c = try Calibration.combined([old, s, ab], catalog: catalog)
        let byID = Dictionary(uniqueKeysWithValues: c.rows.map { ($0.property, $0) })
        #expect(byID["A"]?.runs == 15 && byID["B"]?.runs == 15 && byID["B"]?.falseFails == 1)
        #expect(byID["S"]?.runs == 15 && byID["S"]?.falseFails == 2 && byID["S"]?.revision == 2)
        // Family: only seeds 11…15 ran A, B and S-revision-2; seeds 12 (S and B) and 13 (B) failed.
        #expect(byID["family"]?.runs == 5 && byID["family"]?.falseFails == 2)
        #expect(c.notCounted?.contains { $0.hasPrefix("S revision 1 (now 2): 10 runs") } == true, "\(c.notCounted ?? [])")
        // Pooled p-values come from the chunks that recorded them per row: S's 30 and A's 5 from the newer
        // chunk (the old chunk's A recorded none).
        #expect(c.pooledPValues == 35 && abs(c.shareBelow005 - 3.0 / 35) < 1e-12)
        #expect(c.table().contains("not counted: S revision 1"))
    }

    @Test func aWholeCurrentChunkWithoutRecordsStillCountsItsFamily() throws {
        let rows = [try row("A", "exact", runs: 4, fails: 0, revision: 1), try row("B", "exact", runs: 4, fails: 0, revision: 1),
                    try row("S", "statistical", runs: 4, fails: 1, revision: 2)]
        let c = try Calibration.combined([try chunk(seed: 100, runs: 4, rows: rows, failed: nil, family: 1),
                                          try chunk(seed: 104, runs: 4, rows: rows, failed: nil, family: 1)], catalog: catalog)
        #expect(c.family?.runs == 8 && c.family?.falseFails == 2 && c.notCounted == nil)
        #expect(c.seedRanges == ["100…103", "104…107"])
    }

    @Test func aPropertyCountedTwiceOrAnAlreadyCombinedFileIsRefused() throws {
        let s = try chunk(seed: 1, runs: 5, rows: [try row("S", "statistical", runs: 5, fails: 0, revision: 2)], failed: [])
        let t = try chunk(seed: 5, runs: 5, rows: [try row("S", "statistical", runs: 5, fails: 0, revision: 2)], failed: [])
        #expect(throws: ReportError.self) { try Calibration.combined([s, t], catalog: catalog) }
        // Disjoint seeds for S, overlapping only for a stale row: accepted.
        let staleS = try chunk(seed: 3, runs: 5, rows: [try row("S", "statistical", runs: 5, fails: 0, revision: 1)], failed: [])
        let u = try chunk(seed: 6, runs: 5, rows: [try row("S", "statistical", runs: 5, fails: 0, revision: 2)], failed: [])
        #expect(try Calibration.combined([s, staleS, u], catalog: catalog).rows.first { $0.property == "S" }?.runs == 10)
        var combined = try Calibration.combined([s, u], catalog: catalog)
        combined.seedRanges = ["1…5", "6…10"]
        #expect(throws: ReportError.self) { try Calibration.combined([combined], catalog: catalog) }
        var other = u
        other.level = 0.1
        #expect(throws: ReportError.self) { try Calibration.combined([s, other], catalog: catalog) }
    }
}
