// Prints the best mean reward (with its round) and the final one of each `ggd optimize` rounds.csv given,
// as the rows of Reports/README.md's Algorithm 2 table, so that table is read off the files, not typed.
//
//   swift ci/rounds-summary.swift Reports/simulation/*/rounds.csv
import Foundation

for path in CommandLine.arguments.dropFirst() {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    guard let header = lines.first, let r = header.firstIndex(of: "round"), let m = header.firstIndex(of: "mean_reward") else {
        FileHandle.standardError.write(Data("\(path): no round and mean_reward columns\n".utf8))
        exit(1)
    }
    let rows = lines.dropFirst().compactMap { f -> (round: Int, reward: Double)? in
        guard f.count > max(r, m), let round = Int(f[r]), let reward = Double(f[m]) else { return nil }
        return (round, reward)
    }
    guard let best = rows.max(by: { $0.reward < $1.reward }), let last = rows.last else {
        FileHandle.standardError.write(Data("\(path): no rounds\n".utf8))
        exit(1)
    }
    print("\(path): best \(String(format: "%.2f", best.reward)) (round \(best.round)), final \(String(format: "%.2f", last.reward)) (round \(last.round))")
}
