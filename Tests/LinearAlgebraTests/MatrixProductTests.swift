import Foundation
import LinearAlgebra
import Testing
import TestSupport

/// BLAS products against the textbook triple loop (accumulated in Double).
///
/// Tolerance: the standard forward-error bound of a length-k dot product in any summation order,
/// |fl(AB) − AB| ≤ γₖ|A||B| elementwise with γₖ = ku/(1 − ku) (Higham, Accuracy and Stability of Numerical
/// Algorithms, §3.5), u = 2⁻⁵³ (Double) or 2⁻²⁴ (Float). With α, β: (γₖ + 2u)|α||A||B| + 2u|β||C|. The
/// reference itself is exact to ~k·2⁻⁵³ relative, negligible against the Float bound and included for Double
/// by doubling γ. A transposition or index error gives O(1) errors and fails by ten orders of magnitude.
struct ProductShape: Sendable, CustomTestStringConvertible {
    let m: Int, n: Int, k: Int
    var testDescription: String { "\(m)×\(k) · \(k)×\(n)" }
}

struct Transposes: Sendable, CustomTestStringConvertible {
    let a: Bool, b: Bool
    var testDescription: String { "\(a ? "Aᵀ" : "A")·\(b ? "Bᵀ" : "B")" }
    static let all = [Transposes(a: false, b: false), Transposes(a: true, b: false), Transposes(a: false, b: true), Transposes(a: true, b: true)]
}

private let shapes = [
    ProductShape(m: 1, n: 1, k: 1), ProductShape(m: 3, n: 5, k: 4), ProductShape(m: 17, n: 1, k: 9),
    ProductShape(m: 1, n: 13, k: 7), ProductShape(m: 37, n: 29, k: 41), ProductShape(m: 70, n: 90, k: 130),
]

/// Stored operands: op(A) is m×k, op(B) is k×n.
private func operands(_ s: ProductShape, _ t: Transposes, seed: UInt64) -> (Matrix<Double>, Matrix<Double>) {
    let a = TestRandom.gaussianMatrix(rows: t.a ? s.k : s.m, columns: t.a ? s.m : s.k, key: TestRandom.key(1, seed: seed))
    let b = TestRandom.gaussianMatrix(rows: t.b ? s.n : s.k, columns: t.b ? s.k : s.n, key: TestRandom.key(2, seed: seed))
    return (a, b)
}

/// max over elements of |C − C_ref| / (bound factor · (|A||B|)ᵢⱼ); ≤ 1 passes.
private func boundRatio(_ c: Matrix<Double>, _ reference: Matrix<Double>, _ scale: Matrix<Double>, factor: Double) -> Double {
    var worst = 0.0
    for i in 0..<c.elements.count {
        worst = max(worst, abs(c.elements[i] - reference.elements[i]) / (factor * scale.elements[i] + Double.leastNormalMagnitude))
    }
    return worst
}

private func gamma(_ k: Int, unit u: Double) -> Double { Double(k) * u / (1 - Double(k) * u) }

@Suite struct MatrixProductTests {
    @Test("matmul matches the triple loop in Double", arguments: shapes, Transposes.all)
    func matmulDouble(shape: ProductShape, t: Transposes) {
        let (a, b) = operands(shape, t, seed: 11)
        let c = a.matmul(b, transposeSelf: t.a, transposeOther: t.b)
        #expect(c.rows == shape.m && c.columns == shape.n)
        let reference = Naive.product(a, b, transposeA: t.a, transposeB: t.b)
        let scale = Naive.absProduct(a, b, transposeA: t.a, transposeB: t.b)
        #expect(boundRatio(c, reference, scale, factor: 2 * gamma(shape.k, unit: 0x1p-53)) <= 1)
    }

    @Test("matmul matches the triple loop in Float", arguments: shapes, Transposes.all)
    func matmulFloat(shape: ProductShape, t: Transposes) {
        let (a64, b64) = operands(shape, t, seed: 12)
        let (a, b) = (a64.converted(to: Float.self), b64.converted(to: Float.self))
        let c = a.matmul(b, transposeSelf: t.a, transposeOther: t.b).converted(to: Double.self)
        let reference = Naive.product(a, b, transposeA: t.a, transposeB: t.b)
        let scale = Naive.absProduct(a, b, transposeA: t.a, transposeB: t.b)
        // Float result rounded once more to Float: one extra u.
        #expect(boundRatio(c, reference, scale, factor: gamma(shape.k + 1, unit: 0x1p-24)) <= 1)
    }

    @Test("gemm with α and β accumulates into C", arguments: Transposes.all)
    func gemmAlphaBeta(t: Transposes) {
        let shape = ProductShape(m: 23, n: 19, k: 31)
        let (a, b) = operands(shape, t, seed: 13)
        let c0 = TestRandom.gaussianMatrix(rows: shape.m, columns: shape.n, key: TestRandom.key(3, seed: 13))
        let (alpha, beta) = (-1.75, 0.625)
        var c = c0
        Matrix.gemm(a, transposeA: t.a, b, transposeB: t.b, alpha: alpha, beta: beta, into: &c)
        let ab = Naive.product(a, b, transposeA: t.a, transposeB: t.b)
        let scale = Naive.absProduct(a, b, transposeA: t.a, transposeB: t.b)
        let u = 0x1p-53
        var worst = 0.0
        for i in 0..<c.elements.count {
            let reference = alpha * ab.elements[i] + beta * c0.elements[i]
            let bound = (2 * gamma(shape.k, unit: u) + 2 * u) * abs(alpha) * scale.elements[i] + 2 * u * abs(beta * c0.elements[i])
            worst = max(worst, abs(c.elements[i] - reference) / bound)
        }
        #expect(worst <= 1)
    }

    @Test("gemm with an empty inner dimension scales C by β")
    func gemmEmptyInner() {
        let a = Matrix<Double>(rows: 3, columns: 0), b = Matrix<Double>(rows: 0, columns: 2)
        var c = Matrix<Double>([[1, 2], [3, 4], [5, 6]])
        Matrix.gemm(a, b, alpha: 1, beta: 0.5, into: &c)
        #expect(c == Matrix([[0.5, 1], [1.5, 2], [2.5, 3]]))
        #expect(a.matmul(b) == Matrix(rows: 3, columns: 2))
    }

    @Test("gemv (times) matches the loop, with and without transposition", arguments: [false, true], [(7, 5), (1, 9), (40, 33)])
    func gemvDouble(transposed: Bool, dims: (Int, Int)) {
        let (m, n) = dims
        let a = TestRandom.gaussianMatrix(rows: m, columns: n, key: TestRandom.key(4))
        let v = TestRandom.gaussianVector(transposed ? m : n, key: TestRandom.key(5))
        let y = a.times(v, transposed: transposed)
        let vm = Matrix(rows: v.count, columns: 1, elements: v)
        let reference = Naive.product(a, vm, transposeA: transposed)
        let scale = Naive.absProduct(a, vm, transposeA: transposed)
        let y64 = Matrix(rows: y.count, columns: 1, elements: y)
        #expect(boundRatio(y64, reference, scale, factor: 2 * gamma(transposed ? m : n, unit: 0x1p-53)) <= 1)
    }

    @Test("gemv in Float", arguments: [false, true])
    func gemvFloat(transposed: Bool) {
        let (m, n) = (29, 17)
        let a = TestRandom.gaussianMatrixFloat(rows: m, columns: n, key: TestRandom.key(6))
        let v = TestRandom.gaussianMatrixFloat(rows: transposed ? m : n, columns: 1, key: TestRandom.key(7))
        let y = a.times(v.elements, transposed: transposed)
        let reference = Naive.product(a, v, transposeA: transposed)
        let scale = Naive.absProduct(a, v, transposeA: transposed)
        let y64 = Matrix(rows: y.count, columns: 1, elements: y.map(Double.init))
        #expect(boundRatio(y64, reference, scale, factor: gamma((transposed ? m : n) + 1, unit: 0x1p-24)) <= 1)
    }

    @Test("bilinear form, outer product and transpose on a hand example")
    func smallIdentities() {
        let a = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        #expect(a.transposed == Matrix([[1, 4], [2, 5], [3, 6]]))
        #expect(a.bilinear([1, -1], [1, 0, 2]) == (1 + 6) - (4 + 12))
        #expect(Matrix.outer([1.0, 2], [3.0, 4, 5]) == Matrix([[3, 4, 5], [6, 8, 10]]))
        #expect(a * a.transposed == Matrix([[14, 32], [32, 77]]))
        #expect(a.times([1, 1, 1]) == [6, 15])
        #expect(a.times([1, 1], transposed: true) == [5, 7, 9])
    }
}
