import Compute
import Foundation
import Backends
import Diffusion
import Experiments
import Guidance
import LinearAlgebra
import ScoreNetwork

/// The learned network's G_loss round resident on a host backend at growing batch sizes (`ggd bench
/// --batch-sizes`): throughput (samples·steps per second), the round's gemm rate against this machine's
/// sgemm peak measured in the same run, and with `profile` where the time goes, kernel by kernel
/// (`KernelProfile`).
public enum ScalingBenchmarks {
    /// One batch size's measurements.
    public struct Point: Codable, Sendable, Equatable {
        public var batch: Int
        public var seconds: Double
        public var samplesStepsPerSecond: Double
        public var gflops: Double
        /// Share of the measured sgemm peak.
        public var peakShare: Double
        /// Seconds and calls per kernel category of one profiled round (empty without `profile`).
        public var profile: [String: Double]
    }

    public struct Result: Codable, Sendable, Equatable {
        public var backend: String
        public var network: String
        public var steps: Int
        public var threads: Int
        /// The measured sgemm peak (1024³, `threads` threads), GFLOP/s.
        public var sgemmPeak: Double
        public var points: [Point]
    }

    /// The gemm work of one G_loss step at batch B: a forward pass and an input VJP, 4B(2DW + LW²) flops.
    public static func stepFlops(_ a: NetworkArchitecture, batch B: Int) -> Double {
        4 * Double(B) * (2 * Double(a.dimension * a.width) + Double(a.blocks * a.width * a.width))
    }

    /// sgemm's best rate on 1024³ over 9 runs (a peak: the fastest run, since a shared machine only ever
    /// slows a run down), GFLOP/s, on the current BLAS threads.
    public static func sgemmPeak(repeats: Int) -> Double {
        let n = 1024
        let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        Float.gemm(transA: false, transB: false, m: n, n: n, k: n, alpha: 1, a: a, lda: n, b: b, ldb: n, beta: 0, c: &c, ldc: n)
        var t = Double.infinity
        for _ in 0..<9 {
            t = min(t, medianTime(repeats: 1) {
                Float.gemm(transA: false, transB: false, m: n, n: n, k: n, alpha: 1, a: a, lda: n, b: b, ldb: n, beta: 0, c: &c, ldc: n)
            })
        }
        return 2 * Double(n * n * n) / t / 1e9
    }

    /// The round at each of `sizes` on `choice` (a host backend), median of `repeats`.
    public static func run(on choice: BackendChoice, sizes: [Int], threads: Int, repeats: Int, profile: Bool) throws -> Result {
        BLASRuntime.setThreadCount(threads)
        let peak = sgemmPeak(repeats: repeats)
        let experiment = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        let architecture = try NetworkArchitecture.mlp512x4(dimension: experiment.setting.data.ambientDimension)
        let points = try choice.with(threads: 1, FloatOrDouble(
            float: { try Self.measure($0, architecture: architecture, experiment: experiment, sizes: sizes, repeats: repeats, peak: peak, profile: profile) },
            double: { try Self.measure($0, architecture: architecture, experiment: experiment, sizes: sizes, repeats: repeats, peak: peak, profile: profile) }))
        return Result(backend: choice.rawValue, network: architecture.name, steps: experiment.schedule.steps, threads: threads, sgemmPeak: peak,
                      points: points)
    }

    static func measure<K: SamplerBackend>(_ k: K, architecture: NetworkArchitecture, experiment: ResolvedExperiment, sizes: [Int], repeats: Int,
                                           peak: Double, profile: Bool) throws -> [Point] {
        let T = experiment.schedule.steps
        let network: EpsilonNetwork<K.Scalar> = EpsilonNetwork<Double>(architecture: architecture, seed: 7).converted()
        return try sizes.map { B in
            let resident = try ResidentNetwork(network, steps: T, maximumBatch: B, on: k)
            let sampler = ResidentSampler(sampler: DDPMSampler(schedule: experiment.schedule))
            let start = try sampler.sample(resident, guidance: nil, count: B, noise: SamplingNoise(seed: 1234))
            let gradients = experiment.objective.gradients(start)
            let targets = (0..<B).map { 0.2 + Vectors.dot(gradients.row($0), start.row($0)) }
            let guidance = try LookaheadGuidance(target: GuidanceTarget(gradients: gradients, targets: targets), beta: .code(sigma: 0.1))
            var round = 0
            let t = try medianTime(repeats: repeats) {
                round += 1
                _ = try sampler.sample(resident, guidance: guidance, count: B, noise: SamplingNoise(seed: 1234, round: round))
            }
            let flops = stepFlops(architecture, batch: B) * Double(T)
            var shares: [String: Double] = [:]
            if profile {
                let (_, wall, entries) = try KernelProfile.measure {
                    try sampler.sample(resident, guidance: guidance, count: B, noise: SamplingNoise(seed: 1234, round: round + 1))
                }
                var accounted = 0.0
                for (category, entry) in entries where entry.calls > 0 {
                    shares[category.name] = entry.seconds
                    accounted += entry.seconds
                }
                shares["other (driver, allocation, hand-offs)"] = max(0, wall - accounted)
                shares["wall"] = wall
            }
            return Point(batch: B, seconds: t, samplesStepsPerSecond: Double(B * T) / t, gflops: flops / t / 1e9, peakShare: flops / t / 1e9 / peak,
                         profile: shares)
        }
    }

    /// The table rows of a result (with the profile's breakdown under each batch).
    public static func rows(_ r: Result) -> [BenchmarkRow] {
        var out = [BenchmarkRow("\(r.backend): sgemm 1024³ peak, \(r.threads) threads", 2 * pow(1024, 3) / (r.sgemmPeak * 1e9),
                                String(format: "%.0f GFLOP/s", r.sgemmPeak))]
        for p in r.points {
            out.append(BenchmarkRow("\(r.backend): G_loss round, \(r.network), B = \(p.batch), T = \(r.steps)", p.seconds,
                                    String(format: "%.0f samples·steps/s, %.0f GFLOP/s = %.0f%% of sgemm peak", p.samplesStepsPerSecond, p.gflops,
                                           100 * p.peakShare)))
            guard let wall = p.profile["wall"], wall > 0 else { continue }
            for (name, seconds) in p.profile.filter({ $0.key != "wall" }).sorted(by: { $0.value > $1.value }) {
                out.append(BenchmarkRow("    B = \(p.batch): \(name)", seconds, String(format: "%.1f%% of the profiled round", 100 * seconds / wall)))
            }
        }
        return out
    }
}
