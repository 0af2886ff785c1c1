import LinearAlgebra
import Randomness
@testable import ScoreNetwork

/// A small network (default D = 3, width 8) from `seed`.
func smallNetwork<S: BLASScalar>(_: S.Type = S.self, dimension: Int = 3, width: Int = 8, blocks: Int = 2, seed: UInt64 = 11,
                                 parameterization: OutputParameterization = .epsilon, timeConditioning: TimeConditioning = .input) throws
    -> EpsilonNetwork<S>
{
    try EpsilonNetwork<S>(architecture: NetworkArchitecture(dimension: dimension, width: width, blocks: blocks, parameterization: parameterization,
                                                            timeConditioning: timeConditioning), seed: seed)
}

/// A rows × columns matrix of standard normals from its own stream (purpose `.data`, index `index`).
func normalMatrix(rows: Int, columns: Int, seed: UInt64, index: UInt64 = 0, scale: Double = 1) -> Matrix<Double> {
    let z = RandomStream(StreamKey(seed: seed, purpose: .data, index: index)).normalMatrix(rows: rows, columns: columns)
    return Matrix(rows: rows, columns: columns, elements: z.map { scale * $0 })
}

/// Largest |a − b| over the largest |b|: the max-norm relative error of `a` as an approximation of `b`.
func relativeError<S: BinaryFloatingPoint, T: BinaryFloatingPoint>(_ a: [S], _ b: [T]) -> Double {
    precondition(a.count == b.count)
    var diff = 0.0, size = 0.0
    for i in 0..<a.count {
        diff = max(diff, abs(Double(a[i]) - Double(b[i])))
        size = max(size, abs(Double(b[i])))
    }
    return size == 0 ? diff : diff / size
}

func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in 0..<a.count { s += a[i] * b[i] }
    return s
}

/// Central difference (f(θ + δ) − f(θ − δ))/(2δ) of a scalar function of a vector, coordinate by coordinate,
/// with δ = step·max(1, |θᵢ|).
func centralDifferences(_ theta: [Double], step: Double = 1e-5, _ f: ([Double]) -> Double) -> [Double] {
    var t = theta
    return (0..<theta.count).map { i in
        let d = step * max(1, abs(theta[i]))
        t[i] = theta[i] + d
        let plus = f(t)
        t[i] = theta[i] - d
        let minus = f(t)
        t[i] = theta[i]
        return (plus - minus) / (2 * d)
    }
}
