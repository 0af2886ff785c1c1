import Foundation
import LinearAlgebra
import Testing
@testable import ScoreNetwork

@Suite struct EmbeddingAndInitializationTests {
    @Test func embeddingAtStepZeroIsSinZeroCosOne() {
        let e = TimeEmbedding.embedding(step: 0)
        #expect(e.count == 128)
        #expect(e[0..<64].allSatisfy { $0 == 0 })
        #expect(e[64..<128].allSatisfy { $0 == 1 })
    }

    @Test func embeddingMatchesHandComputedValues() {
        // f_0 = 1, f_16 = 10000^(−1/4) = 0.1, f_32 = 10000^(−1/2) = 0.01, f_48 = 0.001.
        #expect(abs(TimeEmbedding.frequency(0) - 1) < 1e-15)
        #expect(abs(TimeEmbedding.frequency(16) - 0.1) < 1e-15)
        #expect(abs(TimeEmbedding.frequency(32) - 0.01) < 1e-16)
        #expect(abs(TimeEmbedding.frequency(48) - 0.001) < 1e-17)
        let e1 = TimeEmbedding.embedding(step: 1)
        #expect(abs(e1[0] - 0.8414709848078965) < 1e-15)          // sin(1)
        #expect(abs(e1[64] - 0.5403023058681398) < 1e-15)         // cos(1)
        let e5 = TimeEmbedding.embedding(step: 5)
        #expect(abs(e5[16] - 0.479425538604203) < 1e-15)          // sin(5·0.1)
        #expect(abs(e5[64 + 16] - 0.8775825618903728) < 1e-15)    // cos(5·0.1)
        let e100 = TimeEmbedding.embedding(step: 100)
        #expect(abs(e100[32] - 0.8414709848078965) < 1e-14)       // sin(100·0.01)
        #expect(abs(e100[64 + 32] - 0.5403023058681398) < 1e-14)  // cos(100·0.01)
        #expect(abs(e100[48] - 0.09983341664682815) < 1e-15)      // sin(100·0.001)
        // The last frequency, f_63 = 10000^(−63/64).
        #expect(abs(TimeEmbedding.frequency(63) - pow(10000, -63.0 / 64)) < 1e-18)
    }

    @Test func networkInputHoldsXAndEmbeddingAndIsRefreshedWhenStepsChange() throws {
        let net: EpsilonNetwork<Double> = try smallNetwork()
        let ws = net.makeWorkspace(maximumBatch: 4)
        let x = normalMatrix(rows: 3, columns: 3, seed: 1)
        var out = Matrix<Double>(rows: 3, columns: 3)
        for steps in [[7, 7, 150], [7, 0, 150], [199, 199, 199]] {
            net.forward(x, steps: steps, workspace: ws, into: &out)
            for r in 0..<3 {
                let row = Array(UnsafeBufferPointer(start: ws.input + r * 131, count: 131))
                #expect(Array(row[0..<3]) == x.row(r))
                #expect(Array(row[3...]) == TimeEmbedding.embedding(step: steps[r]))
            }
            // The cached embedding gives the same result as a fresh workspace.
            #expect(out == net(x, steps: steps))
        }
    }

    @Test func layoutIsContiguousInPyTorchOrder() throws {
        let a = try NetworkArchitecture(dimension: 64, width: 512, blocks: 3)
        #expect(a.name == "mlp-512x4")
        let layers = a.layers
        #expect(layers.map(\.name) == ["input", "block0", "block1", "block2", "output"])
        var next = 0
        for l in layers {
            #expect(l.weightOffset == next)
            #expect(l.biasOffset == l.weightOffset + l.inputs * l.outputs)
            next = l.biasOffset + l.outputs
        }
        #expect(next == a.parameterCount)
        #expect(a.parameterCount == 192 * 512 + 512 + 3 * (512 * 512 + 512) + 512 * 64 + 64)
        for k in 0...3 {
            #expect(a.hiddenWeightOffset(k) == layers[k].weightOffset)
            #expect(a.hiddenBiasOffset(k) == layers[k].biasOffset)
        }
        #expect(a.outputWeightOffset == layers[4].weightOffset && a.outputBiasOffset == layers[4].biasOffset)
    }

    /// Time in every block adds a bias-free "blockK.time" layer (W × 128) after each block, in place.
    @Test func everyBlockLayoutAddsABiasFreeTimeMapPerBlock() throws {
        let a = try NetworkArchitecture(dimension: 64, width: 512, blocks: 3, parameterization: .velocity, timeConditioning: .everyBlock)
        #expect(a.name == "mlp-512x4-v-tb")
        let layers = a.layers
        #expect(layers.map(\.name) == ["input", "block0", "block0.time", "block1", "block1.time", "block2", "block2.time", "output"])
        var next = 0
        for l in layers {
            #expect(l.weightOffset == next && l.biasOffset == l.weightOffset + l.inputs * l.outputs)
            #expect(l.hasBias == !l.name.hasSuffix(".time"))
            next = l.parameterRange.upperBound
        }
        #expect(next == a.parameterCount)
        #expect(a.parameterCount == 192 * 512 + 512 + 3 * (512 * 512 + 512 + 128 * 512) + 512 * 64 + 64)
        for k in 1...3 {
            #expect(a.hiddenWeightOffset(k) == layers[2 * k - 1].weightOffset && a.hiddenBiasOffset(k) == layers[2 * k - 1].biasOffset)
            #expect(a.blockTimeWeightOffset(k) == layers[2 * k].weightOffset)
        }
        #expect(a.outputWeightOffset == layers[7].weightOffset && a.outputBiasOffset == layers[7].biasOffset)
        #expect(EpsilonNetwork<Double>(architecture: a, seed: 3).bias(2).isEmpty)
    }

    /// A checkpoint's architecture written before the parameterisation and time conditioning existed
    /// reads as the paper's network, and the paper's network is written as it was then.
    @Test func architectureJSONIsBackwardCompatible() throws {
        let old = #"{"blocks":3,"dimension":64,"width":512}"#
        let a = try JSONDecoder().decode(NetworkArchitecture.self, from: Data(old.utf8))
        #expect(a.parameterization == .epsilon && a.timeConditioning == .input)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(String(decoding: try encoder.encode(a), as: UTF8.self) == old)
        let b = try NetworkArchitecture(dimension: 5, width: 8, blocks: 1, parameterization: .denoised, timeConditioning: .everyBlock)
        let json = String(decoding: try encoder.encode(b), as: UTF8.self)
        #expect(json == #"{"blocks":1,"dimension":5,"parameterization":"x0","time_conditioning":"every-block","width":8}"#)
        #expect(try JSONDecoder().decode(NetworkArchitecture.self, from: Data(json.utf8)) == b)
        let unknown = #"{"blocks":1,"dimension":5,"width":8,"parameterization":"score"}"#
        #expect(throws: (any Error).self) { try JSONDecoder().decode(NetworkArchitecture.self, from: Data(unknown.utf8)) }
    }

    @Test func decodingChecksTheParameterCount() throws {
        let net: EpsilonNetwork<Float> = try smallNetwork()
        let json = try JSONEncoder().encode(net)
        #expect(try JSONDecoder().decode(EpsilonNetwork<Float>.self, from: json) == net)
        let shorter = EpsilonNetwork<Float>.Shadow(architecture: net.architecture, parameters: Array(net.parameters.dropLast()))
        #expect(throws: (any Error).self) { try JSONDecoder().decode(EpsilonNetwork<Float>.self, from: JSONEncoder().encode(shorter)) }
        #expect(throws: (any Error).self) { try EpsilonNetwork<Float>(architecture: net.architecture, parameters: [1, 2]) }
    }

    @Test func initializationIsPyTorchDefaultAndDeterministic() throws {
        let a = try NetworkArchitecture(dimension: 64, width: 512, blocks: 3)
        let net = EpsilonNetwork<Double>(architecture: a, seed: 1234)
        #expect(net == EpsilonNetwork<Double>(architecture: a, seed: 1234))
        #expect(net != EpsilonNetwork<Double>(architecture: a, seed: 1235))
        #expect(net.converted(to: Float.self) == EpsilonNetwork<Float>(architecture: a, seed: 1234))
        for (l, layer) in a.layers.enumerated() {
            let bound = 1 / Double(layer.inputs).squareRoot()
            let w = net.weight(l).elements, b = net.bias(l)
            #expect(w.allSatisfy { abs($0) <= bound } && b.allSatisfy { abs($0) <= bound })
            // Uniform on ±bound: mean 0, variance bound²/3 (sampling error below 1% for ≥ 32768 draws).
            let mean = w.reduce(0, +) / Double(w.count)
            let variance = w.reduce(0) { $0 + $1 * $1 } / Double(w.count) - mean * mean
            #expect(abs(mean) < 0.02 * bound)
            #expect(abs(variance / (bound * bound / 3) - 1) < 0.02)
        }
    }
}

extension EpsilonNetwork {
    /// The encoded form of a network, without the checks (to make a broken one).
    struct Shadow: Encodable {
        let architecture: NetworkArchitecture
        let parameters: [Scalar]
    }
}

