import Experiments
import Foundation

/// Each seed's results of a long study, kept on disk the moment the seed finishes: a five-seed study at
/// the paper's round counts runs for hours, and an interrupted run then resumes from the seeds it has,
/// while the linear-latent and sphere parts may run in separate processes and be combined afterwards.
///
/// A file is `seed-<seed>-<part>.json`, written atomically. It records the settings it was measured under
/// (round scale, backend, the network and a fingerprint of its checkpoint); a file whose settings differ
/// from this run's is an error naming the difference, never silently reused.
public struct SeedResultStore {
    public let folder: String
    /// What must match for a stored seed to count as this run's: name → value.
    public let settings: [String: String]

    public init(folder: String, settings: [String: String]) {
        self.folder = folder
        self.settings = settings
    }

    /// The parts a study has: the linear-latent experiments and the sphere sweep.
    public enum Part: String, Sendable, CaseIterable { case linear, sphere }

    /// Creates the folder if needed, so that a folder that cannot be written fails before hours of work,
    /// not at the first seed's end.
    public func prepare() throws {
        switch FilePaths.kind(of: folder) {
        case .folder: break
        case .file: throw OutputError("'\(folder)' is a file; --seed-results needs a folder")
        case .absent:
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                // Foundation's reason is vague ("could not be completed"): name the ancestor that is in the way.
                var ancestor = FilePaths.parent(of: folder)
                while FilePaths.kind(of: ancestor) == .absent && ancestor != FilePaths.parent(of: ancestor) { ancestor = FilePaths.parent(of: ancestor) }
                let why = FilePaths.kind(of: ancestor) == .file ? "'\(ancestor)' is a file" : "'\(ancestor)' is not writable"
                throw OutputError("cannot create the folder '\(folder)' for the seeds' results: \(why)")
            }
        }
        guard access(folder, W_OK) == 0 else { throw OutputError("cannot write in '\(folder)' (the seeds' results go there)") }
    }

    public func path(seed: UInt64, part: Part) -> String { FilePaths.join(folder, "seed-\(seed)-\(part.rawValue).json") }

    struct Record: Codable {
        let seed: UInt64
        let part: String
        let settings: [String: String]
        /// How the seed was measured (wall seconds, OpenBLAS core, …): recorded, not matched. Absent in
        /// files written before it existed.
        let measured: [String: String]?
        let results: SimulationStudy.Results
        let toolVersion: String
        enum CodingKeys: String, CodingKey { case seed, part, settings, measured, results, toolVersion = "tool_version" }
    }

    /// A stored seed: its results and how it was measured (empty for files that predate the record).
    public struct Stored {
        public let results: SimulationStudy.Results
        public let measured: [String: String]
    }

    static let nonFinite = (positive: "inf", negative: "-inf", nan: "nan")

    /// The stored results of `seed`'s `part`, or nil when none are stored. Throws when the file is
    /// unreadable, malformed, of another seed or part, or measured under other settings.
    public func load(seed: UInt64, part: Part) throws -> SimulationStudy.Results? { try loadStored(seed: seed, part: part)?.results }

    /// `load` with how the seed was measured.
    public func loadStored(seed: UInt64, part: Part) throws -> Stored? {
        let file = path(seed: seed, part: part)
        guard FilePaths.kind(of: file) != .absent else { return nil }
        let data = try InputFiles.read(file)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: Self.nonFinite.positive,
                                                                        negativeInfinity: Self.nonFinite.negative, nan: Self.nonFinite.nan)
        let record: Record
        do { record = try decoder.decode(Record.self, from: data) } catch {
            throw OutputError("'\(file)' is not a stored seed of ggd reproduce (\(error.localizedDescription)); move it away or choose another --seed-results folder")
        }
        guard record.seed == seed, record.part == part.rawValue else {
            throw OutputError("'\(file)' holds seed \(record.seed)'s \(record.part) part, not seed \(seed)'s \(part.rawValue) part")
        }
        for key in Set(settings.keys).union(record.settings.keys).sorted() where settings[key] != record.settings[key] {
            throw OutputError("'\(file)' was measured with \(key) = \(record.settings[key] ?? "(unset)"), this run has \(settings[key] ?? "(unset)"); "
                              + "give another --seed-results folder, or remove the file to measure it again")
        }
        return Stored(results: record.results, measured: record.measured ?? [:])
    }

    /// Stores `results` as `seed`'s `part`, replacing an earlier file of the same seed and part; `measured`
    /// says how it was measured (kept, never matched).
    public func save(_ results: SimulationStudy.Results, seed: UInt64, part: Part, measured: [String: String] = [:]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: Self.nonFinite.positive,
                                                                      negativeInfinity: Self.nonFinite.negative, nan: Self.nonFinite.nan)
        let data = try encoder.encode(Record(seed: seed, part: part.rawValue, settings: settings, measured: measured, results: results,
                                                toolVersion: ToolVersion.string))
        try OutputFile(path: path(seed: seed, part: part), force: true).write(data)
    }

    /// FNV-1a (64-bit) of a file's bytes, in hex: enough to tell two checkpoints apart, not a security hash.
    public static func fingerprint(ofFile path: String) throws -> String {
        let data = try InputFiles.read(path, maximumBytes: 1 << 30)
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        data.withUnsafeBytes { raw in for byte in raw { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 } }
        return String(h, radix: 16)
    }
}
