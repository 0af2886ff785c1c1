import Foundation
import Testing
import Experiments
import Reproduction

/// Each seed's results kept on disk (`ggd reproduce --seed-results`): they come back exactly, non-finite
/// numbers included, and a file measured under other settings, of another seed, or not a stored seed at
/// all is refused with its name rather than mixed into the study.
@Suite struct SeedResultStoreTests {
    static func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seed-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static let results = SimulationStudy.Results(
        numbers: ["alg1_G_final_r_off": 0.1234567890123456789, "peak": -3e-300, "empty": .nan, "huge": .infinity],
        figures: [FigureData(id: "roff_rounds", title: "t", xLabel: "round", yLabel: "r_off",
                             series: [Series(name: "G, δ = 0.9", x: [0, 1, 2], y: [0.1, 0.2, 1.0 / 3]),
                                      Series(name: "band", x: [0], y: [1], lower: [0.5], upper: [1.5])],
                             settings: ["rounds": "3"])])

    @Test func storedResultsComeBackBitForBit() throws {
        let store = SeedResultStore(folder: try Self.folder(), settings: ["round_scale": "1.0", "network": "mlp-512x4-v"])
        #expect(try store.load(seed: 7, part: .linear) == nil)
        try store.save(Self.results, seed: 7, part: .linear)
        let back = try #require(try store.load(seed: 7, part: .linear))
        #expect(back.numbers.count == Self.results.numbers.count)
        for (key, value) in Self.results.numbers {
            #expect(back.numbers[key]?.bitPattern == value.bitPattern || (value.isNaN && back.numbers[key]!.isNaN), "\(key)")
        }
        #expect(back.figures == Self.results.figures)
        #expect(try store.load(seed: 7, part: .sphere) == nil, "another part of the same seed is not stored")
        // How a seed was measured is kept beside it, and is not a setting that must match.
        try store.save(Self.results, seed: 8, part: .sphere, measured: ["wall_seconds": "12.5", "openblas_core": "Haswell"])
        let other = SeedResultStore(folder: store.folder, settings: store.settings)
        #expect(try other.loadStored(seed: 8, part: .sphere)?.measured == ["wall_seconds": "12.5", "openblas_core": "Haswell"])
        #expect(try other.loadStored(seed: 7, part: .linear)?.measured == [:])
    }

    /// Files written before the measurement record existed still load.
    @Test func aFileWithoutTheMeasurementRecordLoads() throws {
        let store = SeedResultStore(folder: try Self.folder(), settings: ["round_scale": "1.0"])
        let json = #"{"part":"linear","results":{"figures":[],"numbers":{"x":1.5}},"seed":3,"settings":{"round_scale":"1.0"},"tool_version":"0.1.0"}"#
        try Data(json.utf8).write(to: URL(fileURLWithPath: store.path(seed: 3, part: .linear)))
        let stored = try #require(try store.loadStored(seed: 3, part: .linear))
        #expect(stored.results.numbers == ["x": 1.5] && stored.measured.isEmpty)
    }

    @Test func otherSettingsAnotherSeedOrAForeignFileAreRefused() throws {
        let dir = try Self.folder()
        try SeedResultStore(folder: dir, settings: ["round_scale": "1.0"]).save(Self.results, seed: 1, part: .sphere)
        #expect(throws: OutputError.self) { try SeedResultStore(folder: dir, settings: ["round_scale": "0.5"]).load(seed: 1, part: .sphere) }
        do {
            _ = try SeedResultStore(folder: dir, settings: ["round_scale": "0.5"]).load(seed: 1, part: .sphere)
        } catch {
            #expect("\(error)".contains("round_scale = 1.0") && "\(error)".contains("0.5") && "\(error)".contains("seed-1-sphere.json"), "\(error)")
        }
        // A setting the file lacks counts as a difference too.
        #expect(throws: OutputError.self) { try SeedResultStore(folder: dir, settings: ["round_scale": "1.0", "backend": "host"]).load(seed: 1, part: .sphere) }
        // A file renamed to another seed's name is caught by the seed it records.
        let store = SeedResultStore(folder: dir, settings: ["round_scale": "1.0"])
        try FileManager.default.copyItem(atPath: store.path(seed: 1, part: .sphere), toPath: store.path(seed: 2, part: .sphere))
        #expect(throws: OutputError.self) { try store.load(seed: 2, part: .sphere) }
        try Data("{\"not\": \"a seed\"}".utf8).write(to: URL(fileURLWithPath: store.path(seed: 3, part: .linear)))
        #expect(throws: OutputError.self) { try store.load(seed: 3, part: .linear) }
    }

    @Test func theFingerprintTellsFilesApart() throws {
        let dir = try Self.folder()
        let a = FilePaths.join(dir, "a.bin"), b = FilePaths.join(dir, "b.bin")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: a))
        try Data([1, 2, 4]).write(to: URL(fileURLWithPath: b))
        #expect(try SeedResultStore.fingerprint(ofFile: a) != SeedResultStore.fingerprint(ofFile: b))
        // FNV-1a 64 of the empty input is its offset basis.
        try Data().write(to: URL(fileURLWithPath: b))
        #expect(try SeedResultStore.fingerprint(ofFile: b) == "cbf29ce484222325")
    }
}
