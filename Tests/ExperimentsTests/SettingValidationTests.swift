import Foundation
import Testing
import LinearAlgebra
import NumPyIO
import Guidance
@testable import Experiments

/// Hand-written settings: every problem is a one-line error naming the file once and the field, found
/// before any expensive work; nothing is trapped on, truncated, silently symmetrised or ignored; and every
/// setting `SettingFile.jsonObject` writes reads back equal.
@Suite struct SettingValidationTests {
    static func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ggd-validation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func json(_ text: String, name: String = "setting.json") throws -> String { try temporaryFile(name, Array(text.utf8)) }

    static func npz(_ arrays: [(String, NumPyArray)], name: String = "setting.npz") throws -> String {
        try temporaryFile(name, NPZArchive.bytes(arrays))
    }

    static func occurrences(of needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// Loads `path`, expecting a `SettingError` whose one line names the file exactly once and contains `expected`.
    static func expectSettingError(_ path: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let s = try SettingFile.load(path: path)
            Issue.record("accepted a bad setting (read as \(s))", sourceLocation: sourceLocation)
        } catch let e as SettingError {
            let message = e.description
            #expect(message.contains(expected), "message was: \(message)", sourceLocation: sourceLocation)
            #expect(occurrences(of: path, in: message) == 1, "the file should be named once: \(message)", sourceLocation: sourceLocation)
            #expect(message.hasPrefix(path + ": "), "the file should come first: \(message)", sourceLocation: sourceLocation)
            #expect(!message.contains("\n"), "message should be one line: \(message)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a SettingError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        }
    }

    /// A valid small setting (D = 4, d = 2) for JSON cases to modify.
    static let theta4 = #""theta": [1, 1, 1, 1]"#

    // MARK: 1. Numbers are checked, never trapped on or truncated

    @Test(arguments: [
        (#"{"data": {"D": 4, "d": 2, "basis_seed": -1}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.basis_seed must be an integer at least 0 and below 2^53 (JSON numbers are doubles, so a larger seed would not survive a round trip), got -1"),
        (#"{"data": {"D": 4, "d": 2, "basis_seed": 9007199254740992}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#, "below 2^53"),
        (#"{"data": {"D": 4, "d": 2, "basis_seed": 1e30}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#, "got 1e+30"),
        (#"{"data": {"D": 4, "d": 2, "basis_seed": 2.5}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#, "data.basis_seed must be an integer"),
        (#"{"data": {"D": 4.7, "d": 2}}"#, "data.D must be an integer at least 1 and at most 2^53, got 4.7"),
        (#"{"data": {"D": 1e30, "d": 2}}"#, "data.D must be an integer at least 1 and at most 2^53, got 1e+30"),
        (#"{"data": {"D": 4, "d": -3}}"#, "data.d must be an integer at least 1"),
        (#"{"diffusion": {"T": 1e300}}"#, "diffusion.T must be an integer at least 1 and at most 100000, got 1e+300"),
        (#"{"diffusion": {"T": 2.5}}"#, "diffusion.T must be an integer"),
    ])
    func jsonIntegersAreChecked(text: String, expected: String) throws {
        Self.expectSettingError(try Self.json(text), expected)
    }

    @Test(arguments: [
        ("basis_seed", -1.0, "basis_seed must be an integer at least 0 and below 2^53 (JSON numbers are doubles, so a larger seed would not survive a round trip), got -1"),
        ("basis_seed", 1e30, "basis_seed must be an integer at least 0 and below 2^53"),
        ("basis_seed", 0.5, "basis_seed must be an integer"),
        ("D", 1e30, "D must be an integer at least 1 and at most 2^53, got 1e+30"),
        ("D", 4.7, "D must be an integer at least 1 and at most 2^53, got 4.7"),
        ("d", -1e300, "d must be an integer at least 1 and at most 2^53, got -1e+300"),
        ("T", 1e300, "T must be an integer at least 1 and at most 100000, got 1e+300"),
        ("T", 30.5, "T must be an integer"),
        ("objective_code", 1e19, "objective_code must be 1 (f1), 2 (f2), 3 (linear) or 4 (quadratic), got 1e+19"),
        ("objective_code", -1e300, "objective_code must be 1 (f1), 2 (f2), 3 (linear) or 4 (quadratic), got -1e+300"),
        ("objective_code", 3.5, "objective_code must be"),
        ("beta_rule_code", 1e19, "beta_rule_code must be 0 (code), 1 (theory) or 2 (constant), got 1e+19"),
        ("beta_rule_code", -1e300, "beta_rule_code must be 0 (code), 1 (theory) or 2 (constant), got -1e+300"),
        ("schedule_code", 1e19, "schedule_code must be 0 (cosine) or 1 (linear), got 1e+19"),
        ("schedule_code", -1e300, "schedule_code must be 0 (cosine) or 1 (linear), got -1e+300"),
        ("schedule_code", 0.5, "schedule_code must be"),
        ("sphere", 2, "sphere must be an integer at least 0 and at most 1, got 2"),
    ])
    func npzNumbersAreChecked(key: String, value: Double, expected: String) throws {
        var arrays: [(String, NumPyArray)] = [("D", NumPyArray(scalar: Int64(4))), ("d", NumPyArray(scalar: Int64(2))),
                                              ("theta", try NumPyArray([1.0, 1, 1, 1], shape: [4]))]
        arrays.removeAll { $0.0 == key }
        arrays.append((key, NumPyArray(scalar: value)))
        Self.expectSettingError(try Self.npz(arrays), expected)
    }

    @Test func npzIntegerArraysOfIntegerDtypeAreAccepted() throws {
        let s = try SettingFile.load(path: try Self.npz([
            ("D", NumPyArray(scalar: Int64(4))), ("d", NumPyArray(scalar: Int32(2))), ("T", NumPyArray(scalar: UInt16(30))),
            ("basis_seed", NumPyArray(scalar: UInt64(7))), ("theta", try NumPyArray([1.0, 1, 1, 1], shape: [4])),
        ]))
        #expect(s.data.ambientDimension == 4 && s.data.latentDimension == 2 && s.diffusion.steps == 30 && s.data.basisSeed == 7)
    }

    // MARK: 2. A resource bound before any allocation

    @Test func hugeDimensionFailsAtOnceWithTheEstimate() throws {
        let path = try Self.json(#"{"data":{"D":1e8,"d":16}}"#)
        let start = Date()
        do {
            _ = try SettingFile.load(path: path)
            Issue.record("accepted D = 1e8")
        } catch let e as ResourceLimitError {
            #expect(Date().timeIntervalSince(start) < 2, "the refusal should take milliseconds")
            #expect(e.description.contains("D = 100000000"))
            #expect(e.description.contains(path))
            #expect(e.description.contains("GB"))
            #expect(e.estimate.bytes > 1e10)
        }
    }

    @Test func resolvedExperimentChecksBeforeDrawingTheBasis() throws {
        var s = try Self.smallSetting()
        s.data.ambientDimension = 100_000_000
        s.objective.theta = nil
        #expect(throws: ResourceLimitError.self) { try ResolvedExperiment(s) }
        // Within the memory limit, a missing field is found before the Haar basis is drawn.
        s.data.ambientDimension = 4
        do {
            _ = try ResolvedExperiment(s)
            Issue.record("accepted an f1 objective without theta")
        } catch let e as SettingError {
            #expect(e.description == "objective 'f1' needs objective.theta")
        }
    }

    @Test func memoryPolicyIsHonouredEverywhere() throws {
        let tight = MemoryPolicy(limitBytes: 10_000)
        let paper = try PaperSetting.linear(objective: "f1", variant: .two)
        #expect(throws: ResourceLimitError.self) { try ResolvedExperiment(paper, memory: tight) }
        #expect(throws: ResourceLimitError.self) { try SettingValidation.check(paper, memory: tight) }
        #expect(throws: ResourceLimitError.self) { try SettingFile.load(path: SettingFileTests.paperFile, memory: tight) }
        let text = try ResultEncoding.json(SettingFile.jsonObject(paper))
        #expect(throws: ResourceLimitError.self) { try SettingFile.load(path: try Self.json(text), memory: tight) }
        _ = try ResolvedExperiment(paper, memory: MemoryPolicy(limitBytes: 1e9))
    }

    @Test func estimatesCountWhatTheCodeAllocates() throws {
        let paper = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        let (D, d) = (64.0, 16.0)
        let resolving = ResolvedExperiment.resolvingEstimate(paper.setting)
        #expect(resolving.bytes >= 4 * D * d * 8)          // A three times and A·U
        #expect(resolving.bytes < 1e6)
        // Sampling: 6 count×D work copies with guidance, 2 count×d coordinates, A·U, CSV (2 × 25 B) and .npy (2 × 8 B).
        let n = 1000.0
        let sampling = paper.samplingEstimate(count: 1000, work: "ggd sample --count 1000")
        #expect(sampling.work == "ggd sample --count 1000")
        #expect(sampling.bytes == 8 * (6 * n * D + 2 * n * d + D * d) + 50 * n * D + 16 * n * D)
        #expect(paper.samplingEstimate(count: 1000, guided: false, outputs: false).bytes == 8 * (3 * n * D + n * d + D * d))
        #expect(paper.samplingEstimate(count: 2000).bytes > 1.99 * sampling.bytes)
        // The linear class holds D×D eigenvectors and works in D coordinates.
        #expect(paper.samplingEstimate(count: 1000, score: .linear).bytes == 8 * (6 * n * D + 2 * n * D + D * D + D) + 66 * n * D)
        // --count 10000000 at D = 64 cannot fit the default 4 GB.
        #expect(throws: ResourceLimitError.self) { try MemoryPolicy(limitBytes: 4e9).require(paper.samplingEstimate(count: 10_000_000)) }
        let pre = paper.pretrainingEstimate(count: 65536)
        #expect(pre.bytes == 8 * (3 * 65536 * D + 2 * 65536 * d + 6 * D * D))
        #expect(paper.pretrainingEstimate(count: 65536, fitsLinearScore: false).bytes == 8 * (65536 * D + 2 * 65536 * d))
        #expect(paper.lawEstimate().bytes == 8 * 7 * D * D + 90 * D * D)
        // The quadratic objective's Q dominates resolution: seven D×D.
        var quadratic = paper.setting
        quadratic.objective = .init(kind: "quadratic", theta: nil, center: [Double](repeating: 0, count: 64),
                                    curvature: Matrix<Double>.identity(64).rowVectors, target: nil, peak: nil)
        #expect(SettingValidation.resolvingEstimate(quadratic).bytes > 7 * D * D * 8)
    }

    // MARK: 3. Files

    @Test func missingFilesAndFoldersAreInputFileErrors() throws {
        #expect(throws: InputFileError.self) { try SettingFile.load(path: "/nonexistent/setting.json") }
        #expect(throws: InputFileError.self) { try SettingFile.load(path: "/nonexistent/setting.npz") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ggd-folder-\(UUID().uuidString).npz").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(throws: InputFileError.self) { try SettingFile.load(path: folder) }
    }

    @Test func malformedNPZNamesThePathOnce() throws {
        let path = try Self.temporaryFile("broken.npz", Array("PK\u{3}\u{4} this is not a zip".utf8))
        do {
            _ = try SettingFile.load(path: path)
            Issue.record("accepted a malformed .npz")
        } catch {
            let message = "\(error)"
            #expect(error is SettingError)
            #expect(Self.occurrences(of: path, in: message) == 1, "message was: \(message)")
        }
    }

    // MARK: 4. Symmetry and definiteness

    @Test(arguments: [
        (#"{"data": {"D": 4, "d": 2, "Sigma_u": [[1, 0.3], [0.1, 1]]}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.Sigma_u is not symmetric: entry (0, 1) = 0.3 but (1, 0) = 0.1"),
        (#"{"data": {"D": 4, "d": 2, "mixture": {"weights": [0.5, 0.5], "means": [[0, 0], [1, 1]], "covariances": [[[1, 0], [0, 1]], [[1, 0.5], [0, 1]]]}}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.mixture.covariances[1] is not symmetric: entry (0, 1) = 0.5 but (1, 0) = 0"),
        (#"{"data": {"D": 2, "d": 1}, "objective": {"kind": "quadratic", "c": [0, 0], "Q": [[1, 2], [0, 1]]}}"#,
         "objective.Q is not symmetric: entry (0, 1) = 2 but (1, 0) = 0"),
        (#"{"data": {"D": 4, "d": 2, "Sigma_u": [[0, 0], [0, 0]]}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.Sigma_u is not positive definite: its Cholesky factorisation fails at the leading 1×1 minor"),
        (#"{"data": {"D": 4, "d": 2, "Sigma_u": [[1, 0], [0, 0]]}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.Sigma_u is not positive definite: its Cholesky factorisation fails at the leading 2×2 minor"),
        (#"{"data": {"D": 4, "d": 2, "mixture": {"weights": [1], "means": [[0, 0]], "covariances": [[[1, 2], [2, 1]]]}}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.mixture.covariances[0] is not positive definite"),
        (#"{"data": {"D": 2, "d": 1}, "objective": {"kind": "quadratic", "c": [0, 0], "Q": [[1, 0], [0, -1]]}}"#,
         "objective.Q must be positive semi-definite"),
    ])
    func asymmetricAndIndefiniteMatricesAreRefused(text: String, expected: String) throws {
        Self.expectSettingError(try Self.json(text), expected)
    }

    @Test func roundOffAsymmetryIsAccepted() throws {
        let s = try SettingFile.load(path: try Self.json(
            #"{"data": {"D": 4, "d": 2, "Sigma_u": [[2, 0.1], [0.1000000000000001, 2]]}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#))
        #expect(s.data.latentCovariance?[1][0] == 0.1000000000000001)
        // A singular but positive semi-definite Q is a concave quadratic.
        _ = try SettingFile.load(path: try Self.json(#"{"data": {"D": 2, "d": 1}, "objective": {"kind": "quadratic", "c": [0, 0], "Q": [[1, 0], [0, 0]]}}"#))
    }

    // MARK: 5. Fields that would be ignored

    @Test(arguments: [
        (#"{"data": {"D": 4, "d": 2, "mixture": {"means": [[1, 0]], "covariances": [[[1, 0], [0, 1]]]}}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.mixture.weights is missing: a mixture needs weights, means and covariances, and without it data.mixture.means and data.mixture.covariances would be ignored"),
        (#"{"data": {"D": 4, "d": 2, "mixture": {"weights": [1], "covariances": [[[1, 0], [0, 1]]]}}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.mixture.means is missing"),
        (#"{"data": {"D": 4, "d": 2, "mixture": {}}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#, "data.mixture is empty"),
        (#"{"data": {"D": 4, "d": 2, "mu_u": [0, 0], "mixture": {"weights": [1], "means": [[1, 0]], "covariances": [[[1, 0], [0, 1]]]}}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.mu_u is given together with a mixture"),
        (#"{"data": {"D": 4, "d": 2, "Sigma_u": [[1, 0], [0, 1]], "mixture": {"weights": [1], "means": [[1, 0]], "covariances": [[[1, 0], [0, 1]]]}}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.Sigma_u is given together with a mixture"),
        (#"{"data": {"D": 4, "d": 2, "mixture": {"weights": [0.5, 0.5], "means": [[0, 0], [1, 1]], "covariances": [[[1, 0], [0, 1]], [[1, 0, 0], [0, 1, 0]]]}}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.mixture.covariances[1] must be 2×2 (d×d), got 2×3"),
        (#"{"data": {"D": 4, "d": 2, "mixture": {"weights": [0.5, 0.4], "means": [[0, 0], [1, 1]], "covariances": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]}}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.mixture.weights must sum to 1"),
        (#"{"data": {"kind": "sphere", "D": 4, "d": 3}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.d = 3 is given, but sphere data have no latent dimension"),
        (#"{"data": {"kind": "sphere", "D": 4, "A": [[1], [0], [0], [0]]}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.A is given, but sphere data"),
        (#"{"data": {"kind": "sphere", "D": 4, "basis_seed": 3}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.basis_seed is given, but sphere data"),
        (#"{"data": {"kind": "sphere", "D": 4, "mu_u": [0, 0]}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.mu_u is given, but sphere data"),
        (#"{"data": {"kind": "sphere", "D": 4, "Sigma_u": [[1]]}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.Sigma_u is given, but sphere data"),
        (#"{"data": {"kind": "sphere", "D": 4, "mixture": {"weights": [1], "means": [[0]], "covariances": [[[1]]]}}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.mixture is given, but sphere data"),
        (#"{"data": {"D": 4, "d": 1, "A": [[1], [0], [0], [0]], "basis_seed": 3}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
         "data.basis_seed is given together with data.A"),
        (#"{"data": {"D": 4, "d": 2}, "objective": {"kind": "f2", "b": [1,1,1,1], "c": [1,1,1,1]}}"#,
         "objective.b and objective.c are both given"),
        (#"{"data": {"D": 4, "d": 2}, "objective": {"kind": "quadratic", "b": [1,1,1,1], "Q": [[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]]}}"#,
         "objective.b is given, but objective 'quadratic' reads its center from objective.c"),
        (#"{"data": {"D": 4, "d": 2}, "objective": {"kind": "f2", "c": [1,1,1,1]}}"#,
         "objective.c is given, but objective 'f2' reads its center from objective.b"),
        (#"{"data": {"D": 4, "d": 2}, "objective": {"kind": "f1", "theta": [1,1,1,1], "b": [1,1,1,1]}}"#,
         "objective.b is given, but objective 'f1' has no center"),
        (#"{"data": {"D": 4, "d": 2}, "objective": {"kind": "f2", "b": [1,1,1,1], "theta": [1,1,1,1]}}"#,
         "objective.theta is given, but objective 'f2' does not read it (it reads objective.b, objective.peak)"),
        (#"{"data": {"D": 4, "d": 2}, "objective": {"kind": "f1", "theta": [1,1,1,1], "Q": [[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]]}}"#,
         "objective.Q is given, but objective 'f1' does not read it"),
        (#"{"data": {"D": 4, "d": 2}, "objective": {"kind": "linear", "theta": [1,1,1,1], "target": 3}}"#,
         "objective.target is given, but objective 'linear' does not read it"),
        (#"{"data": {"D": 4, "d": 2}, "objective": {"kind": "linear", "theta": [1,1,1,1], "peak": 3}}"#,
         "objective.peak is given, but objective 'linear' does not read it"),
        (#"{"data": {"D": 4, "d": 2}, "objective": {"kind": "f2", "b": [1,1,1,1], "target": 3}}"#,
         "objective.target is given, but objective 'f2' does not read it"),
        (#"{"data": {"D": 2, "d": 1}, "objective": {"kind": "quadratic", "c": [0, 0], "Q": [[1, 0], [0, 1]], "peak": 2}}"#,
         "objective.peak is given, but objective 'quadratic' does not read it"),
        (#"{"data": {"D": 2, "d": 1}, "objective": {"kind": "quadratic", "c": [0, 0]}}"#,
         "objective 'quadratic' needs objective.Q"),
        (#"{"data": {"D": 4, "d": 2}, "objective": {"kind": "linear", "theta": [1,1,1,1]}, "guidance": {"beta": 2}}"#,
         "guidance.beta is given, but it is read only with guidance.beta_rule 'constant' (the rule is 'code')"),
        (#"{"data": {"D": 4, "d": 2}, "objective": {"kind": "linear", "theta": [1,1,1,1]}, "guidance": {"beta_rule": "constant"}}"#,
         "guidance.beta_rule 'constant' needs guidance.beta"),
        (#"{"data": {"D": 4, "d": 2}, "objective": {"kind": "linear", "theta": [1, 2, 3, 4]}, "guidance": {"g": [1, 2]}}"#,
         "guidance.g has 2 entries, but D = 4"),
    ])
    func ignoredOrMissingFieldsAreRefused(text: String, expected: String) throws {
        Self.expectSettingError(try Self.json(text), expected)
    }

    @Test func npzContradictionsAreRefused() throws {
        let a = try SubspaceDataModel.randomBasis(ambient: 6, latent: 2, seed: 3)
        let stored = try NumPyArray(a.transposed.elements, shape: [2, 6])
        let theta = try NumPyArray([1.0, 2, 3, 4, 5, 6], shape: [6])
        Self.expectSettingError(try Self.npz([("A", stored), ("theta", theta), ("D", NumPyArray(scalar: Int64(5)))]),
                                "D = 5, but A has shape (2, 6), i.e. D = 6 (the longer side)")
        Self.expectSettingError(try Self.npz([("A", stored), ("theta", theta), ("d", NumPyArray(scalar: Int64(3)))]),
                                "d = 3, but A has shape (2, 6), i.e. d = 2 (the shorter side)")
        Self.expectSettingError(try Self.npz([("A", stored), ("theta", theta), ("basis_seed", NumPyArray(scalar: Int64(3)))]),
                                "basis_seed is given together with A")
        Self.expectSettingError(try Self.npz([("A", stored), ("b", theta), ("c", theta)]), "b and c are both given")
        Self.expectSettingError(try Self.npz([("A", stored), ("theta", theta), ("objective_code", NumPyArray(scalar: Int64(2))), ("b", theta)]),
                                "theta is given, but objective 'f2' does not read it")
        Self.expectSettingError(try Self.npz([("A", stored), ("theta", theta), ("beta", NumPyArray(scalar: 2.0))]),
                                "beta is given, but it is read only with beta_rule_code 'constant'")
        Self.expectSettingError(try Self.npz([("A", stored), ("theta", try NumPyArray([1.0, .nan, 0, 0, 0, 0], shape: [6]))]),
                                "theta[1] is nan; entries must be finite")
        Self.expectSettingError(try Self.npz([("A", stored), ("theta", theta),
                                               ("mixture_means", try NumPyArray([0.0, 0], shape: [1, 2])),
                                               ("mixture_covariances", try NumPyArray([1.0, 0, 0, 1], shape: [1, 2, 2]))]),
                                "mixture_weights is missing")
        // Consistent D and d beside A are fine.
        let s = try SettingFile.load(path: try Self.npz([("A", stored), ("theta", theta), ("D", NumPyArray(scalar: Int64(6))), ("d", NumPyArray(scalar: Int64(2)))]))
        #expect(s.data.ambientDimension == 6 && s.data.latentDimension == 2)
    }

    // MARK: 6. The paper's .npz format

    @Test func paperFormatRefusesArraysItDoesNotRead() throws {
        var arrays = try PaperSetting.linearLatentArrays().sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        arrays.append(("sigma", NumPyArray(scalar: -1.0)))
        Self.expectSettingError(try Self.npz(arrays), "holds an array this format does not read: 'sigma'")
        arrays.removeLast()
        arrays.append(("T", NumPyArray(scalar: Int64(50))))
        arrays.append(("objective_code", NumPyArray(scalar: Int64(2))))
        Self.expectSettingError(try Self.npz(arrays), "holds arrays this format does not read: 'T', 'objective_code'")
    }

    @Test func paperFormatChecksItsOwnArrays() throws {
        let base = try PaperSetting.linearLatentArrays()
        var wrongOuter = base
        wrongOuter["d_outer"] = NumPyArray(scalar: Int64(65))
        Self.expectSettingError(try Self.npz(wrongOuter.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }), "d_outer = 65, but A has shape (16, 64), i.e. D = 64")
        var shortTheta = base
        shortTheta["theta_2"] = try NumPyArray([1.0, 2], shape: [2])
        Self.expectSettingError(try Self.npz(shortTheta.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }), "theta_2 has 2 entries, but D = 64")
        // θ₁ alone gives the θ₁ variant.
        var one = base
        one["theta_2"] = nil
        let s = try SettingFile.load(path: try Self.npz(one.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        #expect(s.objective.theta == (try PaperSetting.linear(objective: "f1", variant: .one)).objective.theta)
    }

    // MARK: 8. Outputs replay; results files are refused

    static func resultJSON(_ s: ExperimentSetting, command: String = "sample") throws -> String {
        try ResultEncoding.json([
            "command": command, "tool_version": ToolVersion.string, "seed": 1234, "threads": 1,
            "setting": SettingFile.jsonObject(s), "options": ["count": 10, "score": "exact"] as [String: Any],
            "summary": ["count": 10, "mean": [0.0, 1.0]] as [String: Any],
        ] as [String: Any])
    }

    @Test func resultJSONReplaysItsSetting() throws {
        let original = try PaperSetting.linear(objective: "f2", variant: .one)
        let path = try Self.json(try Self.resultJSON(original), name: "result.json")
        let s = try SettingFile.load(path: path)
        #expect(s.data == original.data && s.objective == original.objective && s.guidance == original.guidance && s.diffusion == original.diffusion)
        #expect(s.origin == path)
    }

    @Test func errorsInsideAResultJSONNameTheRecordedField() throws {
        var bad = try Self.smallSetting()
        bad.guidance.beta = 3
        let path = try Self.json(try Self.resultJSON(bad, command: "optimize"), name: "result.json")
        Self.expectSettingError(path, "setting.guidance.beta is given, but it is read only with setting.guidance.beta_rule 'constant'")
    }

    @Test func resultsFilesWithoutASettingAreRefused() throws {
        let reproduce = try Self.json(#"{"numbers": {"r_off": 0.04}, "figures": [], "provenance": {"tool_version": "1", "seed": 1}}"#, name: "results.json")
        Self.expectSettingError(reproduce, "this is a ggd reproduce results file; it records no setting")
        let report = try Self.json(#"{"schema": "ggd-report/1", "provenance": {}, "claims": [], "metrics": [], "figures": []}"#, name: "results.json")
        Self.expectSettingError(report, "this is a ggd report results file; it records no setting")
        let bench = try Self.json(#"{"command": "bench", "tool_version": "1", "timings": []}"#, name: "bench.json")
        Self.expectSettingError(bench, "this is an output of ggd bench that records no setting")
    }

    // MARK: 9. Messages

    @Test func messageNamesTheFileOnceAndTheFieldPath() throws {
        let path = try Self.json(#"{"data": {"D": 4, "d": 2, "mixture": {"weights": [0.5, 0.5], "means": [[0, 0], [1, 1]], "covariances": [[[1, 0], [0, 1]], [[1, 0], [0, 1], [0, 0]]]}}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#, name: "my.json")
        do {
            _ = try SettingFile.load(path: path)
            Issue.record("accepted a 3×2 covariance")
        } catch let e as SettingError {
            #expect(e.description == "\(path): data.mixture.covariances[1] must be 2×2 (d×d), got 3×2")
        }
        // Vectors and matrices name the entry.
        Self.expectSettingError(try Self.json(#"{"data": {"D": 4, "d": 2}, "objective": {"kind": "linear", "theta": [1, 1, "x", 1]}}"#),
                                "objective.theta[2] must be a number, got a string")
        Self.expectSettingError(try Self.json(#"{"data": {"D": 4, "d": 2, "A": [[1, 0], [0, 1], [0, 0, 0], [0, 0]]}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#),
                                "data.A must be 4×2 (D×d), got a ragged matrix (row 0 has 2 entries, row 2 has 3)")
    }

    // MARK: Round trip

    static func smallSetting() throws -> ExperimentSetting {
        ExperimentSetting(
            data: .init(kind: .subspace, ambientDimension: 4, latentDimension: 2, basis: nil, basisSeed: 5, latentMean: nil,
                        latentCovariance: nil, mixtureWeights: nil, mixtureMeans: nil, mixtureCovariances: nil),
            objective: .init(kind: "f1", theta: [1, 0.5, -0.25, 2], center: nil, curvature: nil, target: nil, peak: nil),
            guidance: ExperimentSetting.defaultGuidance, diffusion: ExperimentSetting.defaultDiffusion, origin: "test")
    }

    static func roundTripSettings() throws -> [ExperimentSetting] {
        var list = [
            try PaperSetting.linear(objective: "f1", variant: .one), try PaperSetting.linear(objective: "f1", variant: .two),
            try PaperSetting.linear(objective: "f2", variant: .one), try PaperSetting.linear(objective: "f2", variant: .two),
            try PaperSetting.sphere(),
            try ExperimentSetting.generated(ambient: 10, latent: 3, seed: 5),
            try ExperimentSetting.generated(ambient: 7, latent: 7, seed: 9_007_199_254_740_991),
            try ExperimentSetting.generated(ambient: 1, latent: 1, seed: 0),
        ]
        var mixture = try smallSetting()
        mixture.data.mixtureWeights = [0.25, 0.75]
        mixture.data.mixtureMeans = [[1, -1], [0.1, 0.2]]
        mixture.data.mixtureCovariances = [[[1, 0.2], [0.2, 0.5]], [[0.3, 0], [0, 0.3]]]
        mixture.objective = .init(kind: "f2", theta: nil, center: [0.1, 0.2, 0.3, 0.4], curvature: nil, target: nil, peak: 4.5)
        mixture.guidance = .init(sigma: 0.3, betaRule: "constant", beta: 2.5, betaCoefficient: 0.7, gradient: [1, 2, 3, 4], target: 1.5)
        mixture.diffusion = .init(schedule: "linear", steps: 37)
        list.append(mixture)
        var gaussian = try smallSetting()
        gaussian.data.basisSeed = nil
        gaussian.data.basis = try SubspaceDataModel.randomBasis(ambient: 4, latent: 2, seed: 11).rowVectors
        gaussian.data.latentMean = [0.5, -0.5]
        gaussian.data.latentCovariance = [[2, 0.1], [0.1, 1]]
        gaussian.objective = .init(kind: "quadratic", theta: nil, center: [1, 2, 3, 4],
                                   curvature: [[2, 0.5, 0, 0], [0.5, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]], target: nil, peak: nil)
        gaussian.guidance.betaRule = "theory"
        list.append(gaussian)
        var f1 = try smallSetting()
        f1.objective.target = 2
        f1.objective.peak = 7
        list.append(f1)
        var sphere = try PaperSetting.sphere()
        sphere.data.ambientDimension = 3
        sphere.objective.theta = [1, 0, -1]
        list.append(sphere)
        return list
    }

    @Test func everyWrittenSettingReadsBackEqual() throws {
        for original in try Self.roundTripSettings() {
            let text = try ResultEncoding.json(SettingFile.jsonObject(original))
            for path in [try Self.json(text), try Self.json(try Self.resultJSON(original), name: "result.json")] {
                let reread = try SettingFile.load(path: path)
                #expect(reread.data == original.data, "\(original.origin)")
                #expect(reread.objective == original.objective, "\(original.origin)")
                #expect(reread.guidance == original.guidance, "\(original.origin)")
                #expect(reread.diffusion == original.diffusion, "\(original.origin)")
                #expect(reread.origin == path)
                // Written again, the same text (but for the origin).
                var again = reread
                again.origin = original.origin
                #expect(try ResultEncoding.json(SettingFile.jsonObject(again)) == text)
            }
        }
    }
}
