/// Why a factorization or solve could not be done; the message names the matrix's problem.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable {
    case notSquare(rows: Int, columns: Int)
    case notPositiveDefinite(leadingMinor: Int)
    case nonFinite(String)
    case lapackFailure(routine: String, info: Int32)
    case shapeMismatch(String)

    public var description: String {
        switch self {
        case let .notSquare(r, c): return "matrix must be square, got \(r)×\(c)"
        case let .notPositiveDefinite(k): return "matrix is not positive definite (leading minor \(k) is not positive)"
        case let .nonFinite(what): return "\(what) contains NaN or infinity"
        case let .lapackFailure(routine, info): return "LAPACK \(routine) failed with info = \(info)"
        case let .shapeMismatch(what): return "shape mismatch: \(what)"
        }
    }
}
