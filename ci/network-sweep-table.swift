// Reads what ci/network-sweep wrote for each architecture (NAME-train.txt from `ggd train`, NAME-check.json
// from `ggd check --network`) and prints the sweep table as Markdown, so the table is read off the files.
//
//   swift ci/network-sweep-table.swift Reports/networks epsilon-input v-input ...
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else { fail("usage: network-sweep-table.swift FOLDER NAME...") }
let folder = arguments[0]

func format(_ x: Double?, _ spec: String = "%.3g") -> String { x.map { String(format: spec, $0) } ?? "—" }

print("| architecture | parameters | training (s) | mean r_off | worst projected KS D | M-law p: projected KS (Hotelling) | beyond 2·max‖data‖ | ‖x‖ 99.9% / max | M-leak (α-weighted on-span) | full-matrix leak at t = 1 | M-order bound | fails |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for name in arguments.dropFirst() {
    guard let train = try? String(contentsOfFile: "\(folder)/\(name)-train.txt", encoding: .utf8) else { fail("cannot read \(folder)/\(name)-train.txt") }
    // "trained mlp-512x4-v (D = 64, 919616 parameters): 20 epochs, …" and "wall time 57.2 s (…)".
    func capture(_ pattern: String) -> String? {
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: train, range: NSRange(train.startIndex..., in: train)), m.numberOfRanges > 1,
              let r = Range(m.range(at: 1), in: train) else { return nil }
        return String(train[r])
    }
    guard let trained = capture("trained ([^ ]+) "), let parameters = capture(", ([0-9]+) parameters"),
          let seconds = capture("wall time ([0-9.]+) s") else { fail("\(name)-train.txt: no 'trained … parameters' and 'wall time' lines") }
    guard let data = FileManager.default.contents(atPath: "\(folder)/\(name)-check.json"),
          let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let properties = json["properties"] as? [[String: Any]] else { fail("cannot read \(folder)/\(name)-check.json") }
    var numbers: [String: [String: Double]] = [:]
    var failing: [String] = []
    for p in properties {
        guard let id = p["id"] as? String else { continue }
        if p["passed"] as? Bool == false { failing.append(id) }
        // The first case's numbers (a failing property's shrunk case comes first in `failures`, the cases in order).
        let cases = p["cases"] as? [[String: Any]] ?? []
        numbers[id] = (cases.first?["evidence"] as? [String: Any])?["numbers"] as? [String: Double] ?? [:]
    }
    let o = numbers["M-outliers"] ?? [:], l = numbers["M-law"] ?? [:], k = numbers["M-leak"] ?? [:]
    let beyond = o["draws_beyond"].map { "\(Int($0)) of \(Int(o["draws"] ?? 0))" } ?? "—"
    let architecture = trained + (name.contains("-ema") ? " + EMA " + name.components(separatedBy: "-ema").last! : "")
    let law = "\(format(l["p_projected_ks"])) (\(format(l["p_hotelling"])))"
    print("| \(architecture) | \(parameters) | \(seconds) | \(format(numbers["M-offspan"]?["mean_r_off"])) | \(format(l["worst_ks_statistic"])) | \(law) | \(beyond) | "
          + "\(format(o["norm_q99.9"])) / \(format(o["norm_q100"])) | \(format(k["weighted_on_span_leak"])) | \(format(k["leak_t1"])) | "
          + "\(format(numbers["M-order"]?["upper_bound_999"])) | \(failing.isEmpty ? "none" : failing.joined(separator: ", ")) |")
}
