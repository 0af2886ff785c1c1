import Compute
import Diffusion
import LinearAlgebra
import Randomness
import ScoreNetwork

/// Denoising-score-matching training with Adam (`ScoreTrainer`'s step) as a resident computation: the
/// network, the gradient, Adam's moments, the training data and each batch's noise (drawn there from
/// the same Philox streams) stay in the backend's memory. Per batch only the rows' diffusion steps
/// (B integers, drawn on the host as `DenoisingScoreMatching.draws` draws them) go in and the rows'
/// squared errors (B numbers, for the loss) come out. On a host backend one step equals
/// `DenoisingScoreMatching.lossAndGradient` followed by `Adam.update` bit for bit (tested).
public final class ResidentTraining<Backend: SamplerBackend> {
    public typealias Scalar = Backend.Scalar
    public let network: ResidentNetwork<Backend>
    public private(set) var optimizer: Adam<Scalar>
    let loss: DenoisingScoreMatching
    let gradient: BackendArray<Scalar>
    let firstMoment: BackendArray<Scalar>
    let secondMoment: BackendArray<Scalar>
    /// α_t and √h_t for t = 0 … T, in Scalar (row t).
    let alphas: BackendArray<Scalar>
    let sigmas: BackendArray<Scalar>
    /// Per step t: the skip s and output scale c of ε̂ = s·x_t + c·F (the network's parameterisation).
    let skips: BackendArray<Scalar>
    let outputScales: BackendArray<Scalar>
    let noise: BackendArray<Double>
    let steps: BackendArray<Int32>
    let rowSquares: BackendArray<Double>
    /// One batch of data rows (gathered from resident data).
    let batch: BackendArray<Scalar>
    /// The parameters' exponential moving average and its decay (`TrainingConfiguration.emaDecay`), or nil.
    let average: (values: BackendArray<Scalar>, decay: Double)?

    /// `average` starts the parameters' moving average (`ScoreTrainer`'s `averagedParameters` and the
    /// configuration's decay); each step then updates it after Adam, as the CPU trainer does.
    public init(network: ResidentNetwork<Backend>, optimizer: Adam<Scalar>, schedule: NoiseSchedule,
                average: (values: [Scalar], decay: Double)? = nil) throws {
        guard optimizer.parameterCount == network.architecture.parameterCount else {
            throw BackendError.invalid("Adam holds \(optimizer.parameterCount) moments, the network \(network.architecture.parameterCount) parameters")
        }
        guard schedule.steps <= network.steps else {
            throw BackendError.invalid("the schedule has \(schedule.steps) steps, the resident network's table \(network.steps)")
        }
        let k = network.backend
        self.network = network
        self.optimizer = optimizer
        let loss = DenoisingScoreMatching(schedule: schedule)
        self.loss = loss
        gradient = try k.allocate(Scalar.self, count: optimizer.parameterCount)
        firstMoment = try k.array(optimizer.firstMoment)
        secondMoment = try k.array(optimizer.secondMoment)
        alphas = try k.array((0...schedule.steps).map { $0 == 0 ? 1 : Scalar(schedule.alpha($0)) })
        sigmas = try k.array((0...schedule.steps).map { $0 == 0 ? 0 : Scalar(schedule.h($0).squareRoot()) })
        let parameterization = network.architecture.parameterization
        let coefficients = (0...schedule.steps).map { $0 == 0 ? (Scalar(0), Scalar(1)) : loss.coefficients($0, parameterization, as: Scalar.self) }
        skips = try k.array(coefficients.map(\.0))
        outputScales = try k.array(coefficients.map(\.1))
        let (B, D) = (network.maximumBatch, network.architecture.dimension)
        noise = try k.allocate(Double.self, count: B * D)
        steps = try k.allocate(Int32.self, count: B)
        rowSquares = try k.allocate(Double.self, count: B)
        batch = try k.allocate(Scalar.self, count: B * D)
        if let average {
            guard average.values.count == optimizer.parameterCount else {
                throw BackendError.invalid("the moving average holds \(average.values.count) values, the network \(optimizer.parameterCount) parameters")
            }
            guard average.decay > 0 && average.decay < 1 else { throw BackendError.invalid("the moving average's decay must lie in (0, 1), got \(average.decay)") }
            self.average = (try k.array(average.values), average.decay)
        } else {
            self.average = nil
        }
    }

    /// One step on the `rows` data rows at `data` (rows × D in the backend's memory): the loss of
    /// `DenoisingScoreMatching` at (timeKey, noiseKey), its gradient, and one Adam update. Returns the loss.
    @discardableResult
    public func step(data: BackendPointer<Scalar>, rows: Int, timeKey: StreamKey, noiseKey: StreamKey) throws -> Double {
        let k = network.backend
        let (D, Din, T) = (network.architecture.dimension, network.architecture.inputWidth, loss.schedule.steps)
        guard rows >= 1 && rows <= network.maximumBatch else {
            throw BackendError.invalid("a training batch of \(rows) rows (the resident network holds 1…\(network.maximumBatch))")
        }
        let t = (0..<rows).map { i -> Int32 in
            var g = SequentialGenerator(timeKey, row: i)
            return Int32(g.integer(in: 1...T))
        }
        try k.upload(t, to: steps.pointer)
        try k.fillNormals(noise.pointer, rows: rows, columns: D, key: noiseKey, firstRow: 0)
        let input = network.buffers.input
        try k.diffuse(data: data, noise: noise.pointer, steps: steps.pointer, alphas: alphas.pointer, sigmas: sigmas.pointer, rows: rows,
                      columns: D, into: input, stride: Din)
        try k.gatherRows(table: network.embeddings.pointer, indices: steps.pointer, rows: rows, width: TimeEmbedding.width, into: input + D,
                         stride: Din)
        try network.forwardPerRow(rows: rows)
        try k.scoreResidual(output: network.output.pointer, input: input, stride: Din, steps: steps.pointer, skips: skips.pointer,
                            outputScales: outputScales.pointer, noise: noise.pointer, rows: rows, columns: D, scale: Scalar(2 / Double(rows * D)),
                            cotangent: network.cotangent.pointer, rowSquares: rowSquares.pointer)
        try network.parameterGradient(rows: rows, into: gradient.pointer)
        try optimizer.update(parameters: network.parameters.pointer, gradient: gradient.pointer, firstMoment: firstMoment.pointer,
                             secondMoment: secondMoment.pointer, count: gradient.count, on: k)
        if let average {
            // The CPU trainer's scalars: Scalar(decay) and Scalar(1 − decay), the difference taken in Double.
            try k.exponentialAverage(average.values.pointer, toward: network.parameters.pointer, count: gradient.count,
                                     decay: Scalar(average.decay), weight: Scalar(1 - average.decay))
        }
        let squares = try k.values(rowSquares.pointer, count: rows)
        return squares.reduce(0, +) / Double(rows * D)
    }

    /// One epoch of `ScoreTrainer` over `data` (points × D, resident): the shuffle of (seed, shuffle,
    /// epoch), then every batch with the keys of (seed, timesteps / trainingNoise, (epoch, batch)).
    /// Returns the mean batch loss; `progress(batch, batches, running mean)` after each batch.
    public func epoch(data: BackendArray<Scalar>, points: Int, batchSize: Int, seed: UInt64, epoch e: Int,
                      progress: ((Int, Int, Double) -> Void)? = nil) throws -> Double {
        let k = network.backend
        let D = network.architecture.dimension
        guard data.count == points * D, batchSize >= 1, batchSize <= network.maximumBatch else {
            throw BackendError.invalid("resident data of \(data.count) numbers for \(points)×\(D), batch \(batchSize) of at most \(network.maximumBatch)")
        }
        var shuffler = SequentialGenerator(StreamKey(seed: seed, purpose: .shuffle, index: UInt64(e)))
        let order = try k.array(shuffler.permutation(points).map { Int32($0) })
        let batches = (points + batchSize - 1) / batchSize
        var total = 0.0
        for b in 0..<batches {
            let rows = min(batchSize, points - b * batchSize)
            try k.gatherRows(table: data.pointer, indices: order[b * batchSize], rows: rows, width: D, into: batch.pointer, stride: D)
            let value = try step(data: batch.pointer, rows: rows, timeKey: StreamKey(seed: seed, purpose: .timesteps, major: e, minor: b),
                                 noiseKey: StreamKey(seed: seed, purpose: .trainingNoise, major: e, minor: b))
            guard value.isFinite else { throw TrainingError.nonFinite(epoch: e, batch: b, quantity: "the loss") }
            total += value
            progress?(b + 1, batches, total / Double(b + 1))
        }
        return total / Double(batches)
    }

    /// The parameters' moving average copied back, or nil when none is kept.
    public func averagedParameters() throws -> [Scalar]? {
        guard let average else { return nil }
        return try network.backend.values(average.values.pointer, count: average.values.count)
    }

    /// Adam's state with the resident moments copied back.
    public func optimizerState() throws -> Adam<Scalar> {
        let k = network.backend
        return try Adam<Scalar>(restoring: optimizer.step, firstMoment: k.values(firstMoment.pointer, count: firstMoment.count),
                                secondMoment: k.values(secondMoment.pointer, count: secondMoment.count), learningRate: optimizer.learningRate,
                                beta1: optimizer.beta1, beta2: optimizer.beta2, epsilon: optimizer.epsilon)
    }
}
