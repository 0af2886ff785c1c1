import _Differentiation
import Diffusion
import Foundation
import LinearAlgebra
import Testing
import TestSupport

/// The hand-written vector–Jacobian products against Swift's reverse-mode automatic differentiation of an
/// independent scalar re-implementation of gᵀx̂₀(x) for D = 3, d = 2, with a Gaussian-mixture latent
/// (two components) and a Gaussian latent (one component, compared with `GaussianScore.subspace`).
///
/// The re-implementation follows SPEC §3 directly in latent coordinates a = Aᵀx: with Mₖ = α²Sₖ + hI
/// (2×2, inverted in closed form), log wₖ = log πₖ − ½qₖᵀMₖ⁻¹qₖ − ½ log det Mₖ with qₖ = a − αmₖ,
/// x̂₀ = A Σₖ wₖ (mₖ + αSₖMₖ⁻¹qₖ). Both sides are exact derivatives, so they agree to round-off: the
/// tolerance 1e-11 relative allows κ(Mₖ)·u ≈ 2.5e4·1.1e-16 ≈ 3e-12 at the smallest h.
struct Point3: Differentiable {
    var x: Double
    var y: Double
    var z: Double
}

/// One latent Gaussian component: weight π, mean m, covariance S = [[s11, s12], [s12, s22]].
struct Component2: Sendable {
    let weight: Double
    let m1: Double, m2: Double
    let s11: Double, s12: Double, s22: Double
}

/// Constants of the re-implementation (not differentiated).
struct LookaheadConstants: Sendable {
    /// Orthonormal columns of A: a1 = (1, 2, 2)/3, a2 = (2, 1, −2)/3.
    static let a1 = (1.0 / 3, 2.0 / 3, 2.0 / 3)
    static let a2 = (2.0 / 3, 1.0 / 3, -2.0 / 3)
    let alpha: Double
    let h: Double
    let g: (Double, Double, Double)
    let components: [Component2]

    static var basis: Matrix<Double> { Matrix([[a1.0, a2.0], [a1.1, a2.1], [a1.2, a2.2]]) }
}

/// (log-weight, latent x̂₀ of one component) as a differentiable pair.
struct ComponentPart: Differentiable {
    var logWeight: Double
    var u1: Double
    var u2: Double
}

@differentiable(reverse, wrt: (a1, a2))
func componentPart(_ a1: Double, _ a2: Double, _ c: Component2, alpha: Double, h: Double) -> ComponentPart {
    let q1 = a1 - alpha * c.m1, q2 = a2 - alpha * c.m2
    let m11 = alpha * alpha * c.s11 + h, m12 = alpha * alpha * c.s12, m22 = alpha * alpha * c.s22 + h
    let det = m11 * m22 - m12 * m12
    // M⁻¹q
    let r1 = (m22 * q1 - m12 * q2) / det
    let r2 = (-m12 * q1 + m11 * q2) / det
    let quad = q1 * r1 + q2 * r2
    let logWeight = log(c.weight) - 0.5 * quad - 0.5 * log(det)
    let u1 = c.m1 + alpha * (c.s11 * r1 + c.s12 * r2)
    let u2 = c.m2 + alpha * (c.s12 * r1 + c.s22 * r2)
    return ComponentPart(logWeight: logWeight, u1: u1, u2: u2)
}

/// gᵀx̂₀(x) for one or two components.
@differentiable(reverse, wrt: p)
func projectedLookahead(_ p: Point3, _ k: LookaheadConstants) -> Double {
    let (b1, b2) = (LookaheadConstants.a1, LookaheadConstants.a2)
    let a1 = b1.0 * p.x + b1.1 * p.y + b1.2 * p.z
    let a2 = b2.0 * p.x + b2.1 * p.y + b2.2 * p.z
    let ga1 = b1.0 * k.g.0 + b1.1 * k.g.1 + b1.2 * k.g.2          // Aᵀg
    let ga2 = b2.0 * k.g.0 + b2.1 * k.g.1 + b2.2 * k.g.2
    let c0 = componentPart(a1, a2, k.components[0], alpha: k.alpha, h: k.h)
    if k.components.count == 1 {
        return ga1 * c0.u1 + ga2 * c0.u2
    }
    let c1 = componentPart(a1, a2, k.components[1], alpha: k.alpha, h: k.h)
    let top = withoutDerivative(at: max(c0.logWeight, c1.logWeight))   // a shift-invariant softmax: no derivative needed
    let e0 = exp(c0.logWeight - top), e1 = exp(c1.logWeight - top)
    let w0 = e0 / (e0 + e1), w1 = e1 / (e0 + e1)
    return ga1 * (w0 * c0.u1 + w1 * c1.u1) + ga2 * (w0 * c0.u2 + w1 * c1.u2)
}

@Suite struct AutoDiffCrossCheckTests {
    static let two = [Component2(weight: 0.6, m1: 1.2, m2: -0.4, s11: 0.5, s12: 0.15, s22: 0.3),
                      Component2(weight: 0.4, m1: -0.8, m2: 0.9, s11: 0.25, s12: -0.1, s22: 0.6)]
    static let one = [Component2(weight: 1, m1: 0.3, m2: -0.7, s11: 1.4, s12: 0.35, s22: 0.45)]
    static let points: [(Double, Double, Double)] = [(0.2, -0.5, 0.9), (1.1, 0.3, -0.2), (-0.6, -0.9, 0.4)]

    private static func latent(_ c: Component2) -> MixtureScore.Component {
        .init(weight: c.weight, mean: [c.m1, c.m2], covariance: Matrix([[c.s11, c.s12], [c.s12, c.s22]]))
    }

    private func compare(_ model: any ScoreModel, _ components: [Component2], time: DiffusionTime) {
        let g = (0.7, -1.3, 0.4)
        let k = LookaheadConstants(alpha: time.alpha, h: time.h, g: g, components: components)
        for (x, y, z) in Self.points {
            let p = Point3(x: x * time.alpha, y: y * time.alpha, z: z * time.alpha)
            let ad = gradient(at: p) { projectedLookahead($0, k) }
            let vjp = model.denoiseVJP(Fixture.row([p.x, p.y, p.z]), at: time, cotangent: Fixture.row([g.0, g.1, g.2])).elements
            #expect(Errors.relative(vjp, [ad.x, ad.y, ad.z]) < 1e-11, "at α = \(time.alpha)")
            // The forward value agrees too: gᵀx̂₀.
            let x0 = model.denoise(Fixture.row([p.x, p.y, p.z]), at: time).elements
            #expect(Errors.relative(g.0 * x0[0] + g.1 * x0[1] + g.2 * x0[2], projectedLookahead(p, k)) < 1e-12)
        }
    }

    @Test("mixture VJP = reverse-mode gradient of gᵀx̂₀", arguments: Fixture.times)
    func mixture(time: DiffusionTime) throws {
        let model = try MixtureScore(basis: LookaheadConstants.basis, components: Self.two.map(Self.latent))
        compare(model, Self.two, time: time)
    }

    @Test("Gaussian-latent VJP = reverse-mode gradient of gᵀx̂₀", arguments: Fixture.times)
    func gaussian(time: DiffusionTime) throws {
        let c = Self.one[0]
        let model = try GaussianScore.subspace(basis: LookaheadConstants.basis, latentMean: [c.m1, c.m2],
                                               latentCovariance: Matrix([[c.s11, c.s12], [c.s12, c.s22]]))
        compare(model, Self.one, time: time)
    }
}
