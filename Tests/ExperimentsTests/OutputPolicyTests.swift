import Foundation
import Testing
@testable import Experiments

/// The output rule (`OutputFolder`, `OutputFile`), path arithmetic and the memory policy.
@Suite struct OutputPolicyTests {
    func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ggd-output-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func entries(_ path: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    @Test(arguments: [
        ("z", ".", "z"), ("a/b", "a", "b"), ("/z", "/", "z"), ("/", "/", "/"), (".", ".", "."), ("runs/a/", "runs", "a"),
        ("a//b", "a", "b"), ("./z", ".", "z"), ("", ".", ""),
    ])
    func pathArithmeticNeverTraps(_ path: String, _ parent: String, _ last: String) {
        #expect(FilePaths.parent(of: path) == parent)
        #expect(FilePaths.lastComponent(path) == last)
    }

    @Test func aNewFolderIsCreatedWithItsMarker() throws {
        let dir = try scratch()
        var out = OutputFolder(path: FilePaths.join(dir, "new/run"), command: "sample")
        try out.add("result.json", text: "{}")
        try out.add("figures/a.svg", text: "<svg/>")
        try out.commit()
        #expect(entries(FilePaths.join(dir, "new/run")) == [".ggd-output", "figures", "result.json"])
        #expect(OutputMarker.command(of: FilePaths.join(dir, "new/run")) == "sample")
        #expect(entries(FilePaths.join(dir, "new")) == ["run"], "staging leftovers")
    }

    @Test func anEarlierOutputOfTheSameCommandIsReplacedWhole() throws {
        let dir = try scratch()
        let path = FilePaths.join(dir, "run")
        var first = OutputFolder(path: path, command: "sample")
        try first.add("a.csv", text: "1")
        try first.add("b.csv", text: "2")
        try first.commit()
        var second = OutputFolder(path: path, command: "sample")
        try second.add("a.csv", text: "3")
        try second.commit()
        #expect(entries(path) == [".ggd-output", "a.csv"], "b.csv of the first run stayed")
        #expect(try String(contentsOfFile: FilePaths.join(path, "a.csv"), encoding: .utf8) == "3")
        #expect(entries(dir) == ["run"])
    }

    @Test func foldersThatAreNotTheCommandsOwnAreRefusedUntouched() throws {
        let dir = try scratch()
        let user = FilePaths.join(dir, "thesis")
        try FileManager.default.createDirectory(atPath: user, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: FilePaths.join(user, "chapter1.tex")))
        var out = OutputFolder(path: user, command: "report")
        try out.add("index.html", text: "<html/>")
        #expect(throws: OutputError.self) { try out.checkDestination() }
        #expect(throws: OutputError.self) { try out.commit() }
        #expect(entries(user) == ["chapter1.tex"])
        #expect(entries(dir) == ["thesis"], "staging leftovers after a refusal")

        let other = FilePaths.join(dir, "sampled")
        var s = OutputFolder(path: other, command: "sample")
        try s.add("x", text: "1")
        try s.commit()
        do {
            try OutputFolder(path: other, command: "optimize").checkDestination()
            Issue.record("another command's output was accepted")
        } catch let e as OutputError {
            #expect(e.description.contains("ggd sample"))
        }

        var forced = OutputFolder(path: user, command: "report", force: true)
        try forced.add("index.html", text: "<html/>")
        try forced.commit()
        #expect(entries(user) == [".ggd-output", "index.html"])
    }

    @Test func emptyFoldersAreUsedAndFilesOrTheFolderItselfRefused() throws {
        let dir = try scratch()
        let empty = FilePaths.join(dir, "empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        try OutputFolder(path: empty, command: "sample").checkDestination()
        let file = FilePaths.join(dir, "file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: OutputError.self) { try OutputFolder(path: file, command: "sample", force: true).checkDestination() }
        for path in [".", "/", "..", "a/.."] {
            #expect(throws: OutputError.self) { try OutputFolder(path: path, command: "report", force: true).checkDestination() }
        }
    }

    @Test func singleFilesReplaceOnlyGGDOutputsUnlessForced() throws {
        let dir = try scratch()
        let mine = FilePaths.join(dir, "notes.json")
        try Data(#"{"my": "notes"}"#.utf8).write(to: URL(fileURLWithPath: mine))
        #expect(throws: OutputError.self) { try OutputFile(path: mine).write(Array(#"{"tool_version": "x"}"#.utf8)) }
        #expect(try String(contentsOfFile: mine, encoding: .utf8) == #"{"my": "notes"}"#)
        let results = FilePaths.join(dir, "r.json")
        try OutputFile(path: results).write(Array(#"{"tool_version": "1"}"#.utf8))
        try OutputFile(path: results).write(Array(#"{"tool_version": "2"}"#.utf8))
        #expect(try String(contentsOfFile: results, encoding: .utf8) == #"{"tool_version": "2"}"#)
        try OutputFile(path: mine, force: true).write(Array("{}".utf8))
        #expect(try String(contentsOfFile: mine, encoding: .utf8) == "{}")
        #expect(throws: OutputError.self) { try OutputFile(path: dir).checkDestination() }
        #expect(entries(dir) == ["notes.json", "r.json"], "temporary files left behind")
    }

    @Test func inputFilesAreBoundedAndNamed() throws {
        let dir = try scratch()
        #expect(throws: InputFileError(path: FilePaths.join(dir, "none"), reason: "no such file")) { try InputFiles.read(FilePaths.join(dir, "none")) }
        #expect(throws: InputFileError.self) { try InputFiles.read(dir) }
        let big = FilePaths.join(dir, "big")
        try Data(count: 2000).write(to: URL(fileURLWithPath: big))
        #expect(throws: InputFileError.self) { try InputFiles.read(big, maximumBytes: 1000) }
        #expect(try InputFiles.read(big, maximumBytes: 2000).count == 2000)
    }

    @Test func memoryPolicyParsesSizesAndRefusesWithTheNumbers() throws {
        #expect(try MemoryPolicy.parse("8G").limitBytes == 8e9)
        #expect(try MemoryPolicy.parse("512M").limitBytes == 512e6)
        #expect(try MemoryPolicy.parse("2GiB").limitBytes == 2_147_483_648)
        #expect(try MemoryPolicy.parse("1000").limitBytes == 1000)
        for bad in ["", "-1G", "0", "nan", "1e400", "G", "12Q"] { #expect(throws: SettingError.self) { try MemoryPolicy.parse(bad) } }
        var e = MemoryEstimate("ggd sample --count 10000000")
        e.add("samples", elements: 6.4e8)
        do {
            try MemoryPolicy(limitBytes: 4e9).require(e)
            Issue.record("5.1 GB accepted under a 4 GB limit")
        } catch let error as ResourceLimitError {
            #expect(error.description.contains("5.1 GB") && error.description.contains("4.0 GB") && error.description.contains("--max-memory"))
        }
        var absurd = MemoryEstimate("D = 1e30")
        absurd.add("matrix", elements: 1e30 * 1e30)
        #expect(throws: ResourceLimitError.self) { try MemoryPolicy.standard.require(absurd) }
    }
}
