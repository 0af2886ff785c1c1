import Foundation
import Testing
import LinearAlgebra
import Randomness
import NumPyIO
import ScoreNetwork

/// Training by score matching with checkpoints: resuming after an interruption gives the same network,
/// bit for bit; broken checkpoints are clear errors; a non-finite loss stops the run with its place named.
@Suite struct TrainerCheckpointTests {
    static func configuration(epochs: Int) throws -> TrainingConfiguration {
        TrainingConfiguration(architecture: try NetworkArchitecture(dimension: 3, width: 16, blocks: 1), points: 96, epochs: epochs,
                              batchSize: 32, learningRate: 1e-3, steps: 20, seed: 5)
    }

    static func data(_ n: Int = 96) -> Matrix<Float> {
        Matrix(rows: n, columns: 3, elements: RandomStream(StreamKey(seed: 9, purpose: .data)).normalMatrix(rows: n, columns: 3).map { Float($0) })
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ggd-train-\(UUID().uuidString)-\(name)").path
    }

    @Test func resumedRunEqualsUninterruptedRun() throws {
        let straight = try ScoreTrainer(configuration: try Self.configuration(epochs: 3), data: Self.data()).train()
        let path = Self.temporaryPath("ckpt.npz")
        _ = try ScoreTrainer(configuration: try Self.configuration(epochs: 1), data: Self.data()).train(checkpoint: path)
        let (saved, _) = try TrainingCheckpoint.read(path)
        #expect(saved.epochsDone == 1)
        let resumed = try ScoreTrainer(configuration: try Self.configuration(epochs: 3), data: Self.data()).train(from: saved, checkpoint: path)
        #expect(resumed.network.parameters == straight.network.parameters)
        #expect(resumed.epochLosses == straight.epochLosses)
        #expect(resumed.optimizer == straight.optimizer)
        let (final, config) = try TrainingCheckpoint.read(path)
        #expect(final.network.parameters == straight.network.parameters)
        #expect(config.epochs == 3)
    }

    @Test func trainingLowersTheLoss() throws {
        var config = try Self.configuration(epochs: 30)
        config.points = 256
        let state = try ScoreTrainer(configuration: config, data: Self.data(256)).train()
        // Standard-normal data in D = 3: the ε-MSE starts near 1 and falls well below it once the network
        // has learnt the (linear) posterior mean; 0.8 leaves a wide margin over the measured ~0.6.
        #expect(state.epochLosses.first! > state.epochLosses.last!)
        #expect(state.epochLosses.last! < 0.8)
    }

    @Test func brokenCheckpointsAreErrors() throws {
        let missing = Self.temporaryPath("missing.npz")
        #expect(throws: TrainingError.self) { try TrainingCheckpoint.read(missing) }
        let notOurs = Self.temporaryPath("other.npz")
        try NPZArchive.write([("x", NumPyArray([1.0, 2.0]))], to: notOurs)
        do {
            _ = try TrainingCheckpoint.read(notOurs)
            Issue.record("read a file that is not a checkpoint")
        } catch {
            #expect("\(error)".contains("not a ggd checkpoint"))
        }
        // A real checkpoint with its parameters truncated.
        let path = Self.temporaryPath("ckpt.npz")
        _ = try ScoreTrainer(configuration: try Self.configuration(epochs: 1), data: Self.data()).train(checkpoint: path)
        var arrays = try NPZArchive.readOrdered(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        let i = try #require(arrays.firstIndex { $0.name == "params" })
        arrays[i] = ("params", NumPyArray([Float](repeating: 0, count: 10)))
        try NPZArchive.write(arrays.map { ($0.name, $0.array) }, to: path)
        #expect(throws: TrainingError.self) { try TrainingCheckpoint.read(path) }
    }

    @Test func nonFiniteDataAreRejectedBeforeTraining() throws {
        var data = Self.data()
        data[3, 1] = .nan
        #expect(throws: TrainingError.self) { try ScoreTrainer(configuration: try Self.configuration(epochs: 1), data: data) }
    }

    @Test func divergingTrainingStopsWithItsPlaceNamed() throws {
        var config = try Self.configuration(epochs: 50)
        config.learningRate = 1e30
        let path = Self.temporaryPath("diverge.npz")
        do {
            _ = try ScoreTrainer(configuration: config, data: Self.data()).train(checkpoint: path)
            Issue.record("training with lr 1e30 did not stop")
        } catch let error as TrainingError {
            #expect("\(error)".contains("epoch"))
            // The last checkpoint written is complete (it reads back) or there is none.
            if FileManager.default.fileExists(atPath: path) { _ = try TrainingCheckpoint.read(path) }
        }
    }
}
