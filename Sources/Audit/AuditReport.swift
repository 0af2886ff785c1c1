import Foundation
import Experiments

/// The outcome of `ggd audit`: what was audited, the verdict of each part, and the convention error
/// named where one explains a failure. Written as text for people and as JSON (`--json`) for scripts.
public struct AuditReport: Codable, Sendable, Equatable {
    public var input: String
    public var caseSummary: String
    public var samples: SampleVerdict?
    public var trajectory: TrajectoryVerdict?
    public var step: StepVerdict?
    /// Each convention's fit (samples: its exact law audited; trajectory and step: its steps).
    public var samplesConventions: [LawFit]?
    public var passed: Bool {
        (samples?.passed ?? true) && (trajectory?.passed ?? true) && (step?.passed ?? true)
    }

    public init(input: String, caseSummary: String) {
        self.input = input
        self.caseSummary = caseSummary
    }

    /// The conventions that explain the failure (empty when the audit passed or none does).
    public var likelyConventions: [SamplerConvention] {
        guard !passed else { return [] }
        if let step, !step.passed { return step.conventions.filter { $0.matches && $0.convention != .reference }.map(\.convention) }
        if let trajectory, !trajectory.passed { return trajectory.conventions.filter { $0.matches && $0.convention != .reference }.map(\.convention) }
        return (samplesConventions ?? []).filter { $0.passes && $0.convention != .reference }.map(\.convention)
    }

    public var text: String {
        var lines = ["audit of \(input) against \(caseSummary)"]
        if let s = samples {
            lines.append("samples: \(s.draws) draws in D = \(s.dimension); the exact law's support has dimension \(s.support); false-fail rate \(short(s.falseFailRate)) over the tests (Bonferroni)")
            for c in s.checks {
                let bound = c.pValue.map { String(format: "p = %.3g (level %.2g)", $0, c.threshold) } ?? String(format: "%.3g ≤ %.0e", c.statistic, c.threshold)
                lines.append("  \(c.passed ? "pass" : "FAIL")  \(c.name.padding(toLength: 26, withPad: " ", startingAt: 0)) \(bound) — \(c.detail)")
            }
            lines.append(String(format: "  power: with probability %.2g these %d draws detect a mean shift of %.3g (Mahalanobis), a standard deviation off by %.2g%%, a projected CDF off by %.3g",
                                1 - s.power.falsePassRate, s.draws, s.power.meanShift, 100 * s.power.standardDeviation, s.power.cdfDistance))
            if !s.passed, let d = s.departure { lines.append("  the samples depart from the exact law in \(d.quantity)") }
            if let fits = samplesConventions, !s.passed {
                lines.append("  each recognised convention's exact law, audited alike (W₂: distance of the samples' Gaussian fit):")
                for f in fits.sorted(by: { $0.wasserstein < $1.wasserstein }) {
                    lines.append(String(format: "    %@ %@  W₂ = %.3g  (%@)", f.passes ? "passes" : "fails ", f.convention.rawValue.padding(toLength: 28, withPad: " ", startingAt: 0),
                                        f.wasserstein, f.convention.summary))
                }
            }
        }
        if let t = trajectory {
            lines.append("trajectory: \(t.trajectories) trajectories in \(t.precision) from the shared noise; one step within rtol \(short(t.oneStepTolerance.rtol)), atol \(short(t.oneStepTolerance.atol)); the whole path within rtol \(short(t.endToEndTolerance.rtol)), atol \(short(t.endToEndTolerance.atol))")
            let worst = t.steps.max { $0.oneStepExcess < $1.oneStepExcess }
            if let worst {
                lines.append(String(format: "  largest one-step deviation %.3g at step %d (%.3g× the tolerance); output off the shipped sampler's by %.3g",
                                    worst.oneStepDeviation, worst.step, worst.oneStepExcess, t.outputDeviation))
            }
            if let d = t.departure { lines.append("  first departure: \(d)") }
            appendConventions(t.conventions, passed: t.passed, to: &lines)
        }
        if let s = step {
            lines.append("step command: \(s.steps.count) steps probed at \(s.probes) points each (noise off, then each noise coordinate); tolerance rtol \(short(s.tolerance.rtol)), atol \(short(s.tolerance.atol))")
            if let worst = s.steps.max(by: { $0.excess < $1.excess }) {
                lines.append(String(format: "  largest deviation of the step's affine map at step %d: %.3g× the tolerance (map %.3g, offset %.3g, noise scale %.3g)",
                                    worst.step, worst.excess, worst.mapDeviation, worst.offsetDeviation, worst.noiseDeviation))
            }
            if let d = s.departure { lines.append("  first departure: \(d)") }
            appendConventions(s.conventions, passed: s.passed, to: &lines)
        }
        let likely = likelyConventions
        if passed {
            lines.append("verdict: PASS")
        } else if likely.isEmpty {
            lines.append("verdict: FAIL — no recognised convention error explains it")
        } else {
            lines.append("verdict: FAIL — most likely " + likely.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; or "))
        }
        return lines.joined(separator: "\n")
    }

    private func appendConventions(_ fits: [ConventionFit], passed: Bool, to lines: inout [String]) {
        guard !passed else { return }
        lines.append("  each recognised convention's steps against the external's (≤ 1: every step matches):")
        for f in fits.sorted(by: { $0.worstExcess < $1.worstExcess }) {
            lines.append(String(format: "    %@ %@  %.3g  (%@)", f.matches ? "matches" : "differs", f.convention.rawValue.padding(toLength: 28, withPad: " ", startingAt: 0),
                                f.worstExcess, f.convention.summary))
        }
    }

    private func short(_ x: Double) -> String { String(format: "%.0e", x) }
}

extension AuditCase {
    /// One line: the setting's origin, the guidance, T and D.
    public var summary: String {
        "\(experiment.setting.origin) (\(guidance.rawValue) guidance\(guidance == .lookahead ? ", \(experiment.setting.guidance.betaRule) β" : ""), T = \(steps), D = \(dimension), seed \(seed))"
    }
}
