import Compute

extension BetaRule {
    /// Checks σ > 0 or β finite.
    public func validate() throws {
        switch self {
        case let .code(s), let .theory(s):
            guard s > 0, s.isFinite else { throw GuidanceError.invalidParameter("σ must be positive and finite, got \(s)") }
        case let .constant(b):
            guard b.isFinite else { throw GuidanceError.nonFinite("constant β must be finite, got \(b)") }
        }
    }
}
