import Foundation
import LinearAlgebra
import Randomness
import Diffusion
import Guidance
import PropertyEngine

/// T1 — Theorem 1: the look-ahead guidance G_loss(x, t) lies in span(A) for every g, t, x, whatever the
/// latent law (exact Gaussian, exact mixture) and for the linear score class fitted to subspace data.
public enum T1StructurePreservation {
    public enum ModelKind: Int, CaseIterable, CustomStringConvertible {
        case gaussian, mixture, linearClass
        public var description: String { ["exact Gaussian", "exact mixture", "linear class"][rawValue] }
    }

    public struct Case: CustomStringConvertible {
        let setting: SubspaceCase
        let kind: ModelKind
        let step: Int
        let theoryBeta: Bool
        let seed: UInt64
        public var description: String {
            "\(setting); \(kind) score; t = \(step)/200; β \(theoryBeta ? "theory" : "code"); draw seed \(seed)"
        }
    }

    /// A subspace setting, a score model kind, a step and a β rule.
    static var generator: Gen<Case> {
        CatalogGen.subspace().flatMap { setting in
            Gen.zip(Gen.zip(Gens.element(of: ModelKind.allCases), Gens.int(in: 1...200)), Gen.zip(Gens.bool, Gens.seed)).map { a, b in
                Case(setting: setting, kind: a.0, step: a.1, theoryBeta: b.0, seed: b.1)
            }
        }
    }

    /// Effort: the batch size (points x with their own g and y).
    public static func property() -> Property<Case> {
        return Property(
            id: "T1", title: "G_loss stays in span(A)",
            claim: "Theorem 1: G_loss(x, t) = 2β(y − gᵀx̂₀)(∂x̂₀/∂x)ᵀg ∈ span(A) for every g, t, x (exact scores of any latent law; the fitted linear class)",
            kind: .exact, budgets: ["ci": Budget(cases: 40, effort: 16), "full": Budget(cases: 1000, effort: 64)],
            generator: generator, describe: { $0.description },
            check: { c, effort in
                let s = c.setting
                let D = s.ambient
                let (model, tolerance) = try Self.model(c)
                let schedule = try NoiseSchedule(steps: 200)
                let time = schedule.time(c.step)
                let x = 2 * NoiseFill.normals(rows: effort, columns: D, key: StreamKey(seed: c.seed, purpose: .generation, index: 1))
                let g = NoiseFill.normals(rows: effort, columns: D, key: StreamKey(seed: c.seed, purpose: .generation, index: 2))
                let y = NoiseFill.normals(rows: 1, columns: effort, key: StreamKey(seed: c.seed, purpose: .generation, index: 3)).elements
                let guidance = try LookaheadGuidance(target: try GuidanceTarget(gradients: g, targets: y), beta: c.theoryBeta ? .theory(sigma: 0.1) : .code(sigma: 0.1))
                let term = guidance.term(model: model, x: x, denoised: model.denoise(x, at: time), time: time)
                let geometry = SubspaceGeometry(basis: s.basis)
                let norms = term.rowNorms
                let fractions = zip(geometry.offSupport(term).rowNorms, norms).map { $1 > 0 ? $0 / $1 : 0 }
                let worst = fractions.max() ?? 0
                return .exact(measured: worst, tolerance: tolerance,
                              numbers: ["max_off_span_fraction": worst, "rows": Double(effort), "max_norm": norms.max() ?? 0],
                              note: "max over \(effort) points of ‖(I−P)G‖/‖G‖")
            })
    }

    /// The case's score model and the off-span tolerance its guidance is held to.
    static func model(_ c: Case) throws -> (any ScoreModel, Double) {
        let s = c.setting
        let D = s.ambient
        switch c.kind {
        case .gaussian: return (s.score, 1e-10)
        case .mixture:
            let d = s.latent
            var gen = SequentialGenerator(StreamKey(seed: c.seed, purpose: .setting, index: 1))
            let components = (0..<3).map { k in
                MixtureScore.Component(weight: [0.2, 0.3, 0.5][k], mean: (0..<d).map { _ in 2 * gen.normal() },
                                       covariance: Matrix.diagonal((0..<d).map { _ in 0.3 + gen.uniform() }))
            }
            return (try MixtureScore(basis: s.basis, components: components), 1e-10)
        case .linearClass:
            // The fit's off-span eigenvalues are round-off (~1e-16 of the on-span ones), so the
            // guidance inherits an off-span part of that relative size divided by h.
            return (try GaussianScore.fitted(to: s.model.sample(count: 20 * D + 50, key: StreamKey(seed: c.seed, purpose: .data))), 1e-8)
        }
    }

    /// Theorem 1's premise: the vector–Jacobian product G_loss is built from is (∂x̂₀/∂x)ᵀg, checked row by
    /// row against central differences of gᵀx̂₀ with step ε = 10⁻³·hₜ (x̂₀'s curvature scales as 1/hₜ for
    /// the mixture, so the truncation error stays near 10⁻⁶ relative; round-off stays below 10⁻⁷). The
    /// tolerance, 10⁻⁴ relative, is far below what a wrong Jacobian gives. Effort: points per case.
    public static func vjp() -> Property<Case> {
        return Property(
            id: "T1-vjp", title: "The guidance's VJP is the transposed Jacobian of x̂₀",
            claim: "Theorem 1's premise: G_loss = 2β(y − gᵀx̂₀)(∂x̂₀/∂x)ᵀg with the exact vector–Jacobian product of the score model's x̂₀ (Gaussian, mixture, fitted class)",
            kind: .exact, budgets: ["ci": Budget(cases: 30, effort: 4), "full": Budget(cases: 600, effort: 16)],
            generator: generator, describe: { $0.description },
            check: { c, effort in
                let s = c.setting
                let D = s.ambient
                let (model, _) = try Self.model(c)
                let time = try NoiseSchedule(steps: 200).time(c.step)
                let x = 2 * NoiseFill.normals(rows: effort, columns: D, key: StreamKey(seed: c.seed, purpose: .generation, index: 4))
                let g = NoiseFill.normals(rows: effort, columns: D, key: StreamKey(seed: c.seed, purpose: .generation, index: 5))
                let vjp = model.denoiseVJP(x, at: time, cotangent: g)
                let eps = 1e-3 * time.h
                var fd = Matrix<Double>(rows: effort, columns: D)
                for j in 0..<D {
                    var plus = x, minus = x
                    for i in 0..<effort { plus[i, j] += eps; minus[i, j] -= eps }
                    let up = g.rowDots(model.denoise(plus, at: time)), down = g.rowDots(model.denoise(minus, at: time))
                    for i in 0..<effort { fd[i, j] = (up[i] - down[i]) / (2 * eps) }
                }
                var worst = 0.0
                for i in 0..<effort {
                    let scale = max(Vectors.norm(fd.row(i)), Vectors.norm(vjp.row(i)), 1e-12)
                    worst = max(worst, Vectors.norm(Vectors.subtract(vjp.row(i), fd.row(i))) / scale)
                }
                return .exact(measured: worst, tolerance: 1e-4, numbers: ["max_relative_error": worst, "epsilon": eps],
                              note: "max over \(effort) points of ‖VJP − central differences‖/‖·‖")
            })
    }
}
