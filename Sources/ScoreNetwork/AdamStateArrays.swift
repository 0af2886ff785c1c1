import Compute
import LinearAlgebra
import NumPyIO

/// Adam's state as NumPy arrays, the names PyTorch's optimiser state uses (checkpoints carry it).
extension Adam {
    /// The state as named arrays (prefix + "step", "exp_avg", "exp_avg_sq", "lr", "betas", "eps"),
    /// moments in the parameters' dtype.
    public func stateArrays(prefix: String = "adam.") -> [(String, NumPyArray)] {
        [
            (prefix + "step", NumPyArray(scalar: Int64(step))),
            (prefix + "exp_avg", Self.array(firstMoment)),
            (prefix + "exp_avg_sq", Self.array(secondMoment)),
            (prefix + "lr", NumPyArray(scalar: learningRate)),
            (prefix + "betas", NumPyArray([beta1, beta2])),
            (prefix + "eps", NumPyArray(scalar: epsilon)),
        ]
    }

    /// Rebuilds the state written by `stateArrays` (moments of either float dtype are converted).
    public init(stateArrays arrays: [String: NumPyArray], prefix: String = "adam.") throws {
        func get(_ name: String) throws -> NumPyArray {
            guard let a = arrays[prefix + name] else { throw TrainingError.mismatch("Adam state lacks '\(prefix + name)'") }
            return a
        }
        guard let step = try get("step").intScalar, step >= 0 else {
            throw TrainingError.mismatch("Adam state '\(prefix)step' must be a non-negative integer scalar")
        }
        guard let lr = try get("lr").scalar, let eps = try get("eps").scalar else {
            throw TrainingError.mismatch("Adam state '\(prefix)lr' and '\(prefix)eps' must be scalars")
        }
        let betas = try get("betas").doubles
        guard betas.count == 2 else { throw TrainingError.mismatch("Adam state '\(prefix)betas' must hold two numbers") }
        try self.init(restoring: step, firstMoment: get("exp_avg").doubles.map { Scalar($0) },
                      secondMoment: get("exp_avg_sq").doubles.map { Scalar($0) },
                      learningRate: lr, beta1: betas[0], beta2: betas[1], epsilon: eps)
    }

    static func array(_ values: [Scalar]) -> NumPyArray {
        if let f = values as? [Float] { return NumPyArray(f) }
        return NumPyArray(values.map { Double($0) })
    }

}
