import Foundation
import Experiments

/// Where a study run came from, recorded in its results.json.
public struct StudyProvenance: Encodable, Sendable {
    public var seed: UInt64
    /// The seeds of the study's draws (the training seed alone when one seed ran).
    public var seeds: [UInt64] = []
    public var roundScale: Double
    public var epochs: Int
    public var threads: Int
    public var backend: String
    public var checkpoint: String?
    public var sphereCheckpoint: String?
    /// Each part's network, by part (linear, sphere).
    public var networks: [String: String] = [:]
    /// The folder each seed's results were kept in (`--seed-results`), if any.
    public var seedResults: String?
    /// Each seed's part: how it was measured (wall seconds, OpenBLAS core) and whether this run measured
    /// it or read it from `seedResults`.
    public var seedRuns: [[String: String]] = []
    public var wallSeconds: Double
    public var openblasCore: String
    public let toolVersion = ToolVersion.string

    public init(seed: UInt64, roundScale: Double, epochs: Int, threads: Int, backend: String, checkpoint: String?, sphereCheckpoint: String?,
                wallSeconds: Double, openblasCore: String) {
        (self.seed, self.roundScale, self.epochs, self.threads, self.backend) = (seed, roundScale, epochs, threads, backend)
        (self.checkpoint, self.sphereCheckpoint, self.wallSeconds, self.openblasCore) = (checkpoint, sphereCheckpoint, wallSeconds, openblasCore)
    }

    enum CodingKeys: String, CodingKey {
        case seed, seeds, roundScale = "round_scale", epochs, threads, backend, checkpoint, sphereCheckpoint = "sphere_checkpoint",
             wallSeconds = "wall_seconds", openblasCore = "openblas_core", toolVersion = "tool_version", networks, seedResults = "seed_results", seedRuns = "seed_runs"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seed, forKey: .seed)
        try c.encode(seeds.isEmpty ? [seed] : seeds, forKey: .seeds)
        try c.encode(roundScale, forKey: .roundScale)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(threads, forKey: .threads)
        try c.encode(backend, forKey: .backend)
        try c.encode(JSONNullable(checkpoint), forKey: .checkpoint)
        try c.encode(JSONNullable(sphereCheckpoint), forKey: .sphereCheckpoint)
        try c.encode(networks, forKey: .networks)
        try c.encode(JSONNullable(seedResults), forKey: .seedResults)
        try c.encode(seedRuns, forKey: .seedRuns)
        try c.encode(wallSeconds, forKey: .wallSeconds)
        try c.encode(openblasCore, forKey: .openblasCore)
        try c.encode(toolVersion, forKey: .toolVersion)
    }
}

/// A study's results.json: every number, every figure's series with its settings, and the provenance.
public struct StudyRecord: Encodable, Sendable {
    public struct Figure: Encodable, Sendable {
        public struct Line: Encodable, Sendable {
            let name: String
            let x: [JSONNumber]
            let y: [JSONNumber]
            /// The band over seeds (absent for one seed).
            let lower: [JSONNumber]?
            let upper: [JSONNumber]?
        }

        let id, title, xLabel, yLabel: String
        let settings: [String: String]
        let series: [Line]

        enum CodingKeys: String, CodingKey { case id, title, xLabel = "x_label", yLabel = "y_label", settings, series }
    }

    let numbers: [String: JSONNumber]
    let figures: [Figure]
    let provenance: StudyProvenance

    public init(_ results: SimulationStudy.Results, provenance: StudyProvenance) {
        numbers = results.numbers.mapValues(JSONNumber.init)
        figures = results.figures.map { f in
            Figure(id: f.id, title: f.title, xLabel: f.xLabel, yLabel: f.yLabel, settings: f.settings,
                   series: f.series.map { Figure.Line(name: $0.name, x: JSONNumber.list($0.x), y: JSONNumber.list($0.y),
                                                      lower: $0.lower.map(JSONNumber.list), upper: $0.upper.map(JSONNumber.list)) })
        }
        self.provenance = provenance
    }
}

/// Writes a study's results as JSON (every number and figure, with settings) and one CSV per figure.
public enum StudyOutput {
    /// `perSeed` (seed k's results, in `provenance.seeds` order) adds per_seed.csv: every number of every
    /// seed, one row a number, so an interval can be checked by hand.
    public static func files(_ results: SimulationStudy.Results, provenance: StudyProvenance, perSeed: [SimulationStudy.Results] = []) throws -> [(String, String)] {
        var out = [(String, String)]()
        if perSeed.count > 1 {
            let seeds = provenance.seeds.count == perSeed.count ? provenance.seeds.map(String.init) : perSeed.indices.map { "run\($0 + 1)" }
            var csv = "number," + seeds.map { "seed_\($0)" }.joined(separator: ",") + "\n"
            for key in Set(perSeed.flatMap(\.numbers.keys)).sorted() {
                csv += key + "," + perSeed.map { $0.numbers[key].map { "\($0)" } ?? "" }.joined(separator: ",") + "\n"
            }
            out.append(("per_seed.csv", csv))
        }
        for f in results.figures {
            let banded = f.series.contains { $0.lower != nil }
            var csv = banded ? "series,x,y,lower,upper\n" : "series,x,y\n"
            for s in f.series {
                let name = s.name.contains(",") ? "\"\(s.name)\"" : s.name
                for k in 0..<min(s.x.count, s.y.count) {
                    csv += "\(name),\(s.x[k]),\(s.y[k])"
                    if banded { csv += ",\(s.lower.map { "\($0[k])" } ?? ""),\(s.upper.map { "\($0[k])" } ?? "")" }
                    csv += "\n"
                }
            }
            out.append(("\(f.id).csv", csv))
        }
        out.insert(("results.json", try ResultJSON.string(StudyRecord(results, provenance: provenance))), at: 0)
        return out
    }
}
