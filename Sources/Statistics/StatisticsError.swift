/// Why a statistical routine refused its input or could not produce an answer.
///
/// Every entry point of this module validates its input and throws one of these
/// instead of trapping or returning NaN, so that the property engine can report a
/// malformed experiment as such rather than as a failed (or passed) claim. The
/// `description` is one line that names the argument and the problem.
public enum StatisticsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An input contained NaN or ±infinity. The associated value names the argument.
    case nonFiniteInput(String)
    /// Fewer observations than the procedure needs (e.g. a variance needs two).
    case tooFewPoints(String, required: Int, actual: Int)
    /// Two inputs that must have the same length (or dimension) do not.
    case lengthMismatch(String, expected: Int, actual: Int)
    /// A probability-like parameter (α, β, a confidence level, a p-value) lies outside its range.
    case invalidProbability(String, value: Double)
    /// Any other argument outside its domain (a negative σ, zero trials, a zero direction …).
    case invalidArgument(String)
    /// The data make the statistic undefined: zero sample variance, all x equal, …
    case degenerateData(String)
    /// The sample covariance matrix is singular or numerically not positive definite.
    case singularCovariance(String)
    /// A GSL routine reported an error status (or returned NaN for a valid-looking input).
    case gsl(function: String, status: Int32, message: String)
    /// An iterative solve (a root search for a power calculation, a series) did not converge.
    case noConvergence(String)

    public var description: String {
        switch self {
        case .nonFiniteInput(let name):
            return "\(name) contains NaN or infinity"
        case .tooFewPoints(let name, let required, let actual):
            return "\(name) has \(actual) observation(s); at least \(required) are needed"
        case .lengthMismatch(let name, let expected, let actual):
            return "\(name) has length \(actual); expected \(expected)"
        case .invalidProbability(let name, let value):
            return "\(name) = \(value) lies outside the open interval (0, 1)"
        case .invalidArgument(let message):
            return "invalid argument: \(message)"
        case .degenerateData(let message):
            return "degenerate data: \(message)"
        case .singularCovariance(let message):
            return "singular covariance: \(message)"
        case .gsl(let function, let status, let message):
            return "GSL \(function) failed with status \(status): \(message)"
        case .noConvergence(let message):
            return "no convergence: \(message)"
        }
    }
}
