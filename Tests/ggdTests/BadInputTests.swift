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
        Case(arguments: ["sample", "--T", "0"], settingJSON: nil, settingBytes: nil, expected: "at least 1"),
        Case(arguments: ["sample", "--sigma=-1"], settingJSON: nil, settingBytes: nil, expected: "σ must be positive"),
        Case(arguments: ["sample", "--sigma", "0"], settingJSON: nil, settingBytes: nil, expected: "σ must be positive"),
        Case(arguments: ["sample", "--sigma", "nan"], settingJSON: nil, settingBytes: nil, expected: "sigma"),
        Case(arguments: ["optimize", "--guidance", "magic"], settingJSON: nil, settingBytes: nil, expected: "magic"),
        Case(arguments: ["sample", "--sampler", "euler"], settingJSON: nil, settingBytes: nil, expected: "euler"),
        Case(arguments: ["sample", "--no-such-flag"], settingJSON: nil, settingBytes: nil, expected: "no-such-flag"),
        Case(arguments: ["optimize", "--algorithm", "3"], settingJSON: nil, settingBytes: nil, expected: "algorithm"),
        Case(arguments: ["sample", "--setting", "/nonexistent/file.npz"], settingJSON: nil, settingBytes: nil, expected: "/nonexistent/file.npz"),
        Case(arguments: ["sample"], settingJSON: nil, settingBytes: Array("PK\u{3}\u{4}garbage".utf8), expected: "setting.npz"),
        Case(arguments: ["sample"], settingJSON: #"{"objective": {"kind": "f1", "theta": [1e999]}}"#, settingBytes: nil, expected: "JSON"),
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
        let errorLines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errorLines.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(c.expected), "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "output written despite the error")
    }

    /// Backend choices of commands without --out.
    @Test(arguments: [
        (["train", "--backend", "tpu", "--quiet"], "--backend must be openblas-float or cuda-float"),
        (["bench", "--backends", "openblas-float,tpu"], "unknown backend 'tpu'"),
        (["bench", "--network-batch-sizes", "32,0"], "--network-batch-sizes"),
        (["crosscheck", "--backends", "openblas-float,tpu", "--quiet"], "unknown backend 'tpu'"),
    ])
    func unknownBackends(_ arguments: [String], _ expected: String) throws {
        let r = try CommandRunner.run(arguments)
        #expect(r.status != 0, "accepted: \(arguments)")
        #expect(r.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(expected), "stderr: \(r.stderr)")
    }
}
