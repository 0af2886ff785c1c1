import Foundation
import Testing

/// Bad input: a clear one-line error, a non-zero exit, and nothing written.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomStringConvertible {
        let arguments: [String]
        let settingJSON: String?
        let settingBytes: [UInt8]?
        let expected: String
        var description: String { arguments.joined(separator: " ") + " → " + expected }
    }

    static let cases: [Case] = [
        Case(arguments: ["optimize"], settingJSON: #"{"data": {"D": 4, "d": 6}}"#, settingBytes: nil, expected: "exceeds ambient dimension"),
        Case(arguments: ["sample", "--T", "0"], settingJSON: nil, settingBytes: nil, expected: "--T must be between 1 and 100000"),
        Case(arguments: ["sample", "--sigma=-1"], settingJSON: nil, settingBytes: nil, expected: "--sigma must be a positive finite number"),
        Case(arguments: ["sample", "--sigma", "0"], settingJSON: nil, settingBytes: nil, expected: "--sigma must be a positive finite number"),
        Case(arguments: ["sample"], settingJSON: #"{"data": {"D": 1e8, "d": 16}}"#, settingBytes: nil, expected: "D = 100000000"),
        Case(arguments: ["sample"], settingJSON: #"{"data": {"D": 4, "d": 2, "basis_seed": -1}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
             settingBytes: nil, expected: "data.basis_seed must be an integer at least 0 and below 2^53"),
        Case(arguments: ["optimize"], settingJSON: #"{"data": {"D": 4, "d": 2, "Sigma_u": [[0, 0], [0, 0]]}, "objective": {"kind": "linear", "theta": [1,1,1,1]}}"#,
             settingBytes: nil, expected: "data.Sigma_u is not positive definite"),
        Case(arguments: ["sample"], settingJSON: #"{"numbers": {}, "figures": [], "provenance": {"tool_version": "1"}}"#, settingBytes: nil,
             expected: "is a ggd reproduce results file; it records no setting"),
        Case(arguments: ["sample", "--sigma", "nan"], settingJSON: nil, settingBytes: nil, expected: "sigma"),
        Case(arguments: ["optimize", "--guidance", "magic"], settingJSON: nil, settingBytes: nil, expected: "magic"),
        Case(arguments: ["sample", "--sampler", "euler"], settingJSON: nil, settingBytes: nil, expected: "euler"),
        Case(arguments: ["sample", "--no-such-flag"], settingJSON: nil, settingBytes: nil, expected: "no-such-flag"),
        Case(arguments: ["optimize", "--algorithm", "3"], settingJSON: nil, settingBytes: nil, expected: "algorithm"),
        Case(arguments: ["sample", "--setting", "/nonexistent/file.npz"], settingJSON: nil, settingBytes: nil, expected: "/nonexistent/file.npz"),
        Case(arguments: ["sample"], settingJSON: nil, settingBytes: Array("PK\u{3}\u{4}garbage".utf8), expected: "setting.npz"),
        Case(arguments: ["sample"], settingJSON: #"{"objective": {"kind": "f1", "theta": [1e999]}}"#, settingBytes: nil, expected: "JSON"),
        Case(arguments: ["methods", "--method", "magic"], settingJSON: nil, settingBytes: nil, expected: "unknown method 'magic'"),
        Case(arguments: ["methods", "--scales", "1,-2"], settingJSON: nil, settingBytes: nil, expected: "--scales must be positive numbers"),
        Case(arguments: ["methods", "--scales", ""], settingJSON: nil, settingBytes: nil, expected: "--scales must be positive numbers"),
        Case(arguments: ["methods", "--rounds", "0"], settingJSON: nil, settingBytes: nil, expected: "--rounds must be between 1 and 100000"),
        Case(arguments: ["methods", "--ddim-eta", "nan"], settingJSON: nil, settingBytes: nil, expected: "--ddim-eta must lie in [0, 1]"),
        Case(arguments: ["law", "--score", "exact"], settingJSON: #"{"data": {"kind": "sphere", "D": 5}, "objective": {"kind": "linear", "theta": [1,0,0,0,0]}}"#,
             settingBytes: nil, expected: "sphere"),
    ]

    @Test(arguments: cases)
    func rejected(_ c: Case) throws {
        let dir = try CommandRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        var args = c.arguments
        if let json = c.settingJSON {
            let f = dir.appendingPathComponent("setting.json")
            try Data(json.utf8).write(to: f)
            args += ["--setting", f.path]
        }
        if let bytes = c.settingBytes {
            let f = dir.appendingPathComponent("setting.npz")
            try Data(bytes).write(to: f)
            args += ["--setting", f.path]
        }
        args += ["--out", out.path, "--quiet"]
        let r = try CommandRunner.run(args)
        #expect(r.status != 0, "accepted: \(args)")
        let errorLines = CommandRunner.errorLines(r.stderr)
        #expect(errorLines.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(c.expected), "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "output written despite the error")
    }

    /// Backend choices of commands without --out.
    @Test(arguments: [
        (["train", "--backend", "tpu", "--quiet"], "'tpu' is invalid for '--backend"),
        (["train", "--backend", "reference", "--quiet"], "--backend must be openblas-float or cuda-float"),
        (["bench", "--backends", "openblas-float,tpu"], "'openblas-float,tpu' is invalid for '--backends"),
        (["bench", "--network-batch-sizes", "32,0"], "--network-batch-sizes"),
        (["crosscheck", "--backends", "openblas-float,tpu", "--quiet"], "'openblas-float,tpu' is invalid for '--backends"),
        (["sample", "--backend", "tpu"], "'tpu' is invalid for '--backend"),
    ])
    func unknownBackends(_ arguments: [String], _ expected: String) throws {
        let r = try CommandRunner.run(arguments)
        #expect(r.status != 0, "accepted: \(arguments)")
        #expect(CommandRunner.errorLines(r.stderr).count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(expected), "stderr: \(r.stderr)")
    }
}
