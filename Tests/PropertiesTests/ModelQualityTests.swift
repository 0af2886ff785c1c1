import Foundation
import Testing
import LinearAlgebra
import Diffusion
import PropertyEngine
import Properties

/// The model-quality family (issue 14): every property passes the exact score, where it must hold, and
/// fails a broken model built for it — rare gross outliers, a leak off span(A), a spread too wide.
@Suite struct ModelQualityTests {
    /// The exact score of a small subspace law (D = 8, d = 3, standard latent), T = 100.
    static func exact() throws -> (ModelUnderTest, SubspaceDataModel) {
        let basis = try SubspaceDataModel.randomBasis(ambient: 8, latent: 3, seed: 14)
        let data = try SubspaceDataModel(basis: basis, latent: .standard(3))
        let m = try ModelUnderTest(name: "exact score", model: try data.exactScore(), data: data, schedule: try NoiseSchedule(steps: 100))
        return (m, data)
    }

    /// x̂₀ of `base`, changed by `change` (rows, ambient projector P onto span(A)).
    struct Broken: ScoreModel {
        let base: any ScoreModel
        let projector: Matrix<Double>
        let change: @Sendable (_ denoised: inout Matrix<Double>, _ x: Matrix<Double>, _ projector: Matrix<Double>) -> Void
        var dimension: Int { base.dimension }
        func denoise(_ x: Matrix<Double>, at time: DiffusionTime) -> Matrix<Double> {
            var d = base.denoise(x, at: time)
            change(&d, x, projector)
            return d
        }
        func denoiseVJP(_ x: Matrix<Double>, at time: DiffusionTime, cotangent v: Matrix<Double>) -> Matrix<Double> {
            base.denoiseVJP(x, at: time, cotangent: v)
        }
    }

    static func run(_ m: ModelUnderTest, _ id: String) throws -> PropertyResult {
        let property = try #require(ModelQuality.properties(m).first { $0.id == id })
        return Runner(profile: .ci, familySize: ModelQuality.familySize, store: nil).run(property)
    }

    static func broken(_ name: String, _ change: @escaping @Sendable (inout Matrix<Double>, Matrix<Double>, Matrix<Double>) -> Void) throws -> ModelUnderTest {
        let (m, data) = try exact()
        let projector = data.basis.matmul(data.basis, transposeOther: true)
        return try ModelUnderTest(name: name, model: Broken(base: m.model, projector: projector, change: change), data: data, schedule: m.schedule)
    }

    @Test(arguments: ModelQuality.ids) func theExactScorePasses(_ id: String) throws {
        let result = try Self.run(try Self.exact().0, id)
        #expect(result.passed == true, "\(id): \(result.failures.first.map { "\($0.shrunkEvidence.map(String.init(describing:)) ?? "")" } ?? "")")
    }

    /// One row in 64 with x̂₀ ten times too long: 1.6% gross outliers, as the issue's network emitted.
    @Test func rareOutliersFailMOutliers() throws {
        let m = try Self.broken("outliers") { d, _, _ in
            for i in stride(from: 0, to: d.rows, by: 64) { for j in 0..<d.columns { d[i, j] *= 10 } }
        }
        #expect(try Self.run(m, "M-outliers").passed == false)
    }

    /// x̂₀ leaks half of x's off-span part: the draws leave span(A).
    @Test func aLeakOffTheSubspaceFailsMOffspan() throws {
        let m = try Self.broken("leak") { d, x, p in
            let off = x - x.matmul(p)
            d.add(off, scaledBy: 0.5)
        }
        let result = try Self.run(m, "M-offspan")
        #expect(result.passed == false)
        #expect(try Self.run(m, "M-outliers").passed == true, "a leak is not an outlier")
    }

    /// x̂₀ 1% too long at every step (compounded over the steps, the spread is too wide): no draw is an outlier, none leaves span(A).
    @Test func aWideSpreadFailsMLawOnly() throws {
        let m = try Self.broken("wide") { d, _, _ in
            for i in 0..<d.rows { for j in 0..<d.columns { d[i, j] *= 1.01 } }
        }
        let law = try Self.run(m, "M-law")
        #expect(law.passed == false)
        // Far past the threshold, not at its edge: the spread is off by several times what ci resolves.
        #expect(law.cases.compactMap { $0.evidence?.pValue }.max() ?? 1 < 1e-12, "\(law.cases.compactMap { $0.evidence?.numbers })")
        for id in ["M-outliers", "M-offspan"] {
            let r = try Self.run(m, id)
            #expect(r.passed == true, "\(id): \(r.failures.first.map { String(describing: $0.shrunkEvidence) } ?? "")")
        }
    }

    /// x̂₀'s Jacobian with `leak`·C added (J' = J + leak·C, through the VJP only): the denoiser (so every
    /// unguided draw) is exact, but moves through the Jacobian pick up C.
    struct LeakyJacobian: ScoreModel {
        let base: any ScoreModel
        let coupling: Matrix<Double>
        let leak: Double
        var dimension: Int { base.dimension }
        func denoise(_ x: Matrix<Double>, at time: DiffusionTime) -> Matrix<Double> { base.denoise(x, at: time) }
        func denoiseVJP(_ x: Matrix<Double>, at time: DiffusionTime, cotangent v: Matrix<Double>) -> Matrix<Double> {
            var r = base.denoiseVJP(x, at: time, cotangent: v)      // rows vᵢᵀJ
            r.add(v.matmul(coupling), scaledBy: leak)               // + leak·vᵢᵀC
            return r
        }
    }

    /// C = I − P (G_loss's direction Jᵀ∇f picks up the gradient's off-span part), or C = (I − P)QP with Q
    /// a fixed random matrix of unit Frobenius norm (on-span moves of x move x̂₀ off span).
    static func leaky(_ leak: Double, onSpanCoupling: Bool = false) throws -> ModelUnderTest {
        let (m, data) = try exact()
        let p = data.basis.matmul(data.basis, transposeOther: true)
        let off = Matrix<Double>.identity(8) - p
        var coupling = off
        if onSpanCoupling {
            let q = Matrix<Double>(rows: 8, columns: 8) { i, j in sin(Double(3 * i + 7 * j + 1)) }
            coupling = off.matmul(q).matmul(p)
            coupling = (1 / coupling.frobeniusNorm) * coupling
        }
        return try ModelUnderTest(name: "leaky \(leak)", model: LeakyJacobian(base: m.model, coupling: coupling, leak: leak), data: data,
                                  schedule: m.schedule)
    }

    /// A Jacobian that sends a tenth of on-span moves off span fails M-leak (its draws are exact: M-offspan
    /// and M-outliers still pass); one that adds (I − P), which only off-span inputs feel, does not.
    @Test func aLeakyJacobianFailsMLeak() throws {
        let m = try Self.leaky(0.1, onSpanCoupling: true)
        let result = try Self.run(m, "M-leak")
        #expect(result.passed == false, "\(result.cases.compactMap { $0.evidence?.numbers["weighted_on_span_leak"] })")
        #expect(try Self.run(m, "M-offspan").passed == true && Self.run(m, "M-outliers").passed == true)
        #expect(try Self.run(try Self.leaky(0.1), "M-leak").passed == true)
    }

    /// A Jacobian whose transpose carries the gradient off span makes G_loss leave span(A) faster than G:
    /// M-order fails, where the exact score (above) passes.
    @Test func aJacobianCarryingTheGradientOffSpanFailsMOrder() throws {
        let result = try Self.run(try Self.leaky(1), "M-order")
        #expect(result.passed == false, "\(result.cases.compactMap { $0.evidence?.numbers })")
    }

    @Test func aMixtureLatentIsRefusedByName() throws {
        let basis = try SubspaceDataModel.randomBasis(ambient: 4, latent: 1, seed: 1)
        let data = try SubspaceDataModel(basis: basis, latent: .mixture([.init(weight: 1, mean: [0], covariance: .identity(1))]))
        #expect(throws: PropertyError.self) {
            try ModelUnderTest(name: "m", model: try data.exactScore(), data: data, schedule: try NoiseSchedule(steps: 10))
        }
    }
}
