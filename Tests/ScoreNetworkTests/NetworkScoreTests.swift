import Diffusion
import LinearAlgebra
import Testing
@testable import ScoreNetwork

@Suite struct NetworkScoreTests {
    static let schedule = try! NoiseSchedule()

    /// (∂x̂₀/∂x)ᵀv against central differences of `denoise` (tolerance 1e-6 as in GradientTests), at a
    /// small, a middle and the last step (1/α ranges from 1 to ~60 across them).
    @Test(arguments: [1, 60, 200], OutputParameterization.allCases)
    func denoiseVJPMatchesFiniteDifferencesOfDenoise(step: Int, parameterization: OutputParameterization) throws {
        let score = NetworkScore(network: try smallNetwork(Double.self, dimension: 3, width: 16, blocks: 2, seed: 60, parameterization: parameterization))
        let time = Self.schedule.time(step)
        let x = normalMatrix(rows: 4, columns: 3, seed: 16)
        let v = normalMatrix(rows: 4, columns: 3, seed: 17)
        let vjp = score.denoiseVJP(x, at: time, cotangent: v)
        let fd = centralDifferences(x.elements) { e in
            dot(score.denoise(Matrix(rows: 4, columns: 3, elements: e), at: time).elements, v.elements)
        }
        let err = relativeError(vjp.elements, fd)
        #expect(err < 1e-6, "step \(step), \(parameterization): denoise VJP vs finite differences: relative error \(err)")
    }

    /// What each parameterisation's output F stands for, read back through the score model.
    @Test(arguments: [1, 60, 200])
    func eachParameterizationReadsItsOutputAsItsDefinitionSays(step: Int) throws {
        let x = normalMatrix(rows: 3, columns: 4, seed: 19)
        let time = Self.schedule.time(step)
        let (a, s) = (time.alpha, time.h.squareRoot())
        for p in OutputParameterization.allCases {
            let net: EpsilonNetwork<Double> = try smallNetwork(dimension: 4, width: 8, blocks: 1, seed: 61, parameterization: p)
            let f = net(x, step: step), score = NetworkScore(network: net)
            let x0 = score.denoise(x, at: time), eps = score.predictedNoise(x, at: time)
            for i in 0..<x.elements.count {
                let (xi, fi) = (x.elements[i], f.elements[i])
                let (expectedX0, expectedEps): (Double, Double) = switch p {
                case .epsilon: ((xi - s * fi) / a, fi)
                case .velocity: (a * xi - s * fi, s * xi + a * fi)
                case .denoised: (fi, (xi - a * fi) / s)
                }
                #expect(abs(x0.elements[i] - expectedX0) <= 1e-12 * max(1, abs(expectedX0)), "\(p) x̂₀ at \(step)")
                #expect(abs(eps.elements[i] - expectedEps) <= 1e-12 * max(1, abs(expectedEps)), "\(p) ε̂ at \(step)")
            }
        }
    }

    @Test func denoiseIsTweedieOfThePredictedNoise() throws {
        let net: EpsilonNetwork<Double> = try smallNetwork(dimension: 5, width: 16, blocks: 3)
        let score = NetworkScore(network: net)
        let x = normalMatrix(rows: 6, columns: 5, seed: 18)
        let time = Self.schedule.time(80)
        let eps = net(x, step: 80)
        #expect(score.predictedNoise(x, at: time) == eps)
        let x0 = score.denoise(x, at: time)
        let s = score.score(x, at: time)   // the protocol's s = (α x̂₀ − x)/h
        for i in 0..<x.elements.count {
            let expected = (x.elements[i] - time.h.squareRoot() * eps.elements[i]) / time.alpha
            #expect(abs(x0.elements[i] - expected) <= 1e-15 * max(1, abs(expected)))
            #expect(abs(s.elements[i] + eps.elements[i] / time.h.squareRoot()) < 1e-12 * max(1, abs(s.elements[i])))
        }
    }

    @Test func fusedMethodEqualsSeparateMethodsAndChunkingChangesNothing() throws {
        let net: EpsilonNetwork<Double> = try smallNetwork(dimension: 4, width: 32, blocks: 3)
        let whole = NetworkScore(network: net, maximumBatch: 64)
        let chunked = NetworkScore(network: net, maximumBatch: 3)
        let x = normalMatrix(rows: 10, columns: 4, seed: 19)
        let v = normalMatrix(rows: 10, columns: 4, seed: 20)
        let time = Self.schedule.time(33)
        let fused = whole.denoiseWithVJP(x, at: time, cotangent: v)
        #expect(fused.denoised == whole.denoise(x, at: time))
        #expect(fused.vjp == whole.denoiseVJP(x, at: time, cotangent: v))
        let c = chunked.denoiseWithVJP(x, at: time, cotangent: v)
        #expect(relativeError(c.denoised.elements, fused.denoised.elements) < 1e-14)
        #expect(relativeError(c.vjp.elements, fused.vjp.elements) < 1e-14)
        #expect(whole.denoise(Matrix(rows: 0, columns: 4), at: time).rows == 0)
    }

    @Test func floatNetworkScoreAgreesWithDouble() throws {
        let a = try NetworkArchitecture(dimension: 16, width: 128, blocks: 3)
        let net = EpsilonNetwork<Double>(architecture: a, seed: 3)
        let (sd, sf) = (NetworkScore(network: net), NetworkScore(network: net.converted(to: Float.self)))
        let x = normalMatrix(rows: 5, columns: 16, seed: 21)
        let v = normalMatrix(rows: 5, columns: 16, seed: 22)
        let time = Self.schedule.time(120)
        let (d, f) = (sd.denoiseWithVJP(x, at: time, cotangent: v), sf.denoiseWithVJP(x, at: time, cotangent: v))
        #expect(relativeError(f.denoised.elements, d.denoised.elements) < 1e-5)
        #expect(relativeError(f.vjp.elements, d.vjp.elements) < 1e-5)
    }

    @Test func concurrentCallersGetTheSameResults() async throws {
        let score = NetworkScore(network: try smallNetwork(Double.self, dimension: 4, width: 32, blocks: 3), maximumBatch: 4)
        let x = normalMatrix(rows: 9, columns: 4, seed: 23)
        let v = normalMatrix(rows: 9, columns: 4, seed: 24)
        let time = Self.schedule.time(5)
        let expected = score.denoiseWithVJP(x, at: time, cotangent: v)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let r = score.denoiseWithVJP(x, at: time, cotangent: v)
                    return r.denoised == expected.denoised && r.vjp == expected.vjp
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 8 && results.allSatisfy { $0 })
    }

    @Test func aTimeWithoutStepIsRefused() async throws {
        await #expect(processExitsWith: .failure) {
            let score = NetworkScore(network: try! smallNetwork(Double.self))
            _ = score.denoise(Matrix(rows: 1, columns: 3), at: ContinuousVP.time(0.5))
        }
    }
}
