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

    /// The parameters' moving average: one batch per epoch, so after epoch k it is d·(previous) + (1 − d)·(the
    /// parameters after step k), exactly; it is checkpointed, read back, resumed bit for bit, and is the
    /// network `networkToUse` gives; the raw parameters are what training continues from.
    @Test func theParameterAverageIsKeptCheckpointedAndResumed() throws {
        var config = try Self.configuration(epochs: 2)
        config.points = 32
        config.emaDecay = 0.9
        let data = Self.data(32)
        let trainer = try ScoreTrainer(configuration: config, data: data)
        var state = try trainer.initialState()
        let p0 = state.network.parameters
        #expect(state.averagedParameters == p0)
        try trainer.trainEpoch(&state)
        let p1 = state.network.parameters
        #expect(state.averagedParameters == zip(p0, p1).map { Float(0.9) * $0 + Float(1 - 0.9) * $1 })
        #expect(state.networkToUse.parameters == state.averagedParameters && state.networkToUse.parameters != p1)

        let straight = try ScoreTrainer(configuration: config, data: data).train()
        let path = Self.temporaryPath("ema.npz")
        var first = config
        first.epochs = 1
        _ = try ScoreTrainer(configuration: first, data: data).train(checkpoint: path)
        let (saved, savedConfig) = try TrainingCheckpoint.read(path)
        #expect(savedConfig.emaDecay == 0.9 && saved.averagedParameters != nil)
        let resumed = try ScoreTrainer(configuration: config, data: data).train(from: saved, checkpoint: path)
        #expect(resumed.averagedParameters == straight.averagedParameters && resumed.network.parameters == straight.network.parameters)

        // Without an average nothing changes: no array, and the network to use is the trained one.
        let plain = try ScoreTrainer(configuration: try Self.configuration(epochs: 1), data: Self.data()).train()
        #expect(plain.averagedParameters == nil && plain.networkToUse == plain.network)

        // A configuration that keeps an average needs the array; one that keeps none refuses it.
        var arrays = try NPZArchive.read(contentsOf: path)
        arrays.removeValue(forKey: "ema_params")
        let missing = Self.temporaryPath("missing.npz")
        try NPZArchive.write(arrays.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, to: missing)
        #expect { try TrainingCheckpoint.read(missing) } throws: { "\($0)".contains("'ema_params' is missing") }
        var bad = config
        bad.emaDecay = 1
        #expect(throws: (any Error).self) { try bad.validate() }
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
