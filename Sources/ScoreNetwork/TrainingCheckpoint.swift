import Compute
import Foundation
import Diffusion
import NumPyIO
import StrictJSON

/// Checkpoints as NumPy .npz, so Python users can load them (`numpy.load`):
///
/// - `params` (float32, flat, layer after layer: for each Linear its weight, row-major outputs×inputs
///   as PyTorch stores `weight`, then its bias — see `NetworkArchitecture.layers` for the offsets),
/// - `adam.step`, `adam.exp_avg`, `adam.exp_avg_sq`, `adam.lr`, `adam.betas`, `adam.eps`,
/// - `epochs_done` (int64), `epoch_losses` (float64),
/// - `ema_params` (float32, as `params`) when the run keeps a moving average of the parameters,
/// - `configuration` (uint8: the training configuration as UTF-8 JSON, including the architecture).
///
/// Written to a temporary file in the same folder and renamed, so an interruption leaves either the old
/// checkpoint or the new one, never half of one.
public enum TrainingCheckpoint {
    public static let format = "ggd-checkpoint-1"

    public static func write(_ state: TrainingState, configuration: TrainingConfiguration, to path: String) throws {
        try ScoreTrainer.requireFinite(state, epoch: max(0, state.epochsDone - 1))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(configuration)
        var arrays: [(String, NumPyArray)] = [
            ("format", NumPyArray(Array(format.utf8))),
            ("configuration", NumPyArray([UInt8](json))),
            ("params", NumPyArray(state.network.parameters)),
            ("epochs_done", NumPyArray(scalar: Int64(state.epochsDone))),
            ("epoch_losses", NumPyArray(state.epochLosses)),
        ]
        if let averaged = state.averagedParameters { arrays.append(("ema_params", NumPyArray(averaged))) }
        arrays += state.optimizer.stateArrays()
        try NPZArchive.write(arrays, to: path)
    }

    /// Reads a checkpoint; every inconsistency is an error naming the file and the problem.
    public static func read(_ path: String) throws -> (state: TrainingState, configuration: TrainingConfiguration) {
        let arrays: [String: NumPyArray]
        // NumPyIOError's description already starts with the path: prefix ours to the rest only.
        do { arrays = try NPZArchive.read(contentsOf: path) } catch {
            throw TrainingError.mismatch("\(path): \((error as? NumPyIOError)?.descriptionWithoutPath ?? "\(error)")")
        }
        func get(_ key: String) throws -> NumPyArray {
            guard let a = arrays[key] else { throw TrainingError.mismatch("\(path): not a ggd checkpoint (no '\(key)')") }
            return a
        }
        guard let formatBytes = try get("format").values(as: UInt8.self), String(decoding: formatBytes, as: UTF8.self) == format else {
            throw TrainingError.mismatch("\(path): unknown checkpoint format")
        }
        guard let json = try get("configuration").values(as: UInt8.self) else {
            throw TrainingError.mismatch("\(path): 'configuration' must be uint8 JSON")
        }
        let configuration: TrainingConfiguration
        do { try StrictJSON.validate(json) } catch {
            throw TrainingError.mismatch("\(path): unreadable configuration (invalid JSON: \(error))")
        }
        do { configuration = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(json)) } catch {
            throw TrainingError.mismatch("\(path): unreadable configuration (\(DecodingErrorDescription.describe(error)))")
        }
        do { try configuration.validate() } catch { throw TrainingError.mismatch("\(path): invalid configuration (\(error))") }
        let params = try get("params")
        guard params.dtype == .float32, let values = params.values(as: Float.self) else {
            throw TrainingError.mismatch("\(path): 'params' must be float32")
        }
        let network: EpsilonNetwork<Float>
        do { network = try EpsilonNetwork<Float>(architecture: configuration.architecture, parameters: values) } catch {
            throw TrainingError.mismatch("\(path): \(error)")
        }
        let optimizer: Adam<Float>
        do { optimizer = try Adam<Float>(stateArrays: arrays) } catch { throw TrainingError.mismatch("\(path): \(error)") }
        guard optimizer.parameterCount == network.parameterCount else {
            throw TrainingError.mismatch("\(path): optimiser state has \(optimizer.parameterCount) entries, the network \(network.parameterCount)")
        }
        guard let epochs = try get("epochs_done").intScalar, epochs >= 0 else {
            throw TrainingError.mismatch("\(path): 'epochs_done' must be a non-negative integer")
        }
        let losses = try get("epoch_losses").doubles
        guard losses.count == epochs else {
            throw TrainingError.mismatch("\(path): 'epoch_losses' holds \(losses.count) values for \(epochs) epochs done")
        }
        var averaged: [Float]?
        if let a = arrays["ema_params"] {
            guard configuration.emaDecay != nil else { throw TrainingError.mismatch("\(path): 'ema_params' is present but the configuration keeps no average") }
            guard a.dtype == .float32, let values = a.values(as: Float.self), values.count == network.parameterCount else {
                throw TrainingError.mismatch("\(path): 'ema_params' must be float32 with \(network.parameterCount) entries")
            }
            guard values.allSatisfy(\.isFinite) else { throw TrainingError.mismatch("\(path): 'ema_params' contain NaN or infinity") }
            averaged = values
        } else if configuration.emaDecay != nil {
            throw TrainingError.mismatch("\(path): the configuration keeps a parameter average (ema_decay) but 'ema_params' is missing")
        }
        return (TrainingState(network: network, optimizer: optimizer, epochsDone: epochs, epochLosses: losses, averagedParameters: averaged),
                configuration)
    }
}
