import Compute
import Testing
import Backends
import Diffusion
import Guidance
import LinearAlgebra
import Randomness
import ScoreNetwork

/// The resident trajectory is the CPU path (`DDPMSampler` + `NetworkScore` + `LookaheadGuidance`) with
/// its state kept in one backend's memory: on a host backend it must equal that path bit for bit.
@Suite struct ResidentSamplerTests {
    static let schedule = try! NoiseSchedule(kind: .cosine(), steps: 40)

    static func network<S: BLASScalar>(_: S.Type, parameterization: OutputParameterization = .epsilon,
                                       timeConditioning: TimeConditioning = .input) throws -> EpsilonNetwork<S> {
        EpsilonNetwork<Double>(architecture: try NetworkArchitecture(dimension: 6, width: 24, blocks: 2, parameterization: parameterization,
                                                                     timeConditioning: timeConditioning), seed: 5).converted()
    }

    static func guidance(count: Int, rule: BetaRule) throws -> LookaheadGuidance {
        let g = Matrix<Double>(rows: count, columns: 6, elements: RandomStream(StreamKey(seed: 3, purpose: .data)).normalMatrix(rows: count, columns: 6))
        return try LookaheadGuidance(target: GuidanceTarget(gradients: g, targets: (0..<count).map { 0.5 + 0.1 * Double($0) }), beta: rule,
                                     coefficient: 1.5)
    }

    func compare<S: BLASScalar>(_: S.Type, backend: ComputeBackend, count: Int, maximumBatch: Int, guided: BetaRule?,
                                parameterization: OutputParameterization = .epsilon, timeConditioning: TimeConditioning = .input) throws {
        let net = try Self.network(S.self, parameterization: parameterization, timeConditioning: timeConditioning)
        let sampler = DDPMSampler(schedule: Self.schedule)
        let noise = SamplingNoise(seed: 77, round: 3, firstRow: 5)
        let guidance = try guided.map { try Self.guidance(count: count, rule: $0) }
        let cpu = sampler.sample(model: NetworkScore(network: net, maximumBatch: maximumBatch, backend: backend), guidance: guidance,
                                 count: count, noise: noise)
        let resident = try ResidentNetwork(net, steps: Self.schedule.steps, maximumBatch: maximumBatch, on: HostKernels<S>(backend))
        let draws = try ResidentSampler(sampler: sampler).sample(resident, guidance: guidance, count: count, noise: noise)
        #expect(draws.isFinite)
        #expect(draws.elements == cpu.elements, "resident and CPU trajectories differ: max |Δ| \(zip(draws.elements, cpu.elements).map { abs($0 - $1) }.max() ?? 0)")
    }

    @Test("unguided, OpenBLAS Float: bit for bit the CPU path")
    func unguidedFloat() throws { try compare(Float.self, backend: .openBLAS, count: 12, maximumBatch: 12, guided: nil) }

    @Test("G_loss with each β rule, OpenBLAS Float and Double, reference Double: bit for bit", arguments: [BetaRule.code(sigma: 0.1), .theory(sigma: 0.3), .constant(0.02)])
    func guided(rule: BetaRule) throws {
        try compare(Float.self, backend: .openBLAS, count: 10, maximumBatch: 10, guided: rule)
        try compare(Double.self, backend: .openBLAS, count: 10, maximumBatch: 10, guided: rule)
        try compare(Double.self, backend: .reference, count: 10, maximumBatch: 10, guided: rule)
    }

    @Test("v- and x₀-prediction, time in every block: bit for bit", arguments: [OutputParameterization.velocity, .denoised])
    func otherArchitectures(parameterization: OutputParameterization) throws {
        try compare(Float.self, backend: .openBLAS, count: 9, maximumBatch: 4, guided: .code(sigma: 0.1), parameterization: parameterization,
                    timeConditioning: .everyBlock)
        try compare(Double.self, backend: .openBLAS, count: 10, maximumBatch: 10, guided: .constant(0.02), parameterization: parameterization)
    }

    @Test("batches split into chunks (and a final chunk of one row) still match bit for bit")
    func chunked() throws {
        try compare(Float.self, backend: .openBLAS, count: 9, maximumBatch: 4, guided: .code(sigma: 0.1))
        try compare(Double.self, backend: .openBLAS, count: 9, maximumBatch: 4, guided: nil)
    }

    @Test("the guidance changes the draws (the test above is not comparing two unguided runs)")
    func guidanceMatters() throws {
        let net = try Self.network(Float.self)
        let resident = try ResidentNetwork(net, steps: Self.schedule.steps, maximumBatch: 8, on: HostKernels<Float>(.openBLAS))
        let sampler = ResidentSampler(sampler: DDPMSampler(schedule: Self.schedule))
        let plain = try sampler.sample(resident, guidance: nil, count: 8, noise: SamplingNoise(seed: 1))
        let guided = try sampler.sample(resident, guidance: Self.guidance(count: 8, rule: .code(sigma: 0.1)), count: 8, noise: SamplingNoise(seed: 1))
        #expect(plain.elements != guided.elements)
    }

    @Test("bad input: a guidance query of the wrong size, a schedule longer than the embedding table")
    func badInput() throws {
        let net = try Self.network(Float.self)
        let resident = try ResidentNetwork(net, steps: Self.schedule.steps, maximumBatch: 8, on: HostKernels<Float>(.openBLAS))
        let sampler = ResidentSampler(sampler: DDPMSampler(schedule: Self.schedule))
        #expect(throws: BackendError.self) {
            _ = try sampler.sample(resident, guidance: Self.guidance(count: 5, rule: .code(sigma: 0.1)), count: 8, noise: SamplingNoise(seed: 1))
        }
        let long = ResidentSampler(sampler: DDPMSampler(schedule: try NoiseSchedule(kind: .cosine(), steps: 80)))
        #expect(throws: BackendError.self) { _ = try long.sample(resident, guidance: nil, count: 2, noise: SamplingNoise(seed: 1)) }
        #expect(throws: BackendError.self) { _ = try ResidentNetwork(net, steps: 40, maximumBatch: 0, on: HostKernels<Float>(.openBLAS)) }
    }
}
