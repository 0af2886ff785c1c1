import Testing
@testable import CUDADriver

/// cuBLAS cannot run here, so the operand swap is checked against a column-major reference product
/// (what cuBLAS computes) fed the swapped call, versus the row-major product the CPU `gemm` computes.
@Suite struct RowMajorGemmTests {
    /// Column-major C = α·op1(X)·op2(Y) + β·C, as cuBLAS defines it.
    static func columnMajorGemm(op1: Int32, op2: Int32, m: Int, n: Int, k: Int, alpha: Double, x: [Double], ldx: Int,
                                y: [Double], ldy: Int, beta: Double, c: inout [Double], ldc: Int) {
        func X(_ i: Int, _ l: Int) -> Double { op1 == 0 ? x[i + l * ldx] : x[l + i * ldx] }
        func Y(_ l: Int, _ j: Int) -> Double { op2 == 0 ? y[l + j * ldy] : y[j + l * ldy] }
        for j in 0..<n {
            for i in 0..<m {
                var s = 0.0
                for l in 0..<k { s += X(i, l) * Y(l, j) }
                c[i + j * ldc] = alpha * s + beta * c[i + j * ldc]
            }
        }
    }

    /// Row-major C = α·op(A)·op(B) + β·C, as `BLASScalar.gemm` with CblasRowMajor.
    static func rowMajorGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double, a: [Double], lda: Int,
                             b: [Double], ldb: Int, beta: Double, c: inout [Double], ldc: Int) {
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for l in 0..<k { s += (transA ? a[l * lda + i] : a[i * lda + l]) * (transB ? b[j * ldb + l] : b[l * ldb + j]) }
                c[i * ldc + j] = alpha * s + beta * c[i * ldc + j]
            }
        }
    }

    @Test("the swapped column-major call computes the row-major product", arguments: [(false, false), (false, true), (true, false), (true, true)])
    func swap(transA: Bool, transB: Bool) throws {
        let (m, n, k) = (3, 5, 4)
        // Padded leading dimensions, as for a view into a wider buffer.
        let lda = (transA ? m : k) + 2, ldb = (transB ? k : n) + 1, ldc = n + 3
        let a = (0..<((transA ? k : m) * lda)).map { Double(($0 * 7) % 11) - 5 }
        let b = (0..<((transB ? n : k) * ldb)).map { Double(($0 * 5) % 13) - 6 }
        let c0 = (0..<(m * ldc)).map { Double($0 % 3) }
        var expected = c0, actual = c0
        Self.rowMajorGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 2, a: a, lda: lda, b: b, ldb: ldb,
                          beta: 0.5, c: &expected, ldc: ldc)
        let call = try #require(RowMajorGemm(transA: transA, transB: transB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc))
        Self.columnMajorGemm(op1: call.op1, op2: call.op2, m: Int(call.m), n: Int(call.n), k: Int(call.k), alpha: 2,
                             x: b, ldx: Int(call.ld1), y: a, ldy: Int(call.ld2), beta: 0.5, c: &actual, ldc: Int(call.ldc))
        #expect(actual == expected)
    }

    @Test("sizes beyond cuBLAS's int are refused")
    func range() {
        #expect(RowMajorGemm(transA: false, transB: false, m: Int(Int32.max) + 1, n: 1, k: 1, lda: 1, ldb: 1, ldc: 1) == nil)
        #expect(RowMajorGemm(transA: false, transB: false, m: -1, n: 1, k: 1, lda: 1, ldb: 1, ldc: 1) == nil)
    }
}
