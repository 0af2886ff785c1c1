import Diffusion
import Experiments
import LinearAlgebra
import Randomness
import Statistics

/// How often the samples audit fails samples that are right: draws from the exact law itself, run after
/// run, each judged as `ggd audit` judges an external sampler's. A correct audit fails at most at its
/// stated false-fail rate; this measures it (the `ggd calibrate` of the audit).
public struct AuditCalibration: Codable, Sendable, Equatable {
    /// The case (`AuditCase.summary`), the seed of the draws and the tool that ran it.
    public var caseSummary: String
    public var seed: UInt64
    public var toolVersion: String
    public var runs: Int
    public var draws: Int
    public var falseFailRate: Double
    public var failures: Int
    /// Failures by check name (a run may fail several).
    public var failuresByCheck: [String: Int]
    /// The Clopper–Pearson 95% upper bound on the audit's false-fail rate.
    public var upperBound: Double
    /// P(at least `failures` failures) if the audit failed at exactly its stated rate (one-sided binomial).
    public var pValue: Double
    /// Consistent with failing at most at the stated rate: `pValue` ≥ 0.001.
    public var consistent: Bool { pValue >= 1e-3 }

    /// `runs` audits of `draws` draws from the exact law of `c`, the draws of run k keyed by (seed, audit, k).
    public static func run(_ c: AuditCase, runs: Int, draws: Int, options: SampleAudit.Options, seed: UInt64,
                           progress: ((Int, Int) -> Void)? = nil) throws -> AuditCalibration {
        guard runs >= 1, draws >= 2 else { throw AuditError("a calibration needs at least one run of at least two draws") }
        let law = try c.law()
        let eig = try SymmetricEigendecomposition(law.covariance)
        let top = max(eig.eigenvalues.last ?? 0, 0)
        let support = eig.eigenvalues.indices.filter { eig.eigenvalues[$0] > SampleAudit.supportThreshold * top && top > 0 }
        var failures = 0
        var byCheck = [String: Int]()
        for k in 0..<runs {
            let x = SampleAudit.drawLaw(law, support: support, eig: eig, count: draws, seed: seed, index: UInt64(k))
            var o = options
            o.seed = seed &+ UInt64(k) &+ 1
            let verdict = try SampleAudit.judge(x, law: law, gradient: c.gradient, geometry: c.geometry, options: o)
            if !verdict.passed { failures += 1 }
            for check in verdict.checks where !check.passed { byCheck[check.name, default: 0] += 1 }
            progress?(k + 1, runs)
        }
        let test = try Binomial.exactTest(successes: failures, trials: runs, nullProportion: options.falseFailRate, alternative: .greater)
        return AuditCalibration(caseSummary: c.summary, seed: seed, toolVersion: ToolVersion.string, runs: runs, draws: draws, falseFailRate: options.falseFailRate, failures: failures, failuresByCheck: byCheck,
                                upperBound: try Binomial.clopperPearsonUpperBound(successes: failures, trials: runs, confidence: 0.95),
                                pValue: test.pValue)
    }

    public var text: String {
        var lines = [String(format: "calibration: %d audits of %d draws from the exact law itself, each at false-fail rate %.3g (seed %llu)", runs, draws, falseFailRate, seed),
                     "  case: \(caseSummary)"]
        lines.append(String(format: "  %d failed (%.3g%%); 95%% upper bound on the false-fail rate %.3g; P(≥ %d | rate %.3g) = %.3g",
                            failures, 100 * Double(failures) / Double(runs), upperBound, failures, falseFailRate, pValue))
        for (name, count) in failuresByCheck.sorted(by: { $0.key < $1.key }) { lines.append("  \(name): \(count)") }
        lines.append(consistent ? "verdict: the audit fails correct samples at most at its stated rate"
                                : "verdict: the audit fails correct samples more often than it states")
        return lines.joined(separator: "\n")
    }
}
