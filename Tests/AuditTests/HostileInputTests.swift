import Audit
import Foundation
import LinearAlgebra
import NumPyIO
import Testing

/// Malformed, non-finite and wrong-shaped inputs, and step commands that crash, hang, flood or write
/// garbage: each is a clear error naming the problem, within its time limit.
@Suite struct HostileInputTests {
    static func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func npy(_ values: [Double], shape: [Int]) throws -> [UInt8] { NumPyFile.npyBytes(try NumPyArray(values, shape: shape)) }

    static func error(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    @Test func malformedSamplesAreNamed() throws {
        let c = try ConventionIdentificationTests.auditCase(.lookahead)
        let D = c.dimension, T = c.steps
        var nan = [Double](repeating: 0.5, count: 10 * D)
        nan[3 * D + 2] = .nan
        let cases: [(String, [UInt8], String)] = [
            ("nan.npy", try Self.npy(nan, shape: [10, D]), "nan at row 3, column 2"),
            ("wide.npy", try Self.npy([Double](repeating: 0, count: 10 * (D + 1)), shape: [10, D + 1]), "the case has D = \(D)"),
            ("flat.npy", try Self.npy([Double](repeating: 0, count: D), shape: [D]), "give samples as (n, D)"),
            ("ints.npy", NumPyFile.npyBytes(try NumPyArray([Int64](repeating: 1, count: 10 * D), shape: [10, D])), "expected float32 or float64"),
            ("short-trajectory.npy", try Self.npy([Double](repeating: 0, count: T * 2 * D), shape: [T, 2, D]), "needs (T+1, N, D) = (\(T + 1), N, \(D))"),
            ("garbage.npy", Array("not numpy at all".utf8), "not a NumPy array"),
            ("empty.npy", [], "not a NumPy array"),
            ("truncated.npy", Array(try Self.npy([Double](repeating: 0, count: 10 * D), shape: [10, D]).dropLast(8)), "not a NumPy array"),
        ]
        for (name, bytes, expected) in cases {
            let path = try Self.file(name, bytes)
            let message = Self.error { _ = try AuditInput.read(path, for: c, maximumBytes: 1 << 24) }
            #expect(message.contains(expected), "\(name): \(message)")
        }
        #expect(Self.error { _ = try AuditInput.read("/nonexistent/samples.npy", for: c, maximumBytes: 1 << 24) }.contains("/nonexistent/samples.npy"))
        let several = try Self.file("several.npz", NPZArchive.bytes([("a", NumPyArray([1.0])), ("b", NumPyArray([2.0]))]))
        #expect(Self.error { _ = try AuditInput.read(several, for: c, maximumBytes: 1 << 24) }.contains("name the samples or the trajectory 'x'"))
    }

    @Test func trajectoriesThatDoNotFitTheCaseAreNamed() throws {
        let c = try ConventionIdentificationTests.auditCase(.lookahead, trajectories: 4)
        let states = try ExternalSampler(c).trajectory(4)
        var tooMany = states.map { s in s }
        tooMany = tooMany.map { LinearAlgebraStack.stack($0, $0) }
        #expect(Self.error { _ = try TrajectoryAudit.judge(c, states: tooMany, float32: false) }.contains("shared noise covers 4"))
        var poisoned = states
        poisoned[7][1, 2] = .infinity
        #expect(Self.error { _ = try TrajectoryAudit.judge(c, states: poisoned, float32: false) }.contains("x_7"))
        #expect(Self.error { _ = try TrajectoryAudit.judge(c, states: Array(states.dropLast()), float32: false) }.contains("needs T + 1"))
        // Too few draws for the law's support.
        #expect(Self.error { _ = try SampleAudit.judge(states[0].rows(0..<3), law: try c.law(), gradient: c.gradient, geometry: c.geometry) }
            .contains("at least 5"))
    }

    /// Finite draws too large for the tests' sums of squares fail by their size, not by an overflow.
    @Test func drawsBeyondAnyScaleFailWithoutOverflow() throws {
        let c = try ConventionIdentificationTests.auditCase(.lookahead)
        for value in [1e300, 1e200, -1e150] {
            let x = LinearAlgebra.Matrix(rows: 50, columns: c.dimension, elements: (0..<(50 * c.dimension)).map { value * Double($0 % 7 - 3) })
            let verdict = try SampleAudit.judge(x, law: try c.law(), gradient: c.gradient, geometry: c.geometry)
            #expect(!verdict.passed && verdict.departure?.name == "scale", "\(value)")
            #expect(try ConventionSearch.fits(x, case: c, options: .init()).allSatisfy { !$0.passes })
        }
    }

    @Test func stepCommandsThatMisbehaveAreStoppedAndNamed() throws {
        let c = try ConventionIdentificationTests.auditCase(.lookahead)
        let cases: [(String, String)] = [
            ("exit 3", "exited with status 3"),
            ("echo 'Traceback: no module named numpy' >&2; exit 1", "no module named numpy"),
            ("echo garbage; cat > /dev/null", "not a .npy array"),
            ("cat", "bytes more than one reply"),
            ("head -c 100000000 /dev/zero", "not a .npy array"),
            ("kill -9 $$", "killed by signal 9"),
            ("/nonexistent/program", "status 127"),
        ]
        for (command, expected) in cases {
            let start = Date()
            let message = Self.error { _ = try StepAudit.run(c, command: command, options: .init(timeout: 5)) }
            #expect(message.contains(expected), "\(command): \(message)")
            #expect(Date().timeIntervalSince(start) < 10, "\(command) took too long")
        }
        let start = Date()
        let hang = Self.error { _ = try StepAudit.run(c, command: "sleep 30", options: .init(timeout: 1)) }
        #expect(hang.contains("did not answer within 1 s"), "\(hang)")
        #expect(Date().timeIntervalSince(start) < 5, "a hanging step command was not stopped at its deadline")
    }

    @Test func aCaseThatIsNotOneIsRefused() throws {
        let notJSON = try Self.file("case.json", Array("{ not json".utf8))
        #expect(Self.error { _ = try AuditCaseFiles.load(notJSON) }.contains("not valid JSON"))
        let otherOutput = try Self.file("case.json", Array(#"{"command": "sample", "setting": {}}"#.utf8))
        #expect(Self.error { _ = try AuditCaseFiles.load(otherOutput) }.contains("not an audit case"))
        #expect(Self.error { _ = try AuditCaseFiles.load("/nonexistent/case") }.contains("no such audit case"))
    }
}

/// Two matrices one above the other.
enum LinearAlgebraStack {
    static func stack(_ a: LinearAlgebra.Matrix<Double>, _ b: LinearAlgebra.Matrix<Double>) -> LinearAlgebra.Matrix<Double> {
        LinearAlgebra.Matrix(rows: a.rows + b.rows, columns: a.columns, elements: a.elements + b.elements)
    }
}
