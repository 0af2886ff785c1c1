import Testing
import Reproduction
@testable import TheoryReport

/// The reproduction table's judgement of "reward grows with δ" rests on Spearman's rank correlation.
@Suite struct PaperFactsTests {
    @Test func spearmanRanksMonotoneReversedAndTiedSeries() {
        let d = [0.02, 0.07, 0.12, 0.17, 0.22]
        #expect(PaperFact.spearman(d, [0.1, 0.2, 0.5, 0.6, 0.9]) == 1)
        #expect(PaperFact.spearman(d, [0.9, 0.6, 0.5, 0.2, 0.1]) == -1)
        // One swapped pair of five: ρ = 1 − 6·2/(5·24) = 0.9.
        #expect(abs(PaperFact.spearman(d, [0.1, 0.5, 0.2, 0.6, 0.9]) - 0.9) < 1e-12)
        // Ties get their mean rank; a constant series has no correlation.
        #expect(abs(PaperFact.spearman(d, [0.1, 0.1, 0.5, 0.6, 0.9]) - 0.9746794344808963) < 1e-12)
        #expect(PaperFact.spearman(d, [1, 1, 1, 1, 1]).isNaN)
        #expect(PaperFact.spearman([1], [2]).isNaN)
    }
}

/// `ggd reproduce`'s paper.md: the facts judged on the interval over seeds, with the network named.
@Suite struct PaperComparisonTests {
    static func seed(roff: Double, naive: Double, lookahead: Double) -> SimulationStudy.Results {
        SimulationStudy.Results(numbers: ["pretrained_r_off_mean": roff, "alg1_G_final_r_off": naive, "alg1_Gloss_final_r_off": lookahead])
    }

    @Test func verdictsFollowTheIntervalOverSeeds() throws {
        // r_off well below 0.039 on every seed: agrees; G/G_loss ratio about 20 on every seed: agrees.
        let good = [Self.seed(roff: 0.028, naive: 0.60, lookahead: 0.030), Self.seed(roff: 0.029, naive: 0.62, lookahead: 0.031),
                    Self.seed(roff: 0.027, naive: 0.58, lookahead: 0.029)]
        let table = PaperComparison.markdown(studies: good, spheres: [], roundScale: 1, network: "mlp-512x4-v", sphereNetwork: "—")
        let rows = table.split(separator: "\n").map(String.init)
        let roff = try #require(rows.first { $0.contains("off/on-support ratio") })
        #expect(roff.contains("| agrees |") && roff.contains("mlp-512x4-v") && roff.contains("over 3 seeds"), "\(roff)")
        let order = try #require(rows.first { $0.contains("Naive G leaves span(A)") })
        #expect(order.contains("| agrees |"), "\(order)")
        // Ratios of about 4: the whole interval is below 10, so the table says "differs".
        let weak = [Self.seed(roff: 0.050, naive: 0.12, lookahead: 0.030), Self.seed(roff: 0.051, naive: 0.13, lookahead: 0.031)]
        let rows2 = PaperComparison.markdown(studies: weak, spheres: [], roundScale: 1, network: "n", sphereNetwork: "—").split(separator: "\n")
        #expect(rows2.first { $0.contains("Naive G leaves span(A)") }!.contains("| differs |"))
        #expect(rows2.first { $0.contains("off/on-support ratio") }!.contains("| differs |"))
        // Nothing measured (a sphere-only run): not a verdict.
        let none = PaperComparison.markdown(studies: [], spheres: [], roundScale: 1, network: "—", sphereNetwork: "—")
        #expect(none.split(separator: "\n").first { $0.contains("off/on-support ratio") }!.contains("| not measured here |"))
        // A run without the sphere part says so rather than "no overlap".
        #expect(none.split(separator: "\n").first { $0.contains("at equal reward") }!.contains("| not run | not measured here |"))
    }

    /// The sphere's frontier judged on the absolute and on the signed deviation; the signed one by its size,
    /// so G_loss's draws slightly inside the sphere (−0.01) deviate less than G's far inside it (−0.2).
    @Test func theSphereIsJudgedOnBothDeviationsTheSignedOneBySize() throws {
        func sphere(_ shift: Double) -> SimulationStudy.Results {
            var n = [String: Double]()
            for (k, delta) in ["0.1", "0.2", "0.3", "0.4"].enumerated() {
                let reward = 0.2 * Double(k + 1) + shift
                n["sphere_lookahead_delta\(delta)_reward"] = reward
                n["sphere_naive_delta\(delta)_reward"] = reward + 0.05
                n["sphere_lookahead_delta\(delta)_deviation"] = 0.05
                n["sphere_naive_delta\(delta)_deviation"] = 0.2 + 0.05 * Double(k)
                n["sphere_lookahead_delta\(delta)_signed_deviation"] = -0.01
                n["sphere_naive_delta\(delta)_signed_deviation"] = -(0.2 + 0.05 * Double(k))
            }
            return SimulationStudy.Results(numbers: n)
        }
        let table = PaperComparison.markdown(studies: [], spheres: [sphere(0), sphere(0.001), sphere(-0.001)], roundScale: 1, network: "—", sphereNetwork: "s")
        let rows = table.split(separator: "\n").filter { $0.contains("at equal reward") }
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.contains("| agrees |") }, "\(rows)")
        #expect(rows.last!.contains("the paper's code's measure") && rows.last!.contains("network s trained on sphere data"))
    }
}
