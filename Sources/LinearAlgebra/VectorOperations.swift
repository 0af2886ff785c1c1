/// Operations on plain `[Scalar]` vectors, the representation of single points, gradients and means.
public enum Vectors {
    @inlinable
    public static func dot<S: BLASScalar>(_ a: [S], _ b: [S]) -> S {
        precondition(a.count == b.count, "dot of vectors of lengths \(a.count) and \(b.count)")
        var s: S = 0
        for i in 0..<a.count { s += a[i] * b[i] }
        return s
    }

    @inlinable
    public static func norm<S: BLASScalar>(_ a: [S]) -> S { dot(a, a).squareRoot() }

    @inlinable
    public static func add<S: BLASScalar>(_ a: [S], _ b: [S], scaledBy c: S = 1) -> [S] {
        precondition(a.count == b.count, "sum of vectors of lengths \(a.count) and \(b.count)")
        return (0..<a.count).map { a[$0] + c * b[$0] }
    }

    @inlinable
    public static func subtract<S: BLASScalar>(_ a: [S], _ b: [S]) -> [S] { add(a, b, scaledBy: -1) }

    @inlinable
    public static func scale<S: BLASScalar>(_ a: [S], by c: S) -> [S] { a.map { c * $0 } }

    /// Largest absolute difference.
    @inlinable
    public static func maxAbsDifference<S: BLASScalar>(_ a: [S], _ b: [S]) -> S {
        precondition(a.count == b.count, "difference of vectors of lengths \(a.count) and \(b.count)")
        var m: S = 0
        for i in 0..<a.count { m = Swift.max(m, Swift.abs(a[i] - b[i])) }
        return m
    }
}
