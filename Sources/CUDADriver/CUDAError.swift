/// Everything that can go wrong on the CUDA path, each as a one-line message.
///
/// The backend is optional: callers are expected to catch these, report `description`, and fall back
/// to the CPU. Nothing in the backend traps on a missing library, driver or device.
public enum CUDAError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No candidate of a run-time library could be opened (`tried` in order; `detail` is `dlerror`).
    case libraryUnavailable(library: String, tried: [String], detail: String)
    /// A library opened but lacks a function the backend needs (too old, or not the real library).
    case symbolMissing(library: String, symbol: String)
    /// A driver-API call returned `code`; `name` is from `cuGetErrorName` (nil if unknown).
    case driver(function: String, code: Int32, name: String?)
    /// An NVRTC call other than compilation failed; `message` is from `nvrtcGetErrorString`.
    case nvrtc(function: String, code: Int32, message: String)
    /// NVRTC rejected a program; `log` is the full compilation log.
    case compilationFailed(program: String, log: String)
    /// A cuBLAS call returned `status` (a `cublasStatus_t`).
    case cublas(function: String, status: Int32)
    /// A request the backend refuses (sizes out of range, buffers too small, no device).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .libraryUnavailable(library, tried, detail):
            return "\(library) unavailable: tried \(tried.joined(separator: ", ")) (\(detail))"
        case let .symbolMissing(library, symbol):
            return "\(library) lacks the function \(symbol)"
        case let .driver(function, code, name):
            return "CUDA driver call \(function) failed with \(name ?? "CUresult") (\(code))"
        case let .nvrtc(function, code, message):
            return "NVRTC call \(function) failed with \(message) (\(code))"
        case let .compilationFailed(program, log):
            let lines = log.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            return "NVRTC failed to compile \(program): " + (lines.isEmpty ? "no log" : lines.joined(separator: " | "))
        case let .cublas(function, status):
            return "cuBLAS call \(function) failed with \(Self.cublasStatusName(status)) (\(status))"
        case let .invalidArgument(message):
            return message
        }
    }

    /// The name of a `cublasStatus_t` value (cuBLAS has no run-time name function).
    static func cublasStatusName(_ status: Int32) -> String {
        switch status {
        case 1: return "CUBLAS_STATUS_NOT_INITIALIZED"
        case 3: return "CUBLAS_STATUS_ALLOC_FAILED"
        case 7: return "CUBLAS_STATUS_INVALID_VALUE"
        case 8: return "CUBLAS_STATUS_ARCH_MISMATCH"
        case 11: return "CUBLAS_STATUS_MAPPING_ERROR"
        case 13: return "CUBLAS_STATUS_EXECUTION_FAILED"
        case 14: return "CUBLAS_STATUS_INTERNAL_ERROR"
        case 15: return "CUBLAS_STATUS_NOT_SUPPORTED"
        case 16: return "CUBLAS_STATUS_LICENSE_ERROR"
        default: return "cublasStatus_t"
        }
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var s = self
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return s
    }
}
