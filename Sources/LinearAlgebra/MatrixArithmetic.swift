/// Elementwise arithmetic and the norms used for tolerances. Products live in `MatrixProducts.swift`.
extension Matrix {
    @inlinable
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "shape mismatch \(lhs.shape) + \(rhs.shape)")
        var out = lhs
        out.elements.withUnsafeMutableBufferPointer { o in
            rhs.elements.withUnsafeBufferPointer { r in for i in 0..<o.count { o[i] += r[i] } }
        }
        return out
    }

    @inlinable
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "shape mismatch \(lhs.shape) - \(rhs.shape)")
        var out = lhs
        out.elements.withUnsafeMutableBufferPointer { o in
            rhs.elements.withUnsafeBufferPointer { r in for i in 0..<o.count { o[i] -= r[i] } }
        }
        return out
    }

    @inlinable
    public static func * (scale: Scalar, m: Matrix) -> Matrix {
        var out = m
        out.elements.withUnsafeMutableBufferPointer { o in for i in 0..<o.count { o[i] *= scale } }
        return out
    }

    @inlinable
    public static prefix func - (m: Matrix) -> Matrix { Scalar(-1) * m }

    /// self ← self + a·x.
    @inlinable
    public mutating func add(_ x: Matrix, scaledBy a: Scalar = 1) {
        precondition(rows == x.rows && columns == x.columns, "shape mismatch \(shape) += \(x.shape)")
        elements.withUnsafeMutableBufferPointer { o in
            x.elements.withUnsafeBufferPointer { r in for i in 0..<o.count { o[i] += a * r[i] } }
        }
    }

    /// Adds `vector` to every row.
    @inlinable
    public mutating func addToEachRow(_ vector: [Scalar], scaledBy a: Scalar = 1) {
        precondition(vector.count == columns, "row vector has \(vector.count) entries, matrix has \(columns) columns")
        let c = columns
        elements.withUnsafeMutableBufferPointer { o in
            vector.withUnsafeBufferPointer { v in
                for i in 0..<rows { for j in 0..<c { o[i * c + j] += a * v[j] } }
            }
        }
    }

    /// Multiplies row i by `factors[i]`.
    @inlinable
    public mutating func scaleRows(by factors: [Scalar]) {
        precondition(factors.count == rows, "\(factors.count) row factors for \(rows) rows")
        let c = columns
        elements.withUnsafeMutableBufferPointer { o in
            for i in 0..<rows { let f = factors[i]; for j in 0..<c { o[i * c + j] *= f } }
        }
    }

    /// Multiplies column j by `factors[j]`.
    @inlinable
    public mutating func scaleColumns(by factors: [Scalar]) {
        precondition(factors.count == columns, "\(factors.count) column factors for \(columns) columns")
        let c = columns
        elements.withUnsafeMutableBufferPointer { o in
            factors.withUnsafeBufferPointer { f in
                for i in 0..<rows { for j in 0..<c { o[i * c + j] *= f[j] } }
            }
        }
    }

    /// Row-wise dot products with the matching rows of `other`.
    @inlinable
    public func rowDots(_ other: Matrix) -> [Scalar] {
        precondition(rows == other.rows && columns == other.columns, "shape mismatch \(shape) · \(other.shape)")
        let c = columns
        return elements.withUnsafeBufferPointer { a in
            other.elements.withUnsafeBufferPointer { b in
                (0..<rows).map { i in
                    var s: Scalar = 0
                    for j in 0..<c { s += a[i * c + j] * b[i * c + j] }
                    return s
                }
            }
        }
    }

    /// Row-wise dot products with one vector (a matrix–vector product, written out for short rows).
    @inlinable
    public func rowDots(_ vector: [Scalar]) -> [Scalar] {
        precondition(vector.count == columns, "vector has \(vector.count) entries, matrix has \(columns) columns")
        return self.times(vector)
    }

    /// Euclidean norm of each row.
    public var rowNorms: [Scalar] { rowDots(self).map { $0.squareRoot() } }

    /// Mean of the rows.
    public var columnMeans: [Scalar] {
        var mean = [Scalar](repeating: 0, count: columns)
        for i in 0..<rows { for j in 0..<columns { mean[j] += elements[i * columns + j] } }
        let n = Scalar(Swift.max(rows, 1))
        return mean.map { $0 / n }
    }

    /// Frobenius norm.
    public var frobeniusNorm: Scalar { elements.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// Largest absolute element.
    public var maxAbs: Scalar { elements.reduce(0) { Swift.max($0, Swift.abs($1)) } }

    /// (A + Aᵀ)/2: removes round-off asymmetry before a symmetric factorization.
    public var symmetrized: Matrix {
        precondition(isSquare, "symmetrized needs a square matrix, got \(shape)")
        return Scalar(0.5) * (self + transposed)
    }
}
