import Foundation
import Testing

/// `ggd sensitivity` from the command line (its own processes: a graded fault is never switched on
/// inside the in-process suites). Each graded fault reaches its site and some claim catches it when
/// large; the noise-scale fault below the ci profile's resolution passes, which is what the table reports.
@Suite struct SensitivityCommandTests {
    struct Scan: Decodable {
        struct Row: Decodable {
            struct Trial: Decodable { let size: Double; let killedBy: [String] }
            let fault: String
            let trials: [Trial]
        }
        let profile: String
        let rows: [Row]
    }

    static func scan(_ fault: String, _ sizes: [Double], properties: [String]) throws -> (Scan, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ggd-sensitivity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = dir.appendingPathComponent("out.json").path
        var arguments = ["sensitivity", "--fault", fault, "--json", json, "--quiet"]
        for s in sizes { arguments += ["--size", "\(s)"] }
        for p in properties { arguments += ["--property", p] }
        let r = try CommandRunner.run(arguments)
        #expect(r.status == 0, "\(r.stderr)")
        return (try JSONDecoder().decode(Scan.self, from: Data(contentsOf: URL(fileURLWithPath: json))), r.stdout)
    }

    /// One claim per graded fault that must catch it at a size well above the ci resolution (measured:
    /// noise-scale 0.03 by L3-draws; β and y at 10⁻⁶ by L3-rate and T3-bounded; ᾱ at 1 by T3-bounded).
    static let catchers: [(fault: String, size: Double, property: String)] = [
        ("noise-scale", 0.3, "L3-draws"),
        ("beta-scale", 0.01, "L3-rate"),
        ("target-shift", 0.01, "L3-rate"),
        ("alpha-bar-interpolation", 1, "T3-bounded"),
    ]

    @Test("a large graded fault is caught by its claim", arguments: 0..<4)
    func aLargeFaultIsCaught(_ i: Int) throws {
        let c = Self.catchers[i]
        let (scan, table) = try Self.scan(c.fault, [c.size], properties: [c.property])
        #expect(scan.profile == "ci" && scan.rows.count == 1 && scan.rows[0].fault == c.fault)
        #expect(scan.rows[0].trials.map(\.size) == [c.size])
        #expect(scan.rows[0].trials[0].killedBy == [c.property], "\(table)")
    }

    @Test func aFaultBelowTheResolutionPassesAndTheScanGoesOnUntilCaught() throws {
        // 0.1% on the noise sd is below what 4 cases of 8000 draws resolve (about 5%); 30% is far above.
        let (scan, table) = try Self.scan("noise-scale", [0.3, 0.001], properties: ["L3-draws"])
        let trials = scan.rows[0].trials
        #expect(trials.map(\.size) == [0.001, 0.3], "sizes run smallest first")
        #expect(trials[0].killedBy.isEmpty && trials[1].killedBy == ["L3-draws"], "\(table)")
        #expect(table.contains("noise-scale") && table.contains("0.3") && table.contains("L3-draws"))
    }

    @Test func badInputsAreUsageErrors() throws {
        for arguments in [["sensitivity", "--fault", "no-such-fault"], ["sensitivity", "--size", "0"], ["sensitivity", "--size", "nan"],
                          ["sensitivity", "--property", "nope"], ["sensitivity", "--profile", "huge"]] {
            let r = try CommandRunner.run(arguments)
            #expect(r.status == 64, "\(arguments): \(r.status) \(r.stderr)")
        }
    }

    @Test func listNamesEveryGradedFaultWithItsSizes() throws {
        let r = try CommandRunner.run(["sensitivity", "--list"])
        #expect(r.status == 0)
        for f in ["noise-scale", "beta-scale", "target-shift", "alpha-bar-interpolation"] { #expect(r.stdout.contains(f)) }
        #expect(r.stdout.contains("sizes"))
    }
}
