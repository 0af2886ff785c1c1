import Compute
import Foundation
import Testing
import NumPyIO
import Randomness
import Diffusion
@testable import ScoreNetwork

/// Hostile training checkpoints (issue 7): corrupt, truncated and inconsistent files each give a
/// `TrainingError` that names the file and the problem — never a trap, a hang or a huge allocation.
@Suite struct CheckpointFuzzTests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ggd-ckfuzz-\(UUID().uuidString)-\(name)").path
    }

    /// A valid checkpoint's arrays (no training: a fresh network and Adam at step 3), in archive order.
    static func validArrays() throws -> [(name: String, array: NumPyArray)] {
        let architecture = try NetworkArchitecture(dimension: 3, width: 8, blocks: 1)
        let configuration = TrainingConfiguration(architecture: architecture, points: 64, epochs: 2, batchSize: 16, learningRate: 1e-3,
                                                  steps: 20, seed: 3)
        let network = EpsilonNetwork<Float>(architecture: architecture, seed: 3)
        let adam = try Adam<Float>(restoring: 3, firstMoment: [Float](repeating: 0.01, count: network.parameterCount),
                                   secondMoment: [Float](repeating: 0.02, count: network.parameterCount),
                                   learningRate: 1e-3, beta1: 0.9, beta2: 0.99, epsilon: 1e-8)
        let path = temporaryPath("valid.npz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TrainingCheckpoint.write(TrainingState(network: network, optimizer: adam, epochsDone: 1, epochLosses: [0.9]),
                                     configuration: configuration, to: path)
        return try NPZArchive.readOrdered(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// Reads `arrays` written as a checkpoint; the error's description, or nil if it read.
    static func readError(_ arrays: [(name: String, array: NumPyArray)]) throws -> String? {
        let path = temporaryPath("ckpt.npz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NPZArchive.write(arrays.map { ($0.name, $0.array) }, to: path)
        return readError(path: path)
    }

    static func readError(path: String) -> String? {
        do {
            _ = try TrainingCheckpoint.read(path)
            return nil
        } catch let error as TrainingError {
            let text = "\(error)"
            #expect(text.hasPrefix(path + ": "), "the error names the file: \(text)")
            #expect(!text.contains("\n"), "one line: \(text)")
            return text
        } catch {
            Issue.record("TrainingCheckpoint.read threw \(type(of: error)): \(error)")
            return "\(error)"
        }
    }

    static func configurationJSON(_ edit: (inout [String: Any]) -> Void) throws -> NumPyArray {
        let arrays = try validArrays()
        let bytes = try #require(arrays.first { $0.name == "configuration" }?.array.values(as: UInt8.self))
        var object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        edit(&object)
        return NumPyArray([UInt8](try JSONSerialization.data(withJSONObject: object)))
    }

    /// The edits of a valid checkpoint and a fragment its error must contain.
    static func edits() throws -> [(what: String, edit: [String: NumPyArray?], fragment: String)] {
        let n = try validArrays().first { $0.name == "params" }!.array.count
        var nanParams = [Float](repeating: 0.1, count: n)
        nanParams[7] = .nan
        var nanMoment = [Float](repeating: 0.1, count: n)
        nanMoment[n - 1] = .nan
        var negativeMoment = [Float](repeating: 0.1, count: n)
        negativeMoment[0] = -1
        func config(_ key: String, _ value: Any) throws -> NumPyArray { try configurationJSON { $0[key] = value } }
        func architecture(_ key: String, _ value: Int) throws -> NumPyArray {
            try configurationJSON { o in
                var a = o["architecture"] as! [String: Any]
                a[key] = value
                o["architecture"] = a
            }
        }
        return [
            ("missing params", ["params": nil], "no 'params'"),
            ("missing format", ["format": nil], "no 'format'"),
            ("missing configuration", ["configuration": nil], "no 'configuration'"),
            ("missing epochs_done", ["epochs_done": nil], "no 'epochs_done'"),
            ("missing epoch_losses", ["epoch_losses": nil], "no 'epoch_losses'"),
            ("missing adam.step", ["adam.step": nil], "adam.step"),
            ("missing adam.exp_avg_sq", ["adam.exp_avg_sq": nil], "adam.exp_avg_sq"),
            ("wrong format", ["format": NumPyArray(Array("ggd-checkpoint-9".utf8))], "unknown checkpoint format"),
            ("format as float", ["format": NumPyArray([1.0])], "unknown checkpoint format"),
            ("too few params", ["params": NumPyArray([Float](repeating: 0, count: n - 1))], "parameters, got \(n - 1)"),
            ("too many params", ["params": NumPyArray([Float](repeating: 0, count: n + 5))], "parameters, got \(n + 5)"),
            ("params float64", ["params": NumPyArray([Double](repeating: 0, count: n))], "'params' must be float32"),
            ("params int", ["params": NumPyArray([Int32](repeating: 0, count: n))], "'params' must be float32"),
            ("NaN params", ["params": NumPyArray(nanParams)], "NaN"),
            ("NaN first moment", ["adam.exp_avg": NumPyArray(nanMoment)], "Adam moments must be finite"),
            ("negative second moment", ["adam.exp_avg_sq": NumPyArray(negativeMoment)], "Adam moments must be finite"),
            ("moment length", ["adam.exp_avg": NumPyArray([Float](repeating: 0, count: 4))], "Adam moments have 4"),
            ("both moments short", ["adam.exp_avg": NumPyArray([Float](repeating: 0, count: 4)),
                                    "adam.exp_avg_sq": NumPyArray([Float](repeating: 0, count: 4))], "optimiser state has 4 entries"),
            ("negative step", ["adam.step": NumPyArray(scalar: Int64(-1))], "non-negative"),
            ("huge step", ["adam.step": NumPyArray(scalar: Int64.max)], "implausibly large"),
            ("float step", ["adam.step": NumPyArray(scalar: 3.0)], "adam.step"),
            ("NaN lr", ["adam.lr": NumPyArray(scalar: Double.nan)], "learning rate"),
            ("NaN eps", ["adam.eps": NumPyArray(scalar: Double.nan)], "epsilon"),
            ("three betas", ["adam.betas": NumPyArray([0.9, 0.99, 0.5])], "two numbers"),
            ("beta one", ["adam.betas": NumPyArray([1.0, 0.99])], "betas"),
            ("negative epochs", ["epochs_done": NumPyArray(scalar: Int64(-2))], "'epochs_done' must be a non-negative integer"),
            ("float epochs", ["epochs_done": NumPyArray(scalar: 1.0)], "'epochs_done'"),
            ("losses count", ["epoch_losses": NumPyArray([0.5, 0.4, 0.3])], "'epoch_losses' holds 3 values for 1 epochs"),
            ("configuration float", ["configuration": NumPyArray([1.0, 2.0])], "'configuration' must be uint8 JSON"),
            ("configuration not JSON", ["configuration": NumPyArray(Array("{\"architecture\": {\"dim".utf8))], "unreadable configuration"),
            ("configuration empty", ["configuration": NumPyArray([UInt8]())], "unreadable configuration"),
            ("configuration wrong type", ["configuration": try config("points", "many")], "unreadable configuration"),
            ("configuration missing key", ["configuration": try configurationJSON { $0["architecture"] = nil }], "unreadable configuration"),
            ("configuration zero steps", ["configuration": try config("steps", 0)], "invalid configuration"),
            ("configuration NaN-ish lr", ["configuration": try config("learningRate", -1)], "invalid configuration"),
            ("width overflow", ["configuration": try architecture("width", 1 << 40)], "too large"),
            ("dimension Int.max", ["configuration": try architecture("dimension", Int.max)], "too large"),
            ("negative width", ["configuration": try architecture("width", -8)], "width must be at least 1"),
            ("huge but representable network", ["configuration": try architecture("dimension", 1 << 30)], "parameters, got \(n)"),
        ]
    }

    /// Input class: a valid checkpoint with one array removed, replaced or made inconsistent (missing
    /// arrays, wrong parameter count, wrong dtype, NaN parameters or Adam moments, negative or absurd Adam
    /// step, malformed or hostile configuration JSON): each is a one-line error naming the file and problem.
    @Test func inconsistentCheckpointsNameTheProblem() throws {
        let valid = try Self.validArrays()
        #expect(try Self.readError(valid) == nil)
        for (what, edit, fragment) in try Self.edits() {
            var arrays = valid.filter { edit[$0.name] == nil }
            for (name, replacement) in edit {
                if let replacement { arrays.append((name, replacement)) }
            }
            let error = try Self.readError(arrays)
            #expect(error?.contains(fragment) == true, "\(what): \(error ?? "read without error")")
        }
    }

    /// Input class: the checkpoint file itself, truncated at 20 lengths and with 120 seeded sets of 1–3
    /// random byte edits (flips, inserts, deletions): each reads or gives a `TrainingError` naming the file.
    @Test func corruptCheckpointFilesAreErrors() throws {
        let valid = NPZArchive.bytes(try Self.validArrays().map { ($0.name, $0.array) })
        let path = Self.temporaryPath("corrupt.npz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for k in 0..<20 {
            try Data(valid.prefix(k * valid.count / 20)).write(to: URL(fileURLWithPath: path))
            #expect(Self.readError(path: path) != nil, "truncated to \(k * valid.count / 20) bytes")
        }
        var rng = SequentialGenerator(StreamKey(seed: 7002, purpose: .generation, index: 0))
        for _ in 0..<120 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                case 1: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
                default: bytes.remove(at: at)
                }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            _ = Self.readError(path: path)
        }
    }

    /// Input class: network shapes whose parameter count overflows `Int` (from a configuration file):
    /// refused by the architecture itself rather than trapping when the count is computed.
    @Test func overflowingArchitecturesAreRefused() throws {
        for (d, w, b) in [(Int.max, 1, 0), (Int.max - 100, 1, 0), (1, 1 << 40, 0), (1, 1 << 32, 1), (1 << 62, 4, 0), (1, 2, Int.max), (1, 1 << 31, 1 << 20)] {
            #expect(throws: NetworkError.self, "D \(d), width \(w), blocks \(b)") { try NetworkArchitecture(dimension: d, width: w, blocks: b) }
        }
        let big = try NetworkArchitecture(dimension: 1 << 20, width: 1 << 10, blocks: 4)
        #expect(big.parameterCount == (big.inputWidth + 1) * (1 << 10) + 4 * ((1 << 10) + 1) * (1 << 10) + ((1 << 10) + 1) * (1 << 20))
    }
}
