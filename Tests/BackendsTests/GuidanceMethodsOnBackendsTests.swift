import Compute
import Testing
import Backends
import Diffusion
import Guidance
import LinearAlgebra
import Randomness
import ScoreNetwork

/// The training-free guidance methods through `BackendSampler`: their recurrence (re-noising steps) and
/// placements run on the one driver, so every host backend draws the host path's samples bit for bit, for
/// a closed-form score and for a learned network (evaluated on the host, its state on the backend), on
/// DDPM and DDIM. (G_loss with a network is the resident path, in the backend's precision: equal to the
/// host path on openblas-float only, as `BackendSamplerTests` checks.)
@Suite struct GuidanceMethodsOnBackendsTests {
    static let schedule = try! NoiseSchedule(kind: .cosine(), steps: 30)

    static func target(count: Int, D: Int) throws -> GuidanceTarget {
        let g = Matrix<Double>(rows: count, columns: D, elements: RandomStream(StreamKey(seed: 9, purpose: .data)).normalMatrix(rows: count, columns: D))
        return try GuidanceTarget(gradients: g, targets: [Double](repeating: 0.4, count: count))
    }

    @Test("every method, closed-form and network scores, DDPM and DDIM: host backends equal the host path bit for bit",
          arguments: [BackendChoice.reference, .openBLASDouble, .openBLASFloat])
    func methodsOnBackends(_ choice: BackendChoice) throws {
        let basis = Matrix<Double>(rows: 5, columns: 2, elements: [1, 0, 0, 1, 0, 0, 0, 0, 0, 0])
        let gaussian = try GaussianScore(mean: [0.3, -0.2, 0, 0, 0], basis: basis, variances: [1.5, 0.5])
        let net: EpsilonNetwork<Float> = EpsilonNetwork<Double>(architecture: try NetworkArchitecture(dimension: 5, width: 16, blocks: 1), seed: 4).converted()
        let network = NetworkScore(network: net, maximumBatch: 8)
        let count = 12
        let target = try Self.target(count: count, D: 5)
        let samplers: [any PlannedSampler] = [DDPMSampler(schedule: Self.schedule), try DDIMSampler(schedule: Self.schedule, eta: 0.5, steps: 10)]
        for method in GuidanceMethod.defaults {
            let rule = try method.guidance(for: target, geometry: SubspaceGeometry(basis: basis))
            for model in [gaussian as any ScoreModel, network] {
                if model is NetworkScore<Float>, method.kind == .gLoss, choice != .openBLASFloat { continue }
                for base in samplers {
                    let noise = SamplingNoise(seed: 13, round: 1)
                    let expected = try base.sampleChecked(model: model, guidance: rule, count: count, noise: noise, progress: nil)
                    let moved = try BackendSampler(base, on: choice).sampleChecked(model: model, guidance: rule, count: count, noise: noise, progress: nil)
                    #expect(moved.elements == expected.elements, "\(method) on \(choice.rawValue), \(type(of: model)), \(type(of: base))")
                    #expect(expected.isFinite)
                }
            }
        }
    }

    /// DPS through a learned network: its correction −ζ∇ₓℓ(x̂₀(x)) against central differences of
    /// x ↦ ℓ(x̂₀(x)) through the Double network (smooth, O(1)): bound 1e-6 relative.
    @Test("DPS through a learned network equals finite differences")
    func dpsThroughNetwork() throws {
        let net = EpsilonNetwork<Double>(architecture: try NetworkArchitecture(dimension: 5, width: 16, blocks: 1), seed: 7)
        let model = NetworkScore(network: net, maximumBatch: 8)
        let n = 2
        let target = try Self.target(count: n, D: 5)
        let loss = MeasurementLoss(target: target)
        let dps = try DPSGuidance(loss: loss, zeta: 0.5, rule: .constant)
        let time = Self.schedule.time(12)
        let x = Matrix<Double>(rows: n, columns: 5, elements: RandomStream(StreamKey(seed: 10, purpose: .data)).normalMatrix(rows: n, columns: 5))
        let term = dps.term(model: model, x: x, denoised: model.denoise(x, at: time), time: time)
        for i in 0..<n {
            let h = 1e-5
            var fd = [Double](repeating: 0, count: 5)
            for j in 0..<5 {
                func l(_ shift: Double) -> Double {
                    var p = x
                    p[i, j] += shift
                    return loss.values(model.denoise(p, at: time))[i]
                }
                fd[j] = -0.5 * (l(h) - l(-h)) / (2 * h)
            }
            let err = zip(term.row(i), fd).map { abs($0 - $1) }.max()! / max(1e-12, fd.map(abs).max()!)
            #expect(err < 1e-6, "row \(i): relative error \(err)")
        }
    }
}
