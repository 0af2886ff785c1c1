import Compute
import Foundation
import Testing
import Backends
import Diffusion
import LinearAlgebra
import Randomness
import ScoreNetwork

/// A resident training step is `DenoisingScoreMatching.lossAndGradient` then `Adam.update`, and a
/// resident epoch is `ScoreTrainer.trainEpoch`: on a host backend, bit for bit.
@Suite struct ResidentTrainingTests {
    @Test("one step and two epochs on the host backend equal the CPU trainer bit for bit",
          arguments: [(OutputParameterization.epsilon, TimeConditioning.input), (.velocity, .everyBlock), (.denoised, .everyBlock)])
    func epochsMatch(parameterization: OutputParameterization, timeConditioning: TimeConditioning) throws {
        let architecture = try NetworkArchitecture(dimension: 5, width: 16, blocks: 2, parameterization: parameterization, timeConditioning: timeConditioning)
        let configuration = TrainingConfiguration(architecture: architecture, points: 70, epochs: 2, batchSize: 16, learningRate: 1e-3, steps: 30, seed: 9)
        let data = Matrix<Float>(rows: 70, columns: 5, elements: RandomStream(StreamKey(seed: 2, purpose: .data)).normalMatrix(rows: 70, columns: 5).map { Float($0) })
        let trainer = try ScoreTrainer(configuration: configuration, data: data)
        var state = try trainer.initialState()
        let resident = try ResidentNetwork(state.network, steps: configuration.steps, maximumBatch: 16, on: HostKernels<Float>(.openBLAS))
        let training = try ResidentTraining(network: resident, optimizer: state.optimizer, schedule: configuration.makeSchedule())
        let residentData = try HostKernels<Float>(.openBLAS).array(data.elements)
        for e in 0..<2 {
            try trainer.trainEpoch(&state)
            let loss = try training.epoch(data: residentData, points: 70, batchSize: 16, seed: 9, epoch: e)
            #expect(abs(loss - state.epochLosses[e]) <= 1e-12 * abs(loss), "epoch \(e): resident loss \(loss), CPU \(state.epochLosses[e])")
        }
        #expect(try resident.network().parameters == state.network.parameters)
        let adam = try training.optimizerState()
        #expect(adam.step == state.optimizer.step)
        #expect(adam.firstMoment == state.optimizer.firstMoment && adam.secondMoment == state.optimizer.secondMoment)
    }

    @Test("a batch larger than the resident network's room is refused")
    func oversizedBatch() throws {
        let architecture = try NetworkArchitecture(dimension: 3, width: 8, blocks: 1)
        let net = EpsilonNetwork<Float>(architecture: architecture, seed: 1)
        let k = HostKernels<Float>(.openBLAS)
        let resident = try ResidentNetwork(net, steps: 20, maximumBatch: 4, on: k)
        let training = try ResidentTraining(network: resident, optimizer: Adam(parameterCount: net.parameterCount, learningRate: 1e-3),
                                            schedule: NoiseSchedule(kind: .cosine(), steps: 20))
        let data = try k.array([Float](repeating: 0.5, count: 8 * 3))
        #expect(throws: BackendError.self) {
            try training.step(data: data.pointer, rows: 8, timeKey: StreamKey(seed: 1, purpose: .timesteps), noiseKey: StreamKey(seed: 1, purpose: .trainingNoise))
        }
    }
}

@Suite struct ResidentTrainingRunTests {
    @Test("a resident run (host backend) gives ScoreTrainer's network, optimiser and losses, and resumes from its checkpoint")
    func runMatchesScoreTrainer() throws {
        let architecture = try NetworkArchitecture(dimension: 4, width: 12, blocks: 1)
        let configuration = TrainingConfiguration(architecture: architecture, points: 50, epochs: 3, batchSize: 8, learningRate: 1e-3, steps: 20, seed: 4)
        let data = Matrix<Float>(rows: 50, columns: 4, elements: RandomStream(StreamKey(seed: 6, purpose: .data)).normalMatrix(rows: 50, columns: 4).map { Float($0) })
        let trainer = try ScoreTrainer(configuration: configuration, data: data)
        let cpu = try trainer.train()
        let k = HostKernels<Float>(.openBLAS)
        let resident = try ResidentTraining<HostKernels<Float>>.train(on: k, configuration: configuration, data: data, from: trainer.initialState())
        #expect(resident.network == cpu.network)
        #expect(resident.optimizer == cpu.optimizer)
        #expect(resident.epochLosses.count == 3 && zip(resident.epochLosses, cpu.epochLosses).allSatisfy { abs($0 - $1) <= 1e-12 * abs($1) })
        // Stop after one epoch (checkpointed), resume: the same end.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resident-\(getpid()).npz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var one = configuration
        one.epochs = 1
        _ = try ResidentTraining<HostKernels<Float>>.train(on: k, configuration: one, data: data, from: trainer.initialState(), checkpoint: path)
        let (saved, _) = try TrainingCheckpoint.read(path)
        let resumed = try ResidentTraining<HostKernels<Float>>.train(on: k, configuration: configuration, data: data, from: saved)
        #expect(resumed.network == cpu.network)
    }

    /// `--ema-decay` on the resident trainer: the moving average after every step equals the CPU trainer's
    /// bit for bit, on the host kernels and on the CUDA kernel source compiled for the CPU; it survives a
    /// checkpoint and resume; and the network a consumer uses is the average, not the raw parameters.
    @Test("a resident run keeps the CPU trainer's parameter average bit for bit, through a resume")
    func averageMatchesScoreTrainer() throws {
        let architecture = try NetworkArchitecture(dimension: 4, width: 12, blocks: 1, parameterization: .velocity)
        var configuration = TrainingConfiguration(architecture: architecture, points: 50, epochs: 3, batchSize: 8, learningRate: 1e-3, steps: 20, seed: 4)
        configuration.emaDecay = 0.9
        let data = Matrix<Float>(rows: 50, columns: 4, elements: RandomStream(StreamKey(seed: 6, purpose: .data)).normalMatrix(rows: 50, columns: 4).map { Float($0) })
        let trainer = try ScoreTrainer(configuration: configuration, data: data)
        let cpu = try trainer.train()
        let average = try #require(cpu.averagedParameters)
        #expect(average != cpu.network.parameters, "the average differs from the raw parameters")
        let host = try ResidentTraining<HostKernels<Float>>.train(on: HostKernels<Float>(.openBLAS), configuration: configuration, data: data,
                                                                   from: trainer.initialState())
        #expect(host.averagedParameters == average && host.network == cpu.network && host.networkToUse == cpu.networkToUse)
        if CUDASourceLibrary.unavailableReason == nil {
            let source = try CUDASourceOnCPU<Float>()
            let emulated = try ResidentTraining<CUDASourceOnCPU<Float>>.train(on: source, configuration: configuration, data: data, from: trainer.initialState())
            #expect(emulated.averagedParameters == average, "the CUDA kernel source keeps the CPU's average")
        }
        // One epoch, checkpointed, then resumed: the same average as the uninterrupted run.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resident-ema-\(getpid()).npz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var one = configuration
        one.epochs = 1
        _ = try ResidentTraining<HostKernels<Float>>.train(on: HostKernels<Float>(.openBLAS), configuration: one, data: data,
                                                            from: trainer.initialState(), checkpoint: path)
        let (saved, _) = try TrainingCheckpoint.read(path)
        #expect(saved.averagedParameters != nil)
        let resumed = try ResidentTraining<HostKernels<Float>>.train(on: HostKernels<Float>(.openBLAS), configuration: configuration, data: data, from: saved)
        #expect(resumed.averagedParameters == average)
        // A decay outside (0, 1) or an average of the wrong size is refused.
        let resident = try ResidentNetwork(cpu.network, steps: 20, maximumBatch: 8, on: HostKernels<Float>(.openBLAS))
        #expect(throws: BackendError.self) {
            _ = try ResidentTraining(network: resident, optimizer: cpu.optimizer, schedule: configuration.makeSchedule(), average: ([1, 2], 0.9))
        }
        #expect(throws: BackendError.self) {
            _ = try ResidentTraining(network: resident, optimizer: cpu.optimizer, schedule: configuration.makeSchedule(), average: (average, 1))
        }
    }
}
