import Compute
import Foundation
import FaultInjection
import Backends
import Diffusion
import Guidance
import LinearAlgebra
import Randomness
import ScoreNetwork

/// Which backends a deliberate fault reaches. Each fault whose site is in a formula the backends share
/// (the DDPM step and its noise, the schedule, β, G_loss and its shift, Adam) is run through its seam on
/// every backend, once with the fault off and once on: the fault must change every backend's result,
/// and the backends of one precision must still agree bit for bit with it on, since they run one
/// formula (written once per backend language) and not copies of it.
public struct FaultCoverage: Codable, Sendable {
    public struct Row: Codable, Sendable, Equatable {
        public var fault: String
        public var seam: String
        public var backend: String
        /// Whether the fault changed this backend's result.
        public var changed: Bool
        /// Whether, with the fault on, the result equals the first backend of the same precision bit for bit.
        public var agrees: Bool
    }

    public var rows: [Row]
    /// The tool version that ran (recorded by `ggd`, so an output file is recognised as its own).
    public var toolVersion: String?
    /// Faults with no shared compute site (closed-form scores, the theory round): host-only by design.
    public var hostOnly: [String]

    public var covered: Bool { rows.allSatisfy { $0.changed && $0.agrees } }

    /// The seam through which each compute-reaching fault is run.
    public enum Seam: String, Codable, Sendable {
        case guidedTrajectory = "guided-trajectory"
        /// A closed-form score with host guidance, its state on each backend (`HostModelDenoiser`).
        case closedFormTrajectory = "closed-form-trajectory"
        case adam
    }

    public static func seam(of fault: Fault) -> Seam? {
        switch fault {
        case .philoxCounterReused, .scheduleClippedLow, .alphaBarOffByOne, .c2MissingSquareRoot, .varianceUndamped, .noiseAtLastStep,
             .noiseScaledByVariance, .guidanceShiftMissingH, .gLossSignFlipped, .gLossWithoutJacobian, .naiveInPlaceOfLookahead,
             .codeBetaMissingAlphaSquared, .theoryBetaMissingInverseAlpha:
            return .guidedTrajectory
        case .denoiseMissingInverseAlpha, .jacobianEigenvaluesSquared, .naiveStrengthSignFlipped:
            return .closedFormTrajectory
        case .adamBiasCorrectionMissing:
            return .adam
        default:
            return nil
        }
    }

    /// Runs `faults` through their seams (faults without a compute site are listed as host-only).
    public static func run(faults: [Fault] = Fault.allCases, progress: ((String) -> Void)? = nil) throws -> FaultCoverage {
        var rows = [Row]()
        var hostOnly = [String]()
        for fault in faults {
            guard let seam = seam(of: fault) else {
                hostOnly.append(fault.rawValue)
                continue
            }
            let clean = try outputs(seam, for: fault)
            let faulty = try FaultHook.inject(fault, acknowledging: FaultHook.acknowledgement) { try outputs(seam, for: fault) }
            var firstOfPrecision: [String: [Double]] = [:]
            for ((backend, precision, before), (_, _, after)) in zip(clean, faulty) {
                let reference = firstOfPrecision[precision] ?? after
                firstOfPrecision[precision] = reference
                rows.append(Row(fault: fault.rawValue, seam: seam.rawValue, backend: backend, changed: before != after, agrees: after == reference))
            }
            let missed = rows.filter { $0.fault == fault.rawValue && !($0.changed && $0.agrees) }.map(\.backend)
            progress?("\(fault.rawValue): " + (missed.isEmpty ? "reaches every backend alike" : "not alike on \(missed.joined(separator: ", "))"))
        }
        return FaultCoverage(rows: rows, hostOnly: hostOnly)
    }

    /// The seam's result on every backend: (backend, precision, values).
    static func outputs(_ seam: Seam, for fault: Fault) throws -> [(String, String, [Double])] {
        switch seam {
        case .guidedTrajectory: return try trajectories(rule: fault == .theoryBetaMissingInverseAlpha ? .theory(sigma: 1) : .code(sigma: 0.1))
        case .closedFormTrajectory: return try closedForm(naive: fault == .naiveStrengthSignFlipped)
        case .adam: return try AdamSeam.onEveryBackend()
        }
    }

    /// A guided DDPM trajectory of a Gaussian subspace score (D = 5, d = 2, T = 12, 6 draws) with G_loss
    /// (or Proposition 1's naive G), evaluated on the host, its state and step on each backend: the
    /// default path, the reference and openblas-float host kernels, and the CUDA source built for this CPU.
    /// The state is Double on every backend, so all agree bit for bit.
    static func closedForm(naive: Bool) throws -> [(String, String, [Double])] {
        let (D, count) = (5, 6)
        let basis = Matrix<Double>(rows: D, columns: 2, elements: [0.6, 0, 0, 0.8, 0.8, 0, 0, 0.6, 0, 0])
        let model = try GaussianScore(mean: [0.2, -0.1, 0.3, 0.1, 0], basis: basis, variances: [1.5, 0.5])
        let g = [0.5, -1, 0.25, 0.8, 1.2]
        let guidance: any GuidanceTerm = naive
            ? try ObjectiveGradientGuidance(objective: LinearObjective(theta: g), strength: 0.7)
            : try LookaheadGuidance(target: GuidanceTarget.shared(gradient: g, target: 1.5, count: count), beta: .code(sigma: 0.1))
        let ddpm = DDPMSampler(schedule: try NoiseSchedule(kind: .cosine(), steps: 12))
        let noise = SamplingNoise(seed: 33, round: 2)
        func on<K: SamplerBackend>(_ k: K) throws -> [Double] {
            try SamplerDriver.run(ddpm.plan, denoiser: HostModelDenoiser(model: model, guidance: guidance, on: k), on: k, count: count, dimension: D,
                                  noise: noise).elements
        }
        var out: [(String, String, [Double])] = [
            ("host (DDPMSampler)", "double", ddpm.sample(model: model, guidance: guidance, count: count, noise: noise).elements),
            ("reference-double", "double", try on(HostKernels<Double>(.reference))),
            ("openblas-float", "double", try on(HostKernels<Float>(.openBLAS))),
        ]
        if CUDASourceLibrary.unavailableReason == nil {
            out.append(("cuda-source-double", "double", try on(CUDASourceOnCPU<Double>())))
            out.append(("cuda-source-float", "double", try on(CUDASourceOnCPU<Float>())))
        }
        return out
    }

    /// A G_loss-guided DDPM trajectory of a small ε-network (D = 4, T = 12, 6 draws): the host path
    /// (`DDPMSampler` with `NetworkScore` and `LookaheadGuidance`), the resident path on the OpenBLAS
    /// and reference kernels, and the CUDA source built for this CPU.
    static func trajectories(rule: BetaRule) throws -> [(String, String, [Double])] {
        let (D, count, steps) = (4, 6, 12)
        let schedule = try NoiseSchedule(kind: .cosine(), steps: steps)
        let network = EpsilonNetwork<Double>(architecture: try NetworkArchitecture(dimension: D, width: 16, blocks: 1), seed: 5)
        let floatNetwork: EpsilonNetwork<Float> = network.converted()
        let g = Matrix<Double>(rows: count, columns: D, elements: RandomStream(StreamKey(seed: 3, purpose: .data)).normalMatrix(rows: count, columns: D))
        let guidance = try LookaheadGuidance(target: GuidanceTarget(gradients: g, targets: [Double](repeating: 0.7, count: count)), beta: rule,
                                             coefficient: 1.5)
        let noise = SamplingNoise(seed: 21, round: 1)
        let ddpm = DDPMSampler(schedule: schedule)
        let resident = ResidentSampler(sampler: ddpm)
        func on<K: SamplerBackend>(_ k: K, _ net: EpsilonNetwork<K.Scalar>) throws -> [Double] {
            try resident.sample(ResidentNetwork(net, steps: steps, maximumBatch: 4, on: k), guidance: guidance, count: count, noise: noise).elements
        }
        var out: [(String, String, [Double])] = [
            ("host (NetworkScore)", "float", ddpm.sample(model: NetworkScore(network: floatNetwork, maximumBatch: 4), guidance: guidance, count: count,
                                                         noise: noise).elements),
            ("openblas-float resident", "float", try on(HostKernels<Float>(.openBLAS), floatNetwork)),
            ("reference-double resident", "double", try on(HostKernels<Double>(.reference), network)),
        ]
        if CUDASourceLibrary.unavailableReason == nil {
            out.append(("cuda-source-float", "float", try on(CUDASourceOnCPU<Float>(), floatNetwork)))
            out.append(("cuda-source-double", "double-cuda", try on(CUDASourceOnCPU<Double>(), network)))
        }
        return out
    }

    /// The coverage as a table.
    public func table() -> String {
        var lines = ["fault".padding(toLength: 34, withPad: " ", startingAt: 0) + "backend".padding(toLength: 30, withPad: " ", startingAt: 0)
                     + "changed  alike"]
        for r in rows {
            lines.append(r.fault.padding(toLength: 34, withPad: " ", startingAt: 0) + r.backend.padding(toLength: 30, withPad: " ", startingAt: 0)
                         + (r.changed ? "yes" : "NO ").padding(toLength: 9, withPad: " ", startingAt: 0) + (r.agrees ? "yes" : "NO"))
        }
        let faults = Set(rows.map(\.fault)).count
        lines.append("")
        lines.append(covered ? "every one of \(faults) compute faults reaches every backend alike"
                             : "\(Set(rows.filter { !($0.changed && $0.agrees) }.map(\.fault)).count) of \(faults) compute faults do not reach every backend alike")
        if !hostOnly.isEmpty {
            lines.append("host-only sites (the exact law, the theory round and the algorithms' presets, which run on the host on every path; "
                         + "the mixture score and the offset refit, outside these seams): " + hostOnly.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
