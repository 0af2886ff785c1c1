import Guidance
import LinearAlgebra
import Randomness
import Testing
import TestSupport

/// The affine forms G = Γx + γ used by the exact law agree with the batch `term` at random points, for
/// every guidance rule and β rule, row by row (each row has its own (g, y)).
///
/// Both evaluate the same O(1)-conditioned expression in a different order: agreement to ~D·u relative;
/// bound 1e-11 (measured ≤ 2.8e-14).
struct AffineCase: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (GuidanceTarget) throws -> any AffineGuidanceTerm
    var testDescription: String { name }
}

@Suite struct AffineTermTests {
    static let cases: [AffineCase] = [
        AffineCase(name: "look-ahead, code β") { try LookaheadGuidance(target: $0, beta: .code(sigma: 0.1)) },
        AffineCase(name: "look-ahead, theory β") { try LookaheadGuidance(target: $0, beta: .theory(sigma: 0.3)) },
        AffineCase(name: "look-ahead, constant β, β_coef 1.7") { try LookaheadGuidance(target: $0, beta: .constant(0.4), coefficient: 1.7) },
        AffineCase(name: "naive") { try NaiveGuidance(target: $0, sigma: 0.1) },
        AffineCase(name: "naive, β_coef 0.5") { try NaiveGuidance(target: $0, sigma: 0.2, coefficient: 0.5) },
        AffineCase(name: "objective gradient b₀∇f (quadratic)") { _ in
            let p = Fixture.problem
            return try ObjectiveGradientGuidance(
                objective: try ConcaveQuadraticObjective(center: TestRandom.gaussianVector(p.ambient, key: TestRandom.key(610)),
                                                         curvature: TestRandom.spdMatrix(dimension: p.ambient, key: TestRandom.key(611))),
                strength: 0.8)
        },
    ]

    @Test("affineTerm(J, c) at row i equals term(x)[i]", arguments: cases)
    func agree(c: AffineCase) throws {
        let p = Fixture.problem
        let fullRank = try GaussianScore.fitted(to: TestRandom.gaussianMatrix(rows: 50, columns: p.ambient, key: TestRandom.key(612)))
        for model in [try Fixture.gaussian(), fullRank] {
            let n = 5
            let target = try GuidanceTarget(gradients: TestRandom.gaussianMatrix(rows: n, columns: p.ambient, key: TestRandom.key(613)),
                                            targets: TestRandom.gaussianVector(n, key: TestRandom.key(614)))
            let guidance = try c.make(target)
            for time in Fixture.times {
                let x = TestRandom.gaussianMatrix(rows: n, columns: p.ambient, key: TestRandom.key(615))
                let g = guidance.term(model: model, x: x, denoised: model.denoise(x, at: time), time: time)
                let (j, offset) = model.affineDenoiser(at: time)
                for i in 0..<n {
                    let (linear, constant) = guidance.affineTerm(jacobian: j, offset: offset, time: time, row: i)
                    let affine = Vectors.add(Naive.apply(linear, x.row(i)), constant)
                    #expect(Errors.relative(affine, g.row(i)) < 1e-11, "row \(i), h = \(time.h)")
                }
            }
        }
    }
}
