import LinearAlgebra

/// Textbook loops for the reference values of the BLAS/LAPACK-backed code: triple-loop products,
/// triangular solves and projections, accumulated in Double whatever the input precision.
public enum Naive {
    /// op(A)·op(B) by the triple loop, accumulated in Double.
    public static func product<S: BLASScalar>(_ a: Matrix<S>, _ b: Matrix<S>, transposeA: Bool = false, transposeB: Bool = false) -> Matrix<Double> {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let n = transposeB ? b.rows : b.columns
        precondition((transposeB ? b.columns : b.rows) == k, "inner dimensions differ")
        var c = Matrix<Double>(rows: m, columns: n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for l in 0..<k {
                    let x = transposeA ? a[l, i] : a[i, l]
                    let y = transposeB ? b[j, l] : b[l, j]
                    s += Double(x) * Double(y)
                }
                c[i, j] = s
            }
        }
        return c
    }

    /// |op(A)|·|op(B)|: the elementwise scale of a product, for the standard rounding-error bound
    /// |fl(AB) − AB| ≤ γₖ |A||B| with γₖ = k·u/(1 − k·u) (Higham, Accuracy and Stability, §3.5).
    public static func absProduct<S: BLASScalar>(_ a: Matrix<S>, _ b: Matrix<S>, transposeA: Bool = false, transposeB: Bool = false) -> Matrix<Double> {
        let absA = Matrix<Double>(rows: a.rows, columns: a.columns) { abs(Double(a[$0, $1])) }
        let absB = Matrix<Double>(rows: b.rows, columns: b.columns) { abs(Double(b[$0, $1])) }
        return product(absA, absB, transposeA: transposeA, transposeB: transposeB)
    }

    /// A·x by loops.
    public static func apply(_ a: Matrix<Double>, _ x: [Double]) -> [Double] {
        precondition(a.columns == x.count, "matrix has \(a.columns) columns, vector \(x.count) entries")
        return (0..<a.rows).map { i in (0..<a.columns).reduce(0) { $0 + a[i, $1] * x[$1] } }
    }

    /// Solves L z = b for lower-triangular L by forward substitution.
    public static func forwardSubstitution(_ l: Matrix<Double>, _ b: [Double]) -> [Double] {
        var z = b
        for i in 0..<l.rows {
            var s = z[i]
            for j in 0..<i { s -= l[i, j] * z[j] }
            z[i] = s / l[i, i]
        }
        return z
    }

    /// Solves Lᵀ x = z for lower-triangular L by back substitution.
    public static func backSubstitutionTransposed(_ l: Matrix<Double>, _ z: [Double]) -> [Double] {
        var x = z
        for i in stride(from: l.rows - 1, through: 0, by: -1) {
            var s = x[i]
            for j in (i + 1)..<max(l.rows, i + 1) { s -= l[j, i] * x[j] }
            x[i] = s / l[i, i]
        }
        return x
    }

    /// Solves the SPD system A x = b through the Cholesky factor and explicit substitutions
    /// (independent of LAPACK's potrs).
    public static func spdSolve(_ a: Matrix<Double>, _ b: [Double]) throws -> [Double] {
        let l = try Cholesky(a).lower
        return backSubstitutionTransposed(l, forwardSubstitution(l, b))
    }

    /// (I − AAᵀ)v for orthonormal columns A, by loops.
    public static func offSpan(_ a: Matrix<Double>, _ v: [Double]) -> [Double] {
        let coords = (0..<a.columns).map { j in (0..<a.rows).reduce(0) { $0 + a[$1, j] * v[$1] } }
        return (0..<a.rows).map { i in v[i] - (0..<a.columns).reduce(0) { $0 + a[i, $1] * coords[$1] } }
    }

    public static func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    public static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
}
