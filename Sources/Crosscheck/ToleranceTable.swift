/// The one place where the cross-check's tolerances are written down.
///
/// A backend's output x passes against the Double reference r when |x − r| ≤ atol + rtol·|r| for every
/// element (PyTorch's `assert_close` rule). The defaults are PyTorch's for each dtype; an entry is
/// widened only with its reason beside it.
public enum ToleranceTable {
    public struct Entry: Codable, Sendable, Equatable {
        public var rtol: Double
        public var atol: Double
        public var reason: String
    }

    /// PyTorch's `assert_close` defaults.
    public static let floatDefault = Entry(rtol: 1.3e-6, atol: 1e-5, reason: "PyTorch assert_close default for float32")
    public static let doubleDefault = Entry(rtol: 1e-7, atol: 1e-7, reason: "PyTorch assert_close default for float64")

    /// The tolerance of `check` for a backend computing in `dtype` ("float" or "double").
    public static func entry(check: String, dtype: String) -> Entry {
        guard dtype == "float" else { return doubleDefault }
        switch check {
        case "sampler.trajectory", "algorithm1.round":
            return Entry(rtol: 1e-3, atol: 1e-3,
                         reason: "PyTorch's float32 default is for one operation; a trajectory chains 200 DDPM steps, each carrying the float32 network's error (≈1e-6 of ε̂, network.forward) scaled by √hₜ/αₜ and, guided, by β's 1/σ²: measured 8e-5 relative at T = 200, so 1e-3 leaves a factor of ten")
        default:
            return floatDefault
        }
    }
}
