/// How hard and how randomly a run works.
///
/// `ci`: a fixed seed and small budgets (derandomized, within a few minutes); `full`: a fresh random seed
/// and large budgets. `falseFailRate` is the family-wise error budget of the run: the probability that a
/// correct implementation fails some statistical or rate property, split equally among those properties
/// and controlled with Holm within each.
public struct Profile: Sendable, Equatable {
    public var name: String
    public var seed: UInt64
    public var falseFailRate: Double
    /// Per-property budget overrides.
    public var overrides: [String: Budget]
    /// Evaluations allowed when shrinking one failure.
    public var shrinkEvaluations: Int

    public init(name: String, seed: UInt64, falseFailRate: Double, overrides: [String: Budget] = [:], shrinkEvaluations: Int) {
        self.name = name
        self.seed = seed
        self.falseFailRate = falseFailRate
        self.overrides = overrides
        self.shrinkEvaluations = shrinkEvaluations
    }

    /// The CI profile: seed 20240601, family-wise false-fail rate 1e−3.
    public static let ci = Profile(name: "ci", seed: 20_240_601, falseFailRate: 1e-3, shrinkEvaluations: 60)

    /// The full profile with a fresh random seed (pass one to reproduce a run).
    public static func full(seed: UInt64? = nil) -> Profile {
        Profile(name: "full", seed: seed ?? UInt64.random(in: 1...UInt64(UInt32.max)), falseFailRate: 1e-3, shrinkEvaluations: 200)
    }

    public static func named(_ name: String, seed: UInt64? = nil) throws -> Profile {
        switch name {
        case "ci":
            var p = Profile.ci
            if let seed { p.seed = seed }
            return p
        case "full": return .full(seed: seed)
        default: throw PropertyError.badResults("unknown profile '\(name)' (use ci or full)")
        }
    }
}
