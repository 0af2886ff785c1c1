import Foundation
import Testing
import LinearAlgebra
import NumPyIO
import Guidance
@testable import Experiments

/// Settings files: JSON and .npz read into the same setting; every bad input is a clear error.
@Suite struct SettingFileTests {
    func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ggd-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func json(_ text: String) throws -> String { try temporaryFile("setting.json", Array(text.utf8)) }

    @Test func minimalJSONUsesDefaults() throws {
        let s = try SettingFile.load(path: try json(#"{"data": {"D": 10, "d": 3, "basis_seed": 5}, "objective": {"kind": "f1", "theta": [1,0,0,0,0,0,0,0,0,0]}}"#))
        #expect(s.data.ambientDimension == 10)
        #expect(s.data.latentDimension == 3)
        #expect(s.guidance.sigma == 0.1)
        #expect(s.guidance.betaRule == "code")
        #expect(s.diffusion.steps == 200)
        let r = try ResolvedExperiment(s)
        #expect(r.subspace?.basis.columns == 3)
    }

    @Test func jsonRoundTripThroughOutputLayout() throws {
        let original = try PaperSetting.linear(objective: "f2", variant: .two)
        let text = try ResultEncoding.json(SettingFile.jsonObject(original))
        let reread = try SettingFile.load(path: try json(text))
        #expect(reread.data == original.data)
        #expect(reread.objective.center == original.objective.center)
        #expect(reread.objective.kind == "f2")
        #expect(reread.guidance == original.guidance)
        #expect(reread.diffusion == original.diffusion)
    }

    @Test func mixtureJSON() throws {
        let s = try SettingFile.load(path: try json("""
            {"data": {"D": 4, "d": 2, "basis_seed": 1,
                      "mixture": {"weights": [0.5, 0.5], "means": [[1, 0], [-1, 0]], "covariances": [[[1, 0], [0, 1]], [[0.5, 0], [0, 0.5]]]}},
             "objective": {"kind": "linear", "theta": [1, 1, 1, 1]}, "guidance": {"beta_rule": "theory", "sigma": 0.3},
             "diffusion": {"schedule": "linear", "T": 50}}
            """))
        let r = try ResolvedExperiment(s)
        #expect(try r.scoreModel(.exact, seed: 1) is MixtureScore)
        #expect(r.beta == .theory(sigma: 0.3))
        #expect(r.schedule.steps == 50)
    }

    @Test func npzSettingAndPaperFile() throws {
        let a = try SubspaceDataModel.randomBasis(ambient: 6, latent: 2, seed: 3)
        let bytes = NPZArchive.bytes([
            ("A", try NumPyArray(a.transposed.elements, shape: [2, 6])),                 // stored d×D, as the paper does
            ("theta", try NumPyArray([1.0, 2, 3, 4, 5, 6], shape: [6])),
            ("T", NumPyArray(scalar: Int64(30))),
            ("beta_rule_code", NumPyArray(scalar: Int64(1))),
        ])
        let s = try SettingFile.load(path: try temporaryFile("s.npz", bytes))
        #expect(s.data.ambientDimension == 6 && s.data.latentDimension == 2)
        #expect(s.diffusion.steps == 30)
        #expect(s.guidance.betaRule == "theory")
        let paper = Self.paperFile
        let p = try SettingFile.load(path: paper)
        #expect(p.data.ambientDimension == 64 && p.objective.kind == "f1")
    }

    static let paperFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/Experiments/PaperFiles/linear_latent_hyperparameters.npz").standardized.path

    /// Each bad setting gives an error whose one-line message names the problem.
    @Test(arguments: [
        (#"{"data": {"D": 3, "d": 5}}"#, "exceeds ambient dimension"),
        (#"{"diffusion": {"T": 0}}"#, "at least 1"),
        (#"{"guidance": {"sigma": 0}, "objective": {"kind": "linear", "theta": [1,1,1,1]}, "data": {"D": 4, "d": 2}}"#, "σ must be positive"),
        (#"{"guidance": {"sigma": -2}, "objective": {"kind": "linear", "theta": [1,1,1,1]}, "data": {"D": 4, "d": 2}}"#, "σ must be positive"),
        (#"{"guidance": {"beta_rule": "magic"}, "objective": {"kind": "linear", "theta": [1,1,1,1]}, "data": {"D": 4, "d": 2}}"#, "beta_rule must be"),
        (#"{"diffusion": {"schedule": "sqrt"}}"#, "schedule must be"),
        (#"{"objective": {"kind": "f7"}}"#, "objective.kind must be"),
        (#"{"objective": {"kind": "f1", "theta": [1, 2]}}"#, "theta has 2 entries"),
        (#"{"data": {"D": 4, "d": 2, "mu_u": [0, 0, 0]}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#, "mu_u has 3 entries"),
        (#"{"data": {"D": 4, "d": 2, "Sigma_u": [[1, 2], [2, 1]]}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#, "data.Sigma_u is not positive definite"),
        (#"{"data": {"D": 4, "d": 2, "A": [[1, 0], [1, 0], [0, 1], [0, 0]]}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#, "orthonormal"),
        (#"{"colour": "blue"}"#, "unknown key 'colour'"),
        (#"{"data": {"D": "ten"}}"#, "data.D must be a number, got a string"),
        (#"[1, 2, 3]"#, "top level must be a JSON object"),
        (#"{"data": "#, "not valid JSON"),
    ])
    func badJSON(text: String, expected: String) throws {
        let path = try json(text)
        do {
            _ = try SettingFile.load(path: path)
            Issue.record("accepted a bad setting: \(text)")
        } catch {
            let message = "\(error)"
            #expect(message.contains(expected), "message was: \(message)")
            #expect(!message.contains("\n"), "message should be one line: \(message)")
        }
    }

    @Test func nanInNPZIsRejected() throws {
        let bytes = NPZArchive.bytes([("D", NumPyArray(scalar: Int64(4))), ("d", NumPyArray(scalar: Int64(2))),
                                      ("theta", try NumPyArray([1.0, .nan, 0, 0], shape: [4]))])
        #expect(throws: SettingError.self) { try SettingFile.load(path: try temporaryFile("nan.npz", bytes)) }
    }

    @Test func missingAndMalformedFiles() throws {
        #expect(throws: InputFileError.self) { try SettingFile.load(path: "/nonexistent/setting.npz") }
        #expect(throws: InputFileError.self) { try SettingFile.load(path: "/nonexistent/setting.json") }
        let broken = try temporaryFile("broken.npz", Array("PK\u{3}\u{4} this is not a zip".utf8))
        do {
            _ = try SettingFile.load(path: broken)
            Issue.record("accepted a malformed .npz")
        } catch {
            #expect("\(error)".contains("broken.npz"))
        }
    }
}
