import LinearAlgebra

/// Error measures used for every tolerance in the suite. Each is normwise (2-norm or Frobenius), with a
/// floor on the denominator so that comparing against an exact zero reports an absolute error.
public enum Errors {
    /// ‖a − b‖₂ / max(‖b‖₂, floor).
    public static func relative(_ a: [Double], _ b: [Double], floor: Double = 1e-300) -> Double {
        precondition(a.count == b.count, "vectors of lengths \(a.count) and \(b.count)")
        var num = 0.0, den = 0.0
        for i in 0..<a.count { num += (a[i] - b[i]) * (a[i] - b[i]); den += b[i] * b[i] }
        return num.squareRoot() / max(den.squareRoot(), floor)
    }

    /// ‖A − B‖_F / max(‖B‖_F, floor).
    public static func relative<S: BLASScalar>(_ a: Matrix<S>, _ b: Matrix<S>, floor: Double = 1e-300) -> Double {
        precondition(a.rows == b.rows && a.columns == b.columns, "shapes \(a.shape) and \(b.shape)")
        return relative(a.elements.map { Double($0) }, b.elements.map { Double($0) }, floor: floor)
    }

    /// |a − b| / max(|b|, floor).
    public static func relative(_ a: Double, _ b: Double, floor: Double = 1e-300) -> Double {
        abs(a - b) / max(abs(b), floor)
    }

    /// Largest absolute elementwise difference.
    public static func maxAbs<S: BLASScalar>(_ a: Matrix<S>, _ b: Matrix<S>) -> Double {
        precondition(a.rows == b.rows && a.columns == b.columns, "shapes \(a.shape) and \(b.shape)")
        var m = 0.0
        for i in 0..<a.elements.count { m = max(m, abs(Double(a.elements[i]) - Double(b.elements[i]))) }
        return m
    }

    /// Largest absolute difference of two vectors.
    public static func maxAbs(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "vectors of lengths \(a.count) and \(b.count)")
        var m = 0.0
        for i in 0..<a.count { m = max(m, abs(a[i] - b[i])) }
        return m
    }

    /// ‖AᵀA − I‖_max: how far the columns of A are from orthonormal (computed with plain loops).
    public static func orthonormality<S: BLASScalar>(_ a: Matrix<S>) -> Double {
        var worst = 0.0
        for p in 0..<a.columns {
            for q in 0..<a.columns {
                var s = 0.0
                for i in 0..<a.rows { s += Double(a[i, p]) * Double(a[i, q]) }
                worst = max(worst, abs(s - (p == q ? 1 : 0)))
            }
        }
        return worst
    }
}
