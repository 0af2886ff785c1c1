import Foundation
import LinearAlgebra
import Randomness
import Diffusion
import PropertyEngine

extension ModelQuality {
    /// The steps M-leak measures at (those ≤ T).
    public static let leakSteps = [1, 5, 10, 25, 50, 100, 150, 200]

    /// The most ‖(I−P)J‖_F/‖J‖_F a model may show at any step: the paper's pre-trained r_off.
    public static let leakTolerance = paperOffSpanRatio

    /// ‖(I−P)J‖_F/‖J‖_F and ‖(I−P)Jᵀ‖_F/‖J‖_F over `points` (root of summed squares), J = ∂x̂₀/∂x of
    /// `model` at each point and `time`. J comes from D VJPs per point with the basis vectors (row k of
    /// the VJP block is row k of J), all points in one batch.
    public static func jacobianLeak(model: any ScoreModel, geometry: SubspaceGeometry, points x: Matrix<Double>,
                                    time: DiffusionTime) -> (leak: Double, transposedLeak: Double) {
        let (n, D) = (x.rows, x.columns)
        let stacked = Matrix<Double>(rows: n * D, columns: D) { r, j in x[r / D, j] }
        let basis = Matrix<Double>(rows: n * D, columns: D) { r, j in r % D == j ? 1 : 0 }
        let jacobians = model.denoiseVJP(stacked, at: time, cotangent: basis)           // block i: J at xᵢ
        let transposes = Matrix<Double>(rows: n * D, columns: D) { r, j in jacobians[(r / D) * D + j, r % D] }
        let total = jacobians.frobeniusNorm
        guard total > 0 else { return (0, 0) }
        // Projecting the rows of Jᵀ applies (I − P) to J's columns; projecting J's rows, to Jᵀ's.
        return (geometry.offSupport(transposes).frobeniusNorm / total, geometry.offSupport(jacobians).frobeniusNorm / total)
    }

    /// Exact: the x̂₀ Jacobian's off-span share ‖(I−P)∂x̂₀/∂x‖_F/‖∂x̂₀/∂x‖_F at noised data points is at
    /// most 0.039 at every step of `leakSteps`. Effort: points per step.
    ///
    /// Premise and tolerance. For the exact and fitted scores x̂₀ is affine with a symmetric Jacobian whose
    /// range is span(A), so both shares are zero up to round-off (≈ 1e−15). G_loss moves a sample along
    /// (∂x̂₀/∂x)ᵀ g and the denoiser maps every move through ∂x̂₀/∂x, so a share ℓ adds ℓ of off-span motion
    /// to each on-span unit (Lemma 1's guarantee is ℓ = 0); the tolerance is the paper's pre-trained
    /// model's r_off 0.039, the off-span ratio the paper's own evidence starts from. The transposed share
    /// (what G_loss's direction picks up) is reported beside it, per step.
    public static func leak(_ m: ModelUnderTest) -> Property<Case> {
        Property(
            id: "M-leak", title: "The x̂₀ Jacobian stays in span(A)",
            claim: "a score model's ∂x̂₀/∂x has no more than 0.039 of its Frobenius norm off span(A) at any step (zero for the exact score)",
            kind: .exact, budgets: ["ci": Budget(cases: 2, effort: 8), "full": Budget(cases: 4, effort: 32)],
            generator: generator, describe: { "\(m.name); \($0)" },
            check: { c, effort in
                let n = max(2, effort), D = m.data.dimension
                let x0 = m.data.sample(count: n, key: StreamKey(seed: c.seed, purpose: .data, index: 78))
                var numbers: [String: Double] = ["points": Double(n)]
                var worst = (leak: 0.0, step: 0)
                for t in leakSteps where t <= m.schedule.steps {
                    let time = m.schedule.time(t)
                    let noise = RandomStream(StreamKey(seed: c.seed, purpose: .generation, major: 3, minor: t)).normalMatrix(rows: n, columns: D)
                    let xt = Matrix(rows: n, columns: D, elements: zip(x0.elements, noise).map { time.alpha * $0 + time.h.squareRoot() * $1 })
                    let l = jacobianLeak(model: m.model, geometry: m.data.geometry, points: xt, time: time)
                    numbers["leak_t\(t)"] = l.leak
                    numbers["transposed_leak_t\(t)"] = l.transposedLeak
                    if !(l.leak <= worst.leak) { worst = (l.leak, t) }
                }
                numbers["worst_leak"] = worst.leak
                numbers["worst_step"] = Double(worst.step)
                return .exact(measured: worst.leak, tolerance: leakTolerance, numbers: numbers,
                              note: "‖(I−P)∂x̂₀/∂x‖_F/‖∂x̂₀/∂x‖_F over \(n) noised data points: largest \(String(format: "%.3g", worst.leak)) at t = \(worst.step); at t = 1 "
                                  + String(format: "%.3g", numbers["leak_t1"] ?? .nan) + " (transposed " + String(format: "%.3g", numbers["transposed_leak_t1"] ?? .nan) + ")")
            })
    }
}
