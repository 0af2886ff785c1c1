import ScoreNetwork

/// The floating-point work of the learned network's hot paths, counted from the gemms actually run, so
/// a measured time becomes a rate to hold beside the machine's sgemm peak.
public enum NetworkFlops {
    /// One G_loss round of Algorithm 1: `steps` sampler steps of `batch` rows, each one forward pass (the
    /// shared step folds the time embedding into the first layer's bias, so that gemm runs over the D
    /// x-columns) and one input VJP (the same products backwards, no parameter gradient).
    public static func guidedRound(_ a: NetworkArchitecture, batch: Int, steps: Int) -> Double {
        let (W, D) = (Double(a.width), Double(a.dimension))
        let hidden = Double(a.blocks) * W * W + W * D
        return Double(steps) * 2 * Double(batch) * ((D * W + hidden) + (hidden + D * W))
    }

    /// One training batch: the forward pass with the embedding in the gemm, ∂h through the layers and the
    /// parameter gradients.
    public static func trainingBatch(_ a: NetworkArchitecture, batch: Int) -> Double {
        let (W, Din, D) = (Double(a.width), Double(a.inputWidth), Double(a.dimension))
        let hidden = Double(a.blocks) * W * W + W * D
        // With time in every block, each block's U e(tᵢ) is a gemm of its own, and so is ∂U.
        let time = a.timeInBlocks ? Double(a.blocks) * Double(NetworkArchitecture.embeddingWidth) * W : 0
        return 2 * Double(batch) * ((Din * W + hidden + time) + hidden + (hidden + Din * W + time))
    }
}
