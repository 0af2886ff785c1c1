// The chosen network's speed beside JAX's jit of the same network, read off the files `ggd bench --json`
// and `ci/jax-bench.py --json` wrote (alternating runs on one machine), as a Markdown table.
//
//   swift ci/network-bench-table.swift Reports/networks/ggd-bench-v-run*.json -- Reports/networks/jax-bench-v-run*.json
import Foundation

func load(_ path: String) -> [String: Any] {
    guard let data = FileManager.default.contents(atPath: path),
          let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    return json
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let split = arguments.firstIndex(of: "--") else {
    FileHandle.standardError.write(Data("usage: network-bench-table.swift GGD.json... -- JAX.json...\n".utf8))
    exit(64)
}
let ggd = arguments[..<split].map(load), jax = arguments[(split + 1)...].map(load)
func ggdRow(_ r: [String: Any], _ prefix: String) -> Double? {
    (r["rows"] as? [[String: Any]])?.first { ($0["name"] as? String)?.hasPrefix(prefix) == true }?["seconds"] as? Double
}
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.isEmpty ? .nan : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }
let ggdRound = ggd.compactMap { ggdRow($0, "G_loss round") }, ggdBatch = ggd.compactMap { ggdRow($0, "training batch") }
let jaxRound = jax.compactMap { $0["gloss_round_seconds_median"] as? Double }, jaxBatch = jax.compactMap { $0["training_batch_seconds_median"] as? Double }
func list(_ xs: [Double], _ scale: Double, _ f: String) -> String { xs.map { String(format: f, $0 * scale) }.joined(separator: " / ") }
let core = ggd.first?["openblas_core"] as? String ?? "?"
print("| measure | ggd (runs) | JAX jit (runs) | ggd ÷ JAX (medians) |")
print("|---|---|---|---|")
print("| G_loss round, B = 32, T = 200 (s) | \(list(ggdRound, 1, "%.3f")) | \(list(jaxRound, 1, "%.3f")) | \(String(format: "%.2f", median(ggdRound) / median(jaxRound))) |")
print("| training batch of 32 (ms) | \(list(ggdBatch, 1000, "%.2f")) | \(list(jaxBatch, 1000, "%.2f")) | \(String(format: "%.2f", median(ggdBatch) / median(jaxBatch))) |")
print("| 20 epochs of 65536 points, implied (min) | \(list(ggdBatch, 40960.0 / 60, "%.2f")) | \(list(jaxBatch, 40960.0 / 60, "%.2f")) | |")
print("")
print("ggd: OpenBLAS core \(core), 2 BLAS threads for the network rows, each figure a median of \((ggd.first?["repeats"] as? Int) ?? 0); JAX: \(jax.first?["framework"] as? String ?? "?"), medians of \((jax.first?["repeats"] as? Int) ?? 0) rounds and of 3 epochs of \((jax.first?["batches"] as? Int) ?? 0) batches.")
