import LinearAlgebra
import Testing
@testable import ScoreNetwork

/// Float against Double on the project's network (mlp-512x4, D = 64). Float's unit round-off is 6e-8;
/// through five layers with sums of up to 512 terms the accumulated relative error stays near 1e-6, so
/// ~1e-5 is the agreement a correct Float path shows and a wrong one (or a Double→Float mix-up) misses.
@Suite struct PrecisionTests {
    @Test func floatForwardAndVJPAgreeWithDouble() throws {
        let a = try NetworkArchitecture.mlp512x4(dimension: 64)
        let double = EpsilonNetwork<Double>(architecture: a, seed: 7)
        let float = double.converted(to: Float.self)
        let x = normalMatrix(rows: 8, columns: 64, seed: 14)
        let v = normalMatrix(rows: 8, columns: 64, seed: 15)
        let steps = [1, 2, 10, 50, 100, 150, 199, 200]
        let ed = double(x, steps: steps)
        let ef = float(x.converted(to: Float.self), steps: steps)
        let forwardError = relativeError(ef.elements, ed.elements)
        #expect(forwardError < 1e-5, "Float forward vs Double: relative error \(forwardError)")
        #expect(forwardError > 0)   // really computed in Float
        let vd = double.inputVJP(x, steps: steps, cotangent: v)
        let vf = float.inputVJP(x.converted(to: Float.self), steps: steps, cotangent: v.converted(to: Float.self))
        let vjpError = relativeError(vf.elements, vd.elements)
        #expect(vjpError < 1e-5, "Float VJP vs Double: relative error \(vjpError)")
        let gd = double.parameterGradient(x, steps: steps, cotangent: v)
        let gf = float.parameterGradient(x.converted(to: Float.self), steps: steps, cotangent: v.converted(to: Float.self))
        let gradientError = relativeError(gf, gd)
        #expect(gradientError < 1e-5, "Float parameter gradient vs Double: relative error \(gradientError)")
    }
}
