import Compute
import Backends
import Diffusion
import Experiments
import Guidance
import LinearAlgebra
import Randomness
import ScoreNetwork

extension BackendCrosscheck {
    /// Every check's output computed through the `SamplerBackend` seam on `k`: the same inputs, keys and
    /// noise as `outputs(_:_:seed:)`, with the state resident on the backend (how the CUDA backends run).
    /// On a host backend the two agree bit for bit (tested), so this is the CPU path with the memory moved.
    public static func residentOutputs<K: SamplerBackend>(_ k: K, seed: UInt64) throws -> [String: [Double]] {
        typealias S = K.Scalar
        var out = [String: [Double]]()
        func normals(_ n: Int, _ index: UInt64, scale: Double = 1) -> [S] {
            RandomStream(StreamKey(seed: seed, purpose: .generation, index: index)).normals(row: 0, count: n).map { S($0 * scale) }
        }
        let (B, W) = (32, 512)
        let a = try k.array(normals(B * W, 1)), w = try k.array(normals(W * W, 2, scale: 1 / Double(W).squareRoot()))
        let c = try k.allocate(S.self, count: B * W)
        try k.gemm(transA: false, transB: true, m: B, n: W, k: W, alpha: 1, a: a.pointer, lda: W, b: w.pointer, ldb: W, beta: 0, c: c.pointer, ldc: W)
        out["kernel.gemm"] = try k.values(c.pointer, count: B * W).map { Double($0) }
        let bias = try k.array(normals(W, 3)), previous = try k.array(normals(B * W, 4))
        let next = try k.allocate(S.self, count: B * W), derivative = try k.allocate(S.self, count: B * W)
        try k.siluResidual(pre: c.pointer, bias: bias.pointer, previous: previous.pointer, next: next.pointer, derivative: derivative.pointer,
                           rows: B, width: W)
        out["kernel.silu"] = try (k.values(next.pointer, count: B * W) + k.values(derivative.pointer, count: B * W)).map { Double($0) }
        let p = try k.array(normals(10_000, 5))
        var adam = try Adam<S>(parameterCount: 10_000, learningRate: 1e-3)
        let m = try k.allocate(S.self, count: 10_000), v = try k.allocate(S.self, count: 10_000)
        for step in 1...3 {
            let g = try k.array(normals(10_000, 5 + UInt64(step)))
            let q = adam.coefficients(step: step)
            try k.adamUpdate(parameters: p.pointer, gradient: g.pointer, firstMoment: m.pointer, secondMoment: v.pointer, count: 10_000,
                             stepSize: q.stepSize, sqrtCorrection2: q.sqrtCorrection2, c1: q.c1, beta2: q.beta2, c2: q.c2, epsilon: q.epsilon)
            adam.recordStep()
        }
        out["kernel.adam"] = try k.values(p.pointer, count: 10_000).map { Double($0) }

        let experiment = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        let D = experiment.setting.data.ambientDimension
        let architecture = try NetworkArchitecture.mlp512x4(dimension: D)
        let network: EpsilonNetwork<S> = EpsilonNetwork<Double>(architecture: architecture, seed: seed).converted()
        let T = experiment.schedule.steps
        let resident = try ResidentNetwork(network, steps: T, maximumBatch: B, on: k)
        let x = Matrix<Double>(rows: B, columns: D, elements: normals(B * D, 20).map { Double($0) })
        let steps = (0..<B).map { 1 + ($0 * 37) % 200 }
        out["network.forward"] = try resident.forward(x, steps: steps).map { Double($0) }
        let cot = Matrix<Double>(rows: B, columns: D, elements: normals(B * D, 21).map { Double($0) })
        let (vjp, grad) = try resident.backward(cotangent: cot)
        out["network.input-vjp"] = vjp.map { Double($0) }
        out["network.parameter-gradient"] = grad.map { Double($0) }

        let trainingNetwork = try ResidentNetwork(network, steps: T, maximumBatch: B, on: k)
        let training = try ResidentTraining(network: trainingNetwork, optimizer: Adam<S>(parameterCount: network.parameterCount, learningRate: 1e-4),
                                            schedule: experiment.schedule)
        let x0 = try k.array(experiment.pretrainingData(count: B, seed: seed).converted(to: S.self).elements)
        try training.step(data: x0.pointer, rows: B, timeKey: StreamKey(seed: seed, purpose: .timesteps),
                          noiseKey: StreamKey(seed: seed, purpose: .trainingNoise))
        out["training.step"] = try trainingNetwork.network().parameters.map { Double($0) }

        let sampling = try ResidentNetwork(network, steps: T, maximumBatch: 16, on: k)
        let sampler = ResidentSampler(sampler: DDPMSampler(schedule: experiment.schedule))
        out["sampler.trajectory"] = try sampler.sample(sampling, guidance: nil, count: 16, noise: SamplingNoise(seed: seed, round: 1)).elements
        let guidance = try LookaheadGuidance(target: unguidedStart(experiment: experiment, seed: seed), beta: .code(sigma: 0.1))
        out["algorithm1.round"] = try sampler.sample(sampling, guidance: guidance, count: 16, noise: SamplingNoise(seed: seed, round: 2)).elements
        return out
    }

    /// 512 draws of the law-fallback comparison (see `lawFallback`) through the seam on `k`.
    static func residentLawDraws<K: SamplerBackend>(_ k: K, guided: Bool, seed: UInt64) throws -> Matrix<Double> {
        let experiment = try ResolvedExperiment(try PaperSetting.linear(objective: "f1", variant: .two))
        let architecture = try NetworkArchitecture.mlp512x4(dimension: experiment.setting.data.ambientDimension)
        let network: EpsilonNetwork<K.Scalar> = EpsilonNetwork<Double>(architecture: architecture, seed: seed).converted()
        let resident = try ResidentNetwork(network, steps: experiment.schedule.steps, maximumBatch: 512, on: k)
        return try ResidentSampler(sampler: DDPMSampler(schedule: experiment.schedule))
            .sample(resident, guidance: lawGuidance(experiment: experiment, guided: guided, seed: seed), count: 512,
                    noise: SamplingNoise(seed: seed &+ 5, round: guided ? 2 : 1))
    }

    /// The guidance of the law-fallback draws: the round's 16 queries repeated over 512 draws.
    static func lawGuidance(experiment: ResolvedExperiment, guided: Bool, seed: UInt64) throws -> LookaheadGuidance? {
        guard guided else { return nil }
        let q = try unguidedStart(experiment: experiment, seed: seed)
        let g = Matrix<Double>(rows: 512, columns: q.gradients.columns) { i, j in q.gradients[i % 16, j] }
        return try LookaheadGuidance(target: GuidanceTarget(gradients: g, targets: (0..<512).map { q.targets[$0 % 16] }), beta: .code(sigma: 0.1))
    }
}
