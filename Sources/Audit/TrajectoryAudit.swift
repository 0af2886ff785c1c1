import Foundation
import Diffusion
import LinearAlgebra

/// The tolerances of a trajectory audit, by the precision the external side computed in: one place, with
/// the reason beside each (as `ggd crosscheck`'s table). A state passes against its prediction r when
/// |x − r| ≤ atol + rtol·|r| for every element.
public enum AuditTolerance {
    public struct Entry: Codable, Sendable, Equatable {
        public var rtol: Double
        public var atol: Double
        public var reason: String
    }

    /// One external step from the external's own xₜ, against this tool's step with the same noise.
    public static func oneStep(float32: Bool) -> Entry {
        float32
            ? Entry(rtol: 1e-3, atol: 1e-3, reason: "float32 (ulp 6e-8) through ε's 1/√hₜ and x̂₀'s 1/αₜ: the NumPy example in float32 measures 1.3e-4 at the last step (h₁ ≈ 4e-5), a tenth of this; a convention error moves a step by 1e-2 and more")
            : Entry(rtol: 1e-9, atol: 1e-9, reason: "float64 (ulp 1e-16) through ε's 1/√hₜ and x̂₀'s 1/αₜ: the NumPy example in float64 measures 2.4e-14; a float32 schedule moves a step by 1e-7")
    }

    /// The whole trajectory from the shared x_T, against the shipped sampler's.
    public static func endToEnd(float32: Bool) -> Entry {
        float32
            ? Entry(rtol: 1e-3, atol: 1e-3, reason: "as ggd crosscheck's sampler.trajectory for float32: 200 chained steps, each with float32 round-off amplified by x̂₀'s 1/αₜ and, guided, by β's 1/σ²")
            : Entry(rtol: 1e-7, atol: 1e-7, reason: "PyTorch assert_close's float64 default")
    }

    /// max over elements of |x − r|/(atol + rtol·|r|): at most 1 passes.
    static func excess(_ x: [Double], _ r: [Double], _ e: Entry) -> Double {
        var worst = 0.0
        for i in x.indices { worst = max(worst, abs(x[i] - r[i]) / (e.atol + e.rtol * abs(r[i]))) }
        return worst
    }
}

/// One step of a trajectory audit.
public struct StepDeviation: Codable, Sendable, Equatable {
    /// The step t (x_{t−1} is produced from xₜ).
    public var step: Int
    /// The external step from its own xₜ against the reference step: the largest excess over the tolerance (≤ 1 passes).
    public var oneStepExcess: Double
    /// The largest |external xₜ₋₁ − reference step| over the batch.
    public var oneStepDeviation: Double
    /// The external x_{t−1} against the shipped sampler's from the same x_T: the largest excess (≤ 1 passes).
    public var trajectoryExcess: Double
}

/// How well one convention explains an external trajectory, step by step.
public struct ConventionFit: Codable, Sendable, Equatable {
    public var convention: SamplerConvention
    /// The largest one-step excess over all steps (≤ 1: every step matches this convention).
    public var worstExcess: Double
    public var matches: Bool
}

/// The verdict on a trajectory computed from the case's shared noise.
public struct TrajectoryVerdict: Codable, Sendable, Equatable {
    public var trajectories: Int
    /// "float32" or "float64", from the file's dtype.
    public var precision: String
    public var oneStepTolerance: AuditTolerance.Entry
    public var endToEndTolerance: AuditTolerance.Entry
    /// The external x_T against the case's (excess over the end-to-end tolerance).
    public var startExcess: Double
    /// Steps T … 1.
    public var steps: [StepDeviation]
    /// The output x₀ against the shipped sampler's: largest absolute deviation.
    public var outputDeviation: Double
    /// The first step (in sampling order) whose one-step check fails, and what departs there.
    public var firstDepartingStep: Int?
    public var departure: String?
    public var conventions: [ConventionFit]
    public var passed: Bool
}

/// An external trajectory from the shared noise, judged step by step: each external step xₜ → xₜ₋₁ from
/// the external's own xₜ against this tool's affine step with the same zₜ (exact up to round-off, so it
/// resolves errors far below sampling error and names the first step that departs), the whole trajectory
/// against the shipped sampler's, and every recognised convention error's steps, to name the one made.
public enum TrajectoryAudit {
    /// `states[t]` is the external xₜ (N′×D) for t = 0 … T.
    public static func judge(_ c: AuditCase, states: [Matrix<Double>], float32: Bool) throws -> TrajectoryVerdict {
        let T = c.steps, D = c.dimension
        guard states.count == T + 1 else { throw AuditError("the trajectory has \(states.count) states; the case has T = \(T), so it needs T + 1 = \(T + 1) (x_T … x_0)") }
        let n = states[0].rows
        guard n >= 1, n <= c.trajectories else {
            throw AuditError("the trajectory has \(n) rows; the case's shared noise covers \(c.trajectories) (write the case with --trajectories N)")
        }
        for (t, s) in states.enumerated() {
            guard s.rows == n, s.columns == D else { throw AuditError("state x_\(t) is \(s.rows)×\(s.columns), expected \(n)×\(D)") }
            try SampleAudit.requireFinite(s, what: "the trajectory's state x_\(t)")
        }
        let oneStep = AuditTolerance.oneStep(float32: float32), whole = AuditTolerance.endToEnd(float32: float32)
        let noise = (1...T).map { c.stepNoise($0, rows: n) }   // noise[t − 1] is step t's
        let startExcess = AuditTolerance.excess(states[T].elements, c.initialNoise(rows: n).elements, whole)

        // The shipped sampler's trajectory from the same noise: ours[k] is x after k steps, x_{T−k}.
        let guidance = try c.guidanceTerm(rows: n)
        let ours = try c.sampler.trajectory(model: c.model, guidance: guidance, count: n, noise: c.noise)

        var fits: [ConventionFit] = []
        var referenceSteps: [StepDeviation] = []
        var firstDeparture: (step: Int, residual: Matrix<Double>, variance: Double)?
        for convention in [SamplerConvention.reference] + SamplerConvention.variants(for: c) {
            let affine = try convention.affineSteps(c)   // t = T … 1
            var worst = 0.0
            for (k, step) in affine.enumerated() {
                let t = T - k
                let predicted = step.apply(states[t], noise: noise[t - 1])
                let e = AuditTolerance.excess(states[t - 1].elements, predicted.elements, oneStep)
                worst = max(worst, e)
                if convention == .reference {
                    var residual = states[t - 1]
                    residual.add(predicted, scaledBy: -1)
                    let deviation = residual.elements.reduce(0) { max($0, abs($1)) }
                    referenceSteps.append(StepDeviation(step: t, oneStepExcess: e, oneStepDeviation: deviation,
                                                        trajectoryExcess: AuditTolerance.excess(states[t - 1].elements, ours[k + 1].elements, whole)))
                    if e > 1 && firstDeparture == nil { firstDeparture = (t, residual, step.variance) }
                }
            }
            fits.append(ConventionFit(convention: convention, worstExcess: worst, matches: worst <= 1))
        }
        let outputDeviation = zip(states[0].elements, ours[T].elements).reduce(0) { max($0, abs($1.0 - $1.1)) }
        let passed = startExcess <= 1 && firstDeparture == nil && referenceSteps.allSatisfy { $0.trajectoryExcess <= 1 }
        var departure: String?
        if startExcess > 1 {
            departure = String(format: "x_T is not the case's shared x_T (excess %.3g over the tolerance): start from the case's x_T", startExcess)
        } else if let (t, residual, variance) = firstDeparture {
            departure = describe(residual: residual, noise: noise[t - 1], variance: variance, step: t, geometry: c.geometry)
        } else if let bad = referenceSteps.first(where: { $0.trajectoryExcess > 1 }) {
            departure = String(format: "every step matches from its own input, but x_%d drifts from the shipped sampler's by %.3g× the end-to-end tolerance", bad.step - 1, bad.trajectoryExcess)
        }
        return TrajectoryVerdict(trajectories: n, precision: float32 ? "float32" : "float64", oneStepTolerance: oneStep, endToEndTolerance: whole,
                                 startExcess: startExcess, steps: referenceSteps, outputDeviation: outputDeviation,
                                 firstDepartingStep: firstDeparture?.step, departure: departure, conventions: fits, passed: passed)
    }

    /// What a step's residual looks like: a rescaled noise term, or a wrong mean (on or off span(A)).
    static func describe(residual r: Matrix<Double>, noise z: Matrix<Double>, variance: Double, step t: Int, geometry: SubspaceGeometry?) -> String {
        let rz = Vectors.dot(r.elements, z.elements), zz = Vectors.dot(z.elements, z.elements)
        let k = zz > 0 ? rz / zz : 0
        var rest = r
        rest.add(z, scaledBy: -k)
        let size = Vectors.norm(r.elements)
        if Vectors.norm(rest.elements) <= 0.1 * size {
            let sd = variance.squareRoot()
            if sd == 0 { return String(format: "step %d (the last step) adds noise of standard deviation %.3g; the reference adds none", t, abs(k)) }
            return String(format: "the noise term of step %d: standard deviation %.4g where the reference has √β̃ = %.4g (×%.4g)", t, sd + k, sd, (sd + k) / sd)
        }
        var location = ""
        if let geometry {
            let off = Vectors.norm(geometry.offSupport(r).elements)
            location = String(format: " (%.0f%% of it off span(A))", 100 * off * off / max(size * size, 1e-300))
        }
        return String(format: "the mean of step %d (c₁x̂₀ + c₂xₜ, with guidance): largest deviation %.3g%@", t, r.elements.reduce(0) { max($0, abs($1)) }, location)
    }
}
