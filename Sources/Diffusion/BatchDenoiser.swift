import Compute
import LinearAlgebra

/// What the sampler driver asks of a model at every step: the (guided) look-ahead estimate x̂₀ of a
/// batch of points held on a backend, written to the backend's memory.
///
/// This is the one seam between the driver and a model: a closed-form score with host-side guidance
/// (`HostModelDenoiser`) and a network resident on a backend with its guidance kernels
/// (`ResidentNetworkDenoiser` in Backends) both answer it, so there is one sampler loop for both.
public protocol BatchDenoiser<Backend> {
    associatedtype Backend: SamplerBackend
    /// The guided x̂₀ that `step` reads (x̂₀ + (h/α)G for G_loss) at the `rows` × D points `x`, at the
    /// step's time and network step, into `denoised` (both Double on the backend).
    func denoise(_ x: BackendPointer<Double>, into denoised: BackendPointer<Double>, rows: Int, step: SamplerStep) throws
}

/// A host score model (exact, fitted or learned through `ScoreModel`) and an optional guidance rule,
/// evaluated on the host: the points come from the backend and x̂₀ goes back to it (a copy on the host
/// backends, a transfer on a device).
public struct HostModelDenoiser<Backend: SamplerBackend>: BatchDenoiser {
    public let backend: Backend
    public let model: any ScoreModel
    public let guidance: (any GuidanceTerm)?

    public init(model: any ScoreModel, guidance: (any GuidanceTerm)?, on backend: Backend) {
        self.backend = backend
        self.model = model
        self.guidance = guidance
    }

    public func denoise(_ x: BackendPointer<Double>, into denoised: BackendPointer<Double>, rows: Int, step: SamplerStep) throws {
        let D = model.dimension
        let points = Matrix(rows: rows, columns: D, elements: try backend.values(x, count: rows * D))
        let x0 = guidance?.guidedDenoise(model: model, x: points, context: step.context) ?? model.denoise(points, at: step.time)
        try backend.upload(x0.elements, to: denoised)
    }
}
