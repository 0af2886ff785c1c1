import Foundation
import Reporting
import Reproduction

/// The paper's simulation study rerun with the chosen network (`--profile full`, or any run with
/// `ReportConfiguration.networkStudy`): the same facts table as the reproduction section, judged on the
/// interval over the same seeds, and the study's figures with their bands, ids prefixed `network-`.
enum NetworkStudySection {
    /// The seeds' linear-latent and sphere results as one (means with intervals), or nil when not run.
    static func combined(_ m: NetworkQualityMeasurement?) -> SimulationStudy.Results? {
        guard let m, !m.studies.isEmpty else { return nil }
        return SeedSummary.combine(zip(m.studies, m.spheres).map { $0.merging($1) })
    }

    static func figures(_ m: NetworkQualityMeasurement?) throws -> [Figure] {
        guard let c = combined(m), let m else { return [] }
        let renamed = SimulationStudy.Results(numbers: c.numbers, figures: c.figures.map {
            FigureData(id: "network_" + $0.id, title: $0.title + " — \(m.chosen.architecture)", xLabel: $0.xLabel, yLabel: $0.yLabel,
                       series: $0.series, settings: $0.settings)
        })
        let captions = Dictionary(uniqueKeysWithValues: StudyFigures.captions.map { ("network_" + $0.key, $0.value) })
        return try StudyFigures.figures(renamed, captions: captions)
    }

    static func metrics(_ m: NetworkQualityMeasurement?) -> [Metric] {
        guard let c = combined(m) else { return [] }
        return c.numbers.sorted { $0.key < $1.key }.map {
            Metric(name: "reproduction.network.\($0.key)", value: $0.value, tolerance: .measurement,
                   meaning: $0.key.replacingOccurrences(of: "_", with: " ") + " (the chosen network)")
        }
    }

    static func blocks(_ m: NetworkQualityMeasurement?, figures: [Figure], seeds: [UInt64], roundScale: Double) -> [Block] {
        guard let m, !m.studies.isEmpty else { return [] }
        let facts = PaperFact.all(studies: m.studies, spheres: m.spheres, roundScale: roundScale, network: m.chosen.architecture,
                                  sphereNetwork: m.sphereArchitecture)
        var blocks: [Block] = [.heading(level: 2, text: "Reproduction with the learned network", anchor: "network-reproduction")]
        blocks.append(.paragraph([.text("The same study rerun with the chosen network \(m.chosen.architecture) of the model-quality section (and the same architecture trained on sphere data for the sphere), seeds "
                                        + seeds.map(String.init).joined(separator: ", ") + " at \(ClaimSummary.number(roundScale))× the paper's round counts; "),
                                  .text("Algorithm 2 fine-tunes the network as the paper's reference code does. "),
                                  .code("ggd reproduce simulation --seeds …"), .text(" runs the same study from the command line.")]))
        blocks.append(.table(PaperFact.table(facts)))
        for f in figures { blocks.append(.figure(f)) }
        return blocks
    }
}
