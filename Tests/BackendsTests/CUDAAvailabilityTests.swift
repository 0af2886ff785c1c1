import Compute
import Testing
import Backends
import CUDADriver
import Diffusion
import Guidance
import LinearAlgebra
import Randomness
import ScoreNetwork

/// The CUDA backend against the host: skipped, with the probe's reason, where no GPU is usable.
@Suite(.enabled(if: CUDARuntime.probe().isAvailable, Comment(rawValue: "no GPU: \(CUDARuntime.probe())")))
struct CUDAResidentTests {
    @Test("a resident G_loss trajectory on the GPU agrees with the host's (Double: 1e-9; Float: the crosscheck's trajectory tolerance)")
    func trajectoryAgrees() throws {
        let schedule = try NoiseSchedule(kind: .cosine(), steps: 50)
        let base = EpsilonNetwork<Double>(architecture: try NetworkArchitecture(dimension: 6, width: 64, blocks: 2), seed: 4)
        let g = Matrix<Double>(rows: 16, columns: 6, elements: RandomStream(StreamKey(seed: 3, purpose: .data)).normalMatrix(rows: 16, columns: 6))
        let guidance = try LookaheadGuidance(target: GuidanceTarget(gradients: g, targets: [Double](repeating: 0.4, count: 16)))
        let sampler = ResidentSampler(sampler: DDPMSampler(schedule: schedule))
        let noise = SamplingNoise(seed: 8, round: 1)
        let hostD = try sampler.sample(ResidentNetwork(base, steps: 50, maximumBatch: 16, on: HostKernels<Double>(.openBLAS)), guidance: guidance, count: 16, noise: noise)
        let cudaD = try sampler.sample(ResidentNetwork(base, steps: 50, maximumBatch: 16, on: CUDAKernelBackend<Double>()), guidance: guidance, count: 16, noise: noise)
        for (a, b) in zip(cudaD.elements, hostD.elements) { #expect(abs(a - b) <= 1e-9 * (1 + abs(b))) }
        let f: EpsilonNetwork<Float> = base.converted()
        let hostF = try sampler.sample(ResidentNetwork(f, steps: 50, maximumBatch: 16, on: HostKernels<Float>(.openBLAS)), guidance: guidance, count: 16, noise: noise)
        let cudaF = try sampler.sample(ResidentNetwork(f, steps: 50, maximumBatch: 16, on: CUDAKernelBackend<Float>()), guidance: guidance, count: 16, noise: noise)
        for (a, b) in zip(cudaF.elements, hostF.elements) { #expect(abs(a - b) <= 1e-3 * (1 + abs(b))) }
    }

    @Test("the device's normals are the host's, number for number")
    func normalsAgree() throws {
        let k = try CUDAKernelBackend<Double>()
        let out = try k.allocate(Double.self, count: 300 * 64)
        let key = StreamKey(seed: 12, purpose: .stepNoise, major: 3, minor: 17)
        try k.fillNormals(out.pointer, rows: 300, columns: 64, key: key, firstRow: 40)
        let device = try k.values(out.pointer, count: 300 * 64)
        let host = RandomStream(key).normalMatrix(rows: 300, columns: 64, firstRow: 40)
        // CUDA's exp/log (wedge and tail draws only) may differ from glibc's in the last bit.
        let mismatches = zip(device, host).filter { $0 != $1 }
        #expect(mismatches.count <= 2 && mismatches.allSatisfy { abs($0 - $1) <= 1e-15 * abs($1) })
    }
}

@Suite struct CUDAUnavailableTests {
    @Test("without a GPU the CUDA backend refuses to open with the probe's reason")
    func refusesCleanly() {
        guard case let .unavailable(reason) = CUDARuntime.probe() else { return }
        #expect(!reason.isEmpty)
        #expect(throws: CUDAError.self) { _ = try CUDAKernelBackend<Float>() }
    }
}
