import Compute
import Diffusion
import LinearAlgebra
import Randomness
import Testing
@testable import ScoreNetwork

/// Training lowers the score-matching loss: D = 2 Gaussian data, mlp-32x3 in Float, Adam (lr 3e-3,
/// β = (0.9, 0.99)), batch 128, 400 steps, the cosine schedule with T = 200. The loss is measured on a
/// fixed evaluation set of 4096 (x₀, t, ε) before and after, next to the Bayes-optimal loss L* of the same
/// set (the exact ε* = E[ε | xₜ] of the Gaussian law, from Diffusion's GaussianScore), which no network
/// can beat on average. A network that ignores x scores ≈ 1 (E ε² = 1).
@Suite struct TrainingTests {
    static let mean = [1.0, -0.5]
    static let covariance = Matrix<Double>([[1.0, 0.6], [0.6, 0.5]])

    /// x = μ + L z with L the Cholesky factor of Σ.
    static func data(_ n: Int, index: UInt64) -> Matrix<Float> {
        let z = normalMatrix(rows: n, columns: 2, seed: 77, index: index)
        let l21 = 0.6, l22 = (0.5 - 0.36).squareRoot()
        return Matrix(rows: n, columns: 2) { i, j in
            Float(j == 0 ? mean[0] + z[i, 0] : mean[1] + l21 * z[i, 0] + l22 * z[i, 1])
        }
    }

    @Test func trainingLowersTheScoreMatchingLossTowardTheBayesOptimum() throws {
        let schedule = try NoiseSchedule()
        let dsm = DenoisingScoreMatching(schedule: schedule)
        var net = EpsilonNetwork<Float>(architecture: try NetworkArchitecture(dimension: 2, width: 32, blocks: 2), seed: 5)
        let ws = net.makeWorkspace(maximumBatch: 512)

        let evalData = Self.data(4096, index: 1_000_000)
        let (evalSteps, evalNoise) = dsm.draws(rows: 4096, dimension: 2, timeKey: StreamKey(seed: 78, purpose: .timesteps, index: 1_000_000),
                                               noiseKey: StreamKey(seed: 78, purpose: .fineTuning, index: 1_000_000), as: Float.self)
        let before = dsm.loss(net, data: evalData, steps: evalSteps, noise: evalNoise, workspace: ws)

        // Bayes-optimal loss on the same evaluation set.
        let exact = try GaussianScore.fromCovariance(mean: Self.mean, covariance: Self.covariance)
        var optimal = 0.0
        for i in 0..<4096 {
            let t = evalSteps[i], time = schedule.time(t)
            let xt = Matrix<Double>(rows: 1, columns: 2) { _, j in
                time.alpha * Double(evalData[i, j]) + time.h.squareRoot() * Double(evalNoise[i, j])
            }
            let e = exact.epsilon(xt, at: time)
            for j in 0..<2 { optimal += (e[0, j] - Double(evalNoise[i, j])) * (e[0, j] - Double(evalNoise[i, j])) }
        }
        optimal /= 8192

        var adam = try Adam<Float>(parameterCount: net.parameterCount, learningRate: 3e-3)
        var gradient = [Float](repeating: 0, count: net.parameterCount)
        for k in 0..<400 {
            let x0 = Self.data(128, index: UInt64(k))
            let (steps, noise) = dsm.draws(rows: 128, dimension: 2, timeKey: StreamKey(seed: 78, purpose: .timesteps, index: UInt64(k)),
                                           noiseKey: StreamKey(seed: 78, purpose: .fineTuning, index: UInt64(k)), as: Float.self)
            _ = dsm.lossAndGradient(net, data: x0, steps: steps, noise: noise, workspace: ws, gradient: &gradient)
            adam.update(&net.parameters, gradient: gradient)
        }
        let after = dsm.loss(net, data: evalData, steps: evalSteps, noise: evalNoise, workspace: ws)
        let closed = (before - after) / (before - optimal)
        print("DSM loss on 4096 held-out draws: before \(before), after 400 steps \(after), Bayes optimum \(optimal); gap closed \(closed)")
        #expect(before > 0.9)
        #expect(optimal < 0.6)
        #expect(after < before - 0.3, "training lowered the loss by only \(before - after)")
        #expect(closed > 0.8, "training closed only \(closed) of the gap to the Bayes optimum")
        #expect(after > optimal - 0.02)   // cannot beat the optimum beyond sampling noise of 4096 draws
    }
}
