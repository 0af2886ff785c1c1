import Compute
import CUDADriver
import ScoreNetwork

/// A backend by the name `ggd` and the cross-check use for it.
public enum BackendChoice: String, CaseIterable, Sendable {
    case reference
    case openBLASDouble = "openblas-double"
    case openBLASFloat = "openblas-float"
    case cudaFloat = "cuda-float"
    case cudaDouble = "cuda-double"

    public var dtype: String { self == .openBLASFloat || self == .cudaFloat ? "float" : "double" }
    public var isCUDA: Bool { self == .cudaFloat || self == .cudaDouble }

    /// Why this backend cannot run here (nil when it can): the CUDA probe's reason, or a GPU without FP64.
    public var unavailableReason: String? {
        guard isCUDA else { return nil }
        switch CUDARuntime.probe() {
        case let .unavailable(reason): return reason
        case let .available(name, _, supportsDouble):
            return self == .cudaDouble && !supportsDouble ? "\(name) has no double-precision support" : nil
        }
    }


    /// Runs `body` with this backend opened, in its precision (the CUDA ones compile their kernels first).
    /// `threads` is the host backends' noise-fill parallelism (it does not change the draws).
    public func with<R>(threads: Int = 1, _ body: FloatOrDouble<R>) throws -> R {
        if let reason = unavailableReason { throw BackendError.unavailable("\(rawValue): \(reason)") }
        switch self {
        case .reference: return try body.double(HostKernels<Double>(.reference, threads: threads))
        case .openBLASDouble: return try body.double(HostKernels<Double>(.openBLAS, threads: threads))
        case .openBLASFloat: return try body.float(HostKernels<Float>(.openBLAS, threads: threads))
        case .cudaFloat: return try body.float(CUDAKernelBackend<Float>())
        case .cudaDouble: return try body.double(CUDAKernelBackend<Double>())
        }
    }
}

/// A computation written once over any `SamplerBackend`, given in its two precisions (Swift has no
/// generic closures, so the caller passes the same generic function twice).
public struct FloatOrDouble<R> {
    public let float: (any SamplerBackend<Float>) throws -> R
    public let double: (any SamplerBackend<Double>) throws -> R

    public init(float: @escaping (any SamplerBackend<Float>) throws -> R, double: @escaping (any SamplerBackend<Double>) throws -> R) {
        self.float = float
        self.double = double
    }
}

/// What the backends refuse: an unknown backend, one that cannot run here, or a resident computation
/// asked for something it cannot hold (shapes, steps or sizes that disagree).
public enum BackendError: Error, CustomStringConvertible, Equatable {
    case unknown(String)
    case unavailable(String)
    case invalid(String)
    public var description: String {
        switch self {
        case let .unknown(m), let .unavailable(m), let .invalid(m): return m
        }
    }
}
