import Compute
import Testing
import Backends
import Diffusion
import Guidance
import LinearAlgebra
import Randomness
import ScoreNetwork

/// The CUDA kernels' source, compiled as C++ and run on this CPU (`CUDASourceOnCPU`), must do
/// exactly what the host kernels do: the same G_loss trajectory, the same training epochs and the same
/// Philox–ziggurat normals, bit for bit. This checks the CUDA backend's arithmetic where no GPU is; the
/// launches themselves (argument layout, grids) are checked on a GPU by `CUDAResidentTests`.
@Suite(.enabled(if: CUDASourceLibrary.unavailableReason == nil, Comment(rawValue: CUDASourceLibrary.unavailableReason ?? "")))
struct CUDASourceOnCPUTests {
    @Test("a guided trajectory through the CUDA source equals the host's bit for bit, Float and Double kernels")
    func trajectory() throws {
        try trajectory(Float.self)
        try trajectory(Double.self)
    }

    /// The paper's network, and v-prediction with time in every block (the tweedie and residual kernels'
    /// other coefficients, the per-block time maps).
    static let architectures: [(OutputParameterization, TimeConditioning)] = [(.epsilon, .input), (.velocity, .everyBlock), (.denoised, .input)]

    func trajectory<S: BLASScalar>(_: S.Type) throws {
        for (p, c) in Self.architectures { try trajectory(S.self, parameterization: p, timeConditioning: c) }
    }

    func trajectory<S: BLASScalar>(_: S.Type, parameterization: OutputParameterization, timeConditioning: TimeConditioning) throws {
        let schedule = try NoiseSchedule(kind: .cosine(), steps: 40)
        let architecture = try NetworkArchitecture(dimension: 6, width: 24, blocks: 2, parameterization: parameterization, timeConditioning: timeConditioning)
        let network: EpsilonNetwork<S> = EpsilonNetwork<Double>(architecture: architecture, seed: 5).converted()
        let g = Matrix<Double>(rows: 12, columns: 6, elements: RandomStream(StreamKey(seed: 3, purpose: .data)).normalMatrix(rows: 12, columns: 6))
        let sampler = ResidentSampler(sampler: DDPMSampler(schedule: schedule))
        for rule in [BetaRule.code(sigma: 0.1), .theory(sigma: 0.3), .constant(0.05)] {
            let guidance = try LookaheadGuidance(target: GuidanceTarget(gradients: g, targets: [Double](repeating: 0.7, count: 12)), beta: rule, coefficient: 1.5)
            let noise = SamplingNoise(seed: 21, round: 2, firstRow: 3)
            let host = try sampler.sample(ResidentNetwork(network, steps: 40, maximumBatch: 5, on: HostKernels<S>(.openBLAS)), guidance: guidance,
                                          count: 12, noise: noise)
            let emulated = try sampler.sample(ResidentNetwork(network, steps: 40, maximumBatch: 5, on: try CUDASourceOnCPU<S>()), guidance: guidance,
                                              count: 12, noise: noise)
            #expect(emulated.elements == host.elements, "\(architecture.name) \(rule.name): max |Δ| \(zip(emulated.elements, host.elements).map { abs($0 - $1) }.max() ?? 0)")
        }
    }

    @Test("training epochs through the CUDA source equal the host's bit for bit, Float and Double kernels")
    func training() throws {
        try training(Float.self)
        try training(Double.self)
    }

    func training<S: BLASScalar>(_: S.Type) throws {
        for (p, c) in Self.architectures { try training(S.self, parameterization: p, timeConditioning: c) }
    }

    func training<S: BLASScalar>(_: S.Type, parameterization: OutputParameterization, timeConditioning: TimeConditioning) throws {
        let architecture = try NetworkArchitecture(dimension: 5, width: 16, blocks: 2, parameterization: parameterization, timeConditioning: timeConditioning)
        let network: EpsilonNetwork<S> = EpsilonNetwork<Double>(architecture: architecture, seed: 2).converted()
        let schedule = try NoiseSchedule(kind: .cosine(), steps: 30)
        let values = RandomStream(StreamKey(seed: 4, purpose: .data)).normals(row: 0, count: 70 * 5).map { S($0) }
        func run<K: SamplerBackend<S>>(_ k: K) throws -> ([S], Double) {
            let training = try ResidentTraining(network: ResidentNetwork(network, steps: 30, maximumBatch: 16, on: k),
                                                optimizer: Adam<S>(parameterCount: network.parameterCount, learningRate: 1e-3), schedule: schedule)
            let data = try k.array(values)
            var loss = 0.0
            for e in 0..<2 { loss = try training.epoch(data: data, points: 70, batchSize: 16, seed: 9, epoch: e) }
            return (try training.network.network().parameters, loss)
        }
        let (a, la) = try run(HostKernels<S>(.openBLAS))
        let (b, lb) = try run(try CUDASourceOnCPU<S>())
        #expect(a == b, "\(architecture.name): parameters differ: max |Δ| \(zip(a, b).map { abs(Double($0) - Double($1)) }.max() ?? 0)")
        #expect(la == lb)
    }

    @Test("the ziggurat normals of the CUDA source are the host's, number for number (tail and wedge draws included)")
    func normals() throws {
        let k = try CUDASourceOnCPU<Double>()
        let (rows, columns) = (400, 64)
        let out = k.allocate(Double.self, count: rows * columns)
        let key = StreamKey(seed: 99, purpose: .stepNoise, major: 1, minor: 7)
        k.fillNormals(out.pointer, rows: rows, columns: columns, key: key, firstRow: 11)
        let device = try k.values(out.pointer, count: rows * columns)
        let host = RandomStream(key).normalMatrix(rows: rows, columns: columns, firstRow: 11)
        let mismatches = zip(device, host).enumerated().filter { $0.element.0 != $0.element.1 }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(host.count) normals differ, the first at \(mismatches.first.map { "\($0.offset): \($0.element.0) vs \($0.element.1)" } ?? "")")
        // 25 600 draws reach the tail (|z| > 3.654, P ≈ 2.6e-4 per draw) about 6.6 times and the wedges hundreds of times.
        #expect(host.contains { abs($0) > Ziggurat.tailStart })
    }
}
