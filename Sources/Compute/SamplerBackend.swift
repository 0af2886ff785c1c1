import LinearAlgebra
import Randomness

/// The `KernelBackend` seam extended with the sampler's and the training step's kernels, so that a
/// whole DDPM trajectory with G_loss guidance (`ResidentSampler`) or a score-matching training step
/// (`ResidentTraining`) runs on one backend, its state never leaving the backend's memory.
///
/// Sampler state (points, x̂₀, noise, the guidance query) is Double on every backend, as on the CPU
/// path (`DDPMSampler` with `NetworkScore`); only the network computes in `Scalar`. Each kernel mirrors
/// that CPU path operation for operation (named below), so a backend differs from it only where its
/// arithmetic differs (cuBLAS's summation order, not the formulas).
public protocol SamplerBackend<Scalar>: KernelBackend {
    associatedtype Scalar
    /// Standard normals: row i of the rows × columns matrix at `out` is stream row `firstRow + i` of `key`
    /// (`RandomStream.fillNormals`, as `NoiseFill`), the same Philox noise on every backend.
    func fillNormals(_ out: BackendPointer<Double>, rows: Int, columns: Int, key: StreamKey, firstRow: Int) throws
    /// Network input rows from points: input[r·stride + j] = Scalar(x[r·columns + j]).
    func loadRows(_ x: BackendPointer<Double>, rows: Int, columns: Int, into input: BackendPointer<Scalar>, stride: Int) throws
    /// out = Scalar(x) (a cotangent for the network).
    func convert(_ x: BackendPointer<Double>, count: Int, into out: BackendPointer<Scalar>) throws
    /// out = (baseScale·base − scale·Double(correction))·factor: x̂₀ = (b x − c F)/α, and its VJP
    /// (b v − c Jᵀv)/α, with (b, c) the network's `OutputParameterization.denoisedCoefficients` ((1, √h) for ε).
    func tweedie(base: BackendPointer<Double>, baseScale: Double, correction: BackendPointer<Scalar>, count: Int, scale: Double, factor: Double,
                 into out: BackendPointer<Double>) throws
    /// G_loss (`LookaheadGuidance.combine`) and the shift x̂₀ ← x̂₀ + (h/α)G, row by row: the reductions
    /// gᵀx̂₀, gᵀv and ‖v‖², β by `strength`'s rule, G = 2·coefficient·β·(y − gᵀx̂₀)·v.
    func lookaheadShift(denoised x0: BackendPointer<Double>, vjp v: BackendPointer<Double>, gradients g: BackendPointer<Double>,
                        targets y: BackendPointer<Double>, rows: Int, columns: Int, strength: LookaheadStrength, alpha: Double, h: Double) throws
    /// The DDPM update x ← c1·x̂₀ + c2·x + sd·z (no noise term when `noise` is nil).
    func ddpmStep(x: BackendPointer<Double>, denoised x0: BackendPointer<Double>, noise: BackendPointer<Double>?, count: Int,
                  c1: Double, c2: Double, sd: Double) throws
    /// Score matching's noisy input rows: input[r·stride + j] = alphas[t_r]·x₀ + sigmas[t_r]·Scalar(noise).
    func diffuse(data x0: BackendPointer<Scalar>, noise: BackendPointer<Double>, steps: BackendPointer<Int32>, alphas: BackendPointer<Scalar>,
                 sigmas: BackendPointer<Scalar>, rows: Int, columns: Int, into input: BackendPointer<Scalar>, stride: Int) throws
    /// out[r·stride + j] = table[indices[r]·width + j] (each row's time embedding).
    func gatherRows(table: BackendPointer<Scalar>, indices: BackendPointer<Int32>, rows: Int, width: Int, into out: BackendPointer<Scalar>,
                    stride: Int) throws
    /// Score matching's cotangent for ε̂ = s·x_t + c·F (s = skips[t_r], c = outputScales[t_r], x_t the input row):
    /// d = (c·output + s·input[r·stride + j]) − Scalar(noise), cotangent = (scale·c)·d, rowSquares[r] = Σ_j Double(d²).
    func scoreResidual(output: BackendPointer<Scalar>, input: BackendPointer<Scalar>, stride: Int, steps: BackendPointer<Int32>,
                       skips: BackendPointer<Scalar>, outputScales: BackendPointer<Scalar>, noise: BackendPointer<Double>, rows: Int,
                       columns: Int, scale: Scalar, cotangent: BackendPointer<Scalar>, rowSquares: BackendPointer<Double>) throws
    /// The parameters' exponential moving average after a training step: average[i] = decay·average[i] +
    /// weight·parameters[i] (two rounded products and a rounded sum, as `Kernels.exponentialAverage`).
    func exponentialAverage(_ average: BackendPointer<Scalar>, toward parameters: BackendPointer<Scalar>, count: Int, decay: Scalar,
                            weight: Scalar) throws
}

extension SamplerBackend {
    /// Whether `count` values at `p` are all finite (a download; the host backends scan in place).
    public func allFinite(_ p: BackendPointer<Double>, count: Int) throws -> Bool {
        try values(p, count: count).allSatisfy(\.isFinite)
    }
}

/// G_loss's strength as kernels take it: βₜ's rule and its parameter, and β_coef.
public struct LookaheadStrength: Sendable, Equatable {
    public var rule: BetaRule
    public var coefficient: Double

    public init(rule: BetaRule, coefficient: Double) {
        self.rule = rule
        self.coefficient = coefficient
    }

    /// The rule as a kernel argument (0: code, 1: theory, 2: constant) and its parameter (σ or β).
    public var encoded: (rule: Int32, parameter: Double) { rule.kernelEncoding }
}
