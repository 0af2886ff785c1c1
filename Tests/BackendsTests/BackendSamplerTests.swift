import Compute
import Testing
import Backends
import Diffusion
import Guidance
import LinearAlgebra
import Randomness
import ScoreNetwork

/// A sampler moved onto a backend (`BackendSampler`: the one driver, the state on the backend) draws the
/// default path's samples bit for bit wherever the precision is the same: closed-form scores on every
/// host backend (the state is Double everywhere), the Float network on openblas-float. And it does
/// move the network: in Double the draws change (by round-off), so the resident path is the one taken.
@Suite struct BackendSamplerTests {
    static let schedule = try! NoiseSchedule(kind: .cosine(), steps: 30)

    static func gaussian() throws -> GaussianScore {
        let basis = Matrix<Double>(rows: 5, columns: 2, elements: [1, 0, 0, 1, 0, 0, 0, 0, 0, 0])
        return try GaussianScore(mean: [0.3, -0.2, 0, 0, 0], basis: basis, variances: [1.5, 0.5])
    }

    static func guidance(count: Int, D: Int) throws -> LookaheadGuidance {
        let g = Matrix<Double>(rows: count, columns: D, elements: RandomStream(StreamKey(seed: 3, purpose: .data)).normalMatrix(rows: count, columns: D))
        return try LookaheadGuidance(target: GuidanceTarget(gradients: g, targets: [Double](repeating: 0.4, count: count)), beta: .code(sigma: 0.1))
    }

    @Test("closed-form score, DDPM and continuous, guided: every host backend equals the default path bit for bit",
          arguments: [BackendChoice.reference, .openBLASDouble, .openBLASFloat])
    func closedForm(_ choice: BackendChoice) throws {
        let model = try Self.gaussian()
        let guidance = try Self.guidance(count: 24, D: 5)
        let noise = SamplingNoise(seed: 11, round: 2, firstRow: 3)
        let samplers: [any PlannedSampler] = [DDPMSampler(schedule: Self.schedule, threads: 2),
                                              try ContinuousSampler(grid: ContinuousSampler.quadraticGrid(tEnd: 8, steps: 40))]
        for base in samplers {
            let expected = try base.sampleChecked(model: model, guidance: guidance, count: 24, noise: noise, progress: nil)
            let moved = try BackendSampler(base, on: choice).sampleChecked(model: model, guidance: guidance, count: 24, noise: noise, progress: nil)
            #expect(moved.elements == expected.elements, "\(choice.rawValue), \(type(of: base))")
        }
    }

    @Test("the Float network with G_loss on openblas-float equals the default path bit for bit; in Double it is moved, not copied")
    func network() throws {
        let net: EpsilonNetwork<Float> = EpsilonNetwork<Double>(architecture: try NetworkArchitecture(dimension: 5, width: 16, blocks: 1), seed: 4).converted()
        let model = NetworkScore(network: net, maximumBatch: 8)
        let guidance = try Self.guidance(count: 20, D: 5)
        let noise = SamplingNoise(seed: 5)
        let ddpm = DDPMSampler(schedule: Self.schedule)
        let expected = try ddpm.sampleChecked(model: model, guidance: guidance, count: 20, noise: noise, progress: nil)
        let float = try BackendSampler(ddpm, on: .openBLASFloat).sampleChecked(model: model, guidance: guidance, count: 20, noise: noise, progress: nil)
        #expect(float.elements == expected.elements)
        let double = try BackendSampler(ddpm, on: .openBLASDouble).sampleChecked(model: model, guidance: guidance, count: 20, noise: noise, progress: nil)
        let gap = zip(double.elements, expected.elements).map { abs($0 - $1) }.max() ?? 0
        // The Double network differs from the Float one by Float round-off, amplified over 30 steps: not 0, far below the draws' scale.
        #expect(gap > 0 && gap < 1e-2, "max |Δ| \(gap)")
    }

    @Test("the optimiser keeps the DDPM schedule (fine-tuning, the tabulated linear class) through a backend")
    func optimiserSeesTheSchedule() {
        let moved = BackendSampler(DDPMSampler(schedule: Self.schedule), on: .openBLASDouble)
        #expect(moved.discreteSchedule == Self.schedule)
    }

    @Test("an unavailable backend is an error naming it, not a crash")
    func unavailable() throws {
        guard BackendChoice.cudaFloat.unavailableReason != nil else { return }
        let model = try Self.gaussian()
        #expect(throws: BackendError.self) {
            try BackendSampler(DDPMSampler(schedule: Self.schedule), on: .cudaFloat).sampleChecked(model: model, guidance: nil, count: 4,
                                                                                                 noise: SamplingNoise(seed: 1), progress: nil)
        }
    }
}
