import Foundation
import Testing

/// `ggd bench --figure FILE`: a rerun replaces the figure it wrote; a file it did not write is refused
/// before any timing runs, and left as it was.
@Suite struct BenchFigureTests {
    @Test("the scaling figure is replaced on a rerun; a foreign file is refused up front")
    func figureDestination() throws {
        let dir = try CommandRunner.temporaryDirectory()
        let figure = dir.appendingPathComponent("s.svg").path
        let args = ["bench", "--skip-network", "--rounds", "1", "--method-rounds", "1", "--repeats", "1", "--batch-sizes", "4", "--figure", figure]
        let first = try CommandRunner.run(args)
        #expect(first.status == 0, "\(first.stderr)")
        let again = try CommandRunner.run(args)
        #expect(again.status == 0, "a rerun must replace its own figure: \(again.stderr)")
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: figure)), as: UTF8.self).contains("<svg"))

        let foreign = dir.appendingPathComponent("notes.svg").path
        try Data("mine".utf8).write(to: URL(fileURLWithPath: foreign))
        let refused = try CommandRunner.run(["bench", "--skip-network", "--batch-sizes", "4", "--figure", foreign])
        #expect(refused.status == 73 && refused.stderr.contains("notes.svg"), "\(refused.stderr)")
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: foreign)), as: UTF8.self) == "mine")
    }
}
