import Foundation
import Diffusion

/// Everything that determines a training run (and so must match to resume one): the data, the network,
/// the optimiser and the seed. The paper's defaults: 65536 points, 20 epochs, batch 32, Adam lr 1e−4,
/// betas 0.9/0.99.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    public var architecture: NetworkArchitecture
    public var points: Int
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    /// Diffusion steps T of the (cosine) schedule the network is trained for.
    public var steps: Int
    public var schedule: String
    public var seed: UInt64
    /// The decay d of the exponential moving average of the parameters kept beside them (nil: none):
    /// after each Adam step, average ← d·average + (1 − d)·parameters. The average is the network a
    /// checkpoint is used as (sampling, `ggd check`); training continues from the raw parameters.
    public var emaDecay: Double?

    public init(architecture: NetworkArchitecture, points: Int = 65536, epochs: Int = 20, batchSize: Int = 32,
                learningRate: Double = 1e-4, beta1: Double = 0.9, beta2: Double = 0.99, steps: Int = 200,
                schedule: String = "cosine", seed: UInt64 = 1234, emaDecay: Double? = nil) {
        self.architecture = architecture
        self.points = points
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.steps = steps
        self.schedule = schedule
        self.seed = seed
        self.emaDecay = emaDecay
    }

    public func validate() throws {
        guard points >= 1 else { throw NetworkError.invalidParameter("training needs at least one data point, got \(points)") }
        guard epochs >= 0 else { throw NetworkError.invalidParameter("epochs must be non-negative, got \(epochs)") }
        guard batchSize >= 1 else { throw NetworkError.invalidParameter("batch size must be at least 1, got \(batchSize)") }
        guard learningRate > 0, learningRate.isFinite else { throw NetworkError.invalidParameter("learning rate must be positive, got \(learningRate)") }
        guard (0..<1).contains(beta1), (0..<1).contains(beta2) else { throw NetworkError.invalidParameter("Adam betas must lie in [0, 1)") }
        guard steps >= 1 else { throw NetworkError.invalidParameter("the number of diffusion steps T must be at least 1, got \(steps)") }
        if let d = emaDecay {
            guard d > 0 && d < 1 else { throw NetworkError.invalidParameter("the parameter average's decay must lie in (0, 1), got \(d)") }
        }
    }

    public func makeSchedule() throws -> NoiseSchedule {
        switch schedule {
        case "cosine": return try NoiseSchedule(kind: .cosine(), steps: steps)
        case "linear": return try NoiseSchedule(kind: .linear(), steps: steps)
        default: throw NetworkError.invalidParameter("schedule must be 'cosine' or 'linear', got '\(schedule)'")
        }
    }

    /// Batches per epoch (the last one may be short, as PyTorch's DataLoader keeps it).
    public var batchesPerEpoch: Int { (points + batchSize - 1) / batchSize }
}
