// Prints, for each `ggd optimize` rounds.csv given, the best mean reward (with its round) and the last
// one, and — where the file has them — ‖x‖, the fine-tuning loss and r_off at the start, at the peak and
// at the end, as Markdown table rows, so the Reports tables are read off the files, not typed.
//
//   swift ci/rounds-summary.swift Reports/simulation/*/rounds.csv
import Foundation

func cell(_ x: Double?) -> String { x.map { String(format: "%.3g", $0) } ?? "—" }

print("| run | best mean reward (round) | last round's reward | ‖x‖ start / peak / end | fine-tuning loss peak / end | r_off start / peak / end |")
print("|---|---|---|---|---|---|")
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
    func column(_ name: String, _ f: [String]) -> Double? { header.firstIndex(of: name).flatMap { $0 < f.count ? Double(f[$0]) : nil } }
    let rows = lines.dropFirst().compactMap { f -> (round: Int, reward: Double, fields: [String])? in
        guard f.count > max(r, m), let round = Int(f[r]), let reward = Double(f[m]) else { return nil }
        return (round, reward, f)
    }
    guard let first = rows.first, let best = rows.max(by: { $0.reward < $1.reward }), let last = rows.last else {
        FileHandle.standardError.write(Data("\(path): no rounds\n".utf8))
        exit(1)
    }
    let norm = [first, best, last].map { cell(column("mean_norm", $0.fields)) }.joined(separator: " / ")
    let loss = [best, last].map { cell(column("fine_tuning_loss", $0.fields)) }.joined(separator: " / ")
    let roff = [first, best, last].map { cell(column("mean_r_off", $0.fields)) }.joined(separator: " / ")
    print("| \(path) | \(String(format: "%.2f", best.reward)) (\(best.round)) | \(String(format: "%.2f", last.reward)) (\(last.round)) | \(norm) | \(loss) | \(roff) |")
}
