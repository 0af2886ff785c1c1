import Foundation
import Testing
import LinearAlgebra
import NumPyIO
@testable import Experiments

/// The embedded copies of the paper's parameter files are the committed files, byte for byte, and they
/// hold what SPEC §1 says they hold.
@Suite struct PaperFilesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/Experiments/PaperFiles").standardized

    @Test(arguments: [("linear_latent_hyperparameters.npz", PaperFiles.linearLatentBase64),
                      ("unit_ball_hyperparameters.npz", PaperFiles.unitBallBase64)])
    func embeddedCopyEqualsFile(name: String, base64: String) throws {
        let file = try #require(FileManager.default.contents(atPath: Self.folder.appendingPathComponent(name).path))
        let embedded = try #require(Data(base64Encoded: base64, options: .ignoreUnknownCharacters))
        #expect(embedded == file, "regenerate with ci/embed-paper-files")
    }

    @Test func linearSettingMatchesSpec() throws {
        let s = try PaperSetting.linear(objective: "f1", variant: .two)
        #expect(s.data.ambientDimension == 64)
        #expect(s.data.latentDimension == 16)
        let a = Matrix(stacking: try #require(s.data.basis), columns: 16)
        #expect((a.matmul(a, transposeSelf: true) - .identity(16)).maxAbs < 1e-12)
        // θ₂ has ‖θ₂⊥‖/‖θ₂∥‖ = 9 exactly (SPEC §1); θ₁ lies in span(A).
        let theta2 = try #require(s.objective.theta)
        let on2 = a.times(a.times(theta2, transposed: true))
        let ratio2 = Vectors.norm(Vectors.subtract(theta2, on2)) / Vectors.norm(on2)
        #expect(abs(ratio2 - 9) < 1e-9)
        let theta1 = try #require(try PaperSetting.linear(objective: "f1", variant: .one).objective.theta)
        let on1 = a.times(a.times(theta1, transposed: true))
        #expect(Vectors.norm(Vectors.subtract(theta1, on1)) < 1e-10 * Vectors.norm(theta1))
    }

    @Test func distanceObjectiveCenters() throws {
        let b1 = try #require(try PaperSetting.linear(objective: "f2", variant: .one).objective.center)
        #expect(b1 == [Double](repeating: 4, count: 64))
        let b2 = try #require(try PaperSetting.linear(objective: "f2", variant: .two).objective.center)
        #expect(b2.count == 64)
        // b₂ ≈ 4 + 3·N(0, I): its mean over 64 coordinates lies within 6 standard errors (3/8 each) of 4.
        let meanB2: Double = b2.reduce(0, +) / 64
        let bound: Double = 6.0 * 3.0 / 8.0
        #expect(abs(meanB2 - 4) < bound)
    }

    @Test func sphereSetting() throws {
        let s = try PaperSetting.sphere()
        #expect(s.data.kind == .sphere)
        #expect(s.objective.kind == "linear")
        #expect(s.objective.theta?.count == 64)
        _ = try ResolvedExperiment(s)
    }
}
