/// A dense matrix stored row-major and contiguous, the one array type the numerics pass around.
///
/// A batch of points is a matrix with one point per row (B × D), so that a batched linear map is a
/// single `gemm`. Value semantics come from the backing `Array` (copy on write).
public struct Matrix<Scalar: BLASScalar>: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    /// Row-major elements: element (i, j) is at `i * columns + j`.
    public var elements: [Scalar]

    @inlinable
    public init(rows: Int, columns: Int, elements: [Scalar]) {
        precondition(rows >= 0 && columns >= 0, "Matrix shape must be non-negative, got \(rows)×\(columns)")
        precondition(elements.count == rows * columns,
                     "Matrix \(rows)×\(columns) needs \(rows * columns) elements, got \(elements.count)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    @inlinable
    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        self.init(rows: rows, columns: columns, elements: Array(repeating: value, count: rows * columns))
    }

    /// Builds a matrix from nested rows; all rows must have the same length.
    public init(_ nested: [[Scalar]]) {
        let columns = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == columns }, "Matrix rows have different lengths")
        self.init(rows: nested.count, columns: columns, elements: nested.flatMap { $0 })
    }

    /// Element (i, j) is `body(i, j)`.
    @inlinable
    public init(rows: Int, columns: Int, _ body: (Int, Int) -> Scalar) {
        var elements = [Scalar]()
        elements.reserveCapacity(rows * columns)
        for i in 0..<rows { for j in 0..<columns { elements.append(body(i, j)) } }
        self.init(rows: rows, columns: columns, elements: elements)
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// A square matrix with `values` on the diagonal.
    public static func diagonal(_ values: [Scalar]) -> Matrix {
        var m = Matrix(rows: values.count, columns: values.count)
        for (i, v) in values.enumerated() { m[i, i] = v }
        return m
    }

    /// One row per vector.
    public init(stacking vectors: [[Scalar]], columns: Int) {
        precondition(vectors.allSatisfy { $0.count == columns }, "every stacked vector must have \(columns) entries")
        self.init(rows: vectors.count, columns: columns, elements: vectors.flatMap { $0 })
    }

    /// The same vector in every row.
    public init(broadcasting vector: [Scalar], rows: Int) {
        var elements = [Scalar]()
        elements.reserveCapacity(rows * vector.count)
        for _ in 0..<rows { elements.append(contentsOf: vector) }
        self.init(rows: rows, columns: vector.count, elements: elements)
    }

    @inlinable
    public subscript(i: Int, j: Int) -> Scalar {
        get {
            precondition(i >= 0 && i < rows && j >= 0 && j < columns, "index (\(i), \(j)) outside \(rows)×\(columns)")
            return elements[i * columns + j]
        }
        set {
            precondition(i >= 0 && i < rows && j >= 0 && j < columns, "index (\(i), \(j)) outside \(rows)×\(columns)")
            elements[i * columns + j] = newValue
        }
    }

    public var shape: (rows: Int, columns: Int) { (rows, columns) }
    public var isSquare: Bool { rows == columns }

    public func row(_ i: Int) -> [Scalar] { Array(elements[(i * columns)..<((i + 1) * columns)]) }

    public mutating func setRow(_ i: Int, _ values: [Scalar]) {
        precondition(values.count == columns, "row has \(values.count) entries, matrix has \(columns) columns")
        elements.replaceSubrange((i * columns)..<((i + 1) * columns), with: values)
    }

    public func column(_ j: Int) -> [Scalar] { (0..<rows).map { self[$0, j] } }

    public var rowVectors: [[Scalar]] { (0..<rows).map(row) }

    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        elements.withUnsafeBufferPointer { src in
            t.elements.withUnsafeMutableBufferPointer { dst in
                for i in 0..<rows { for j in 0..<columns { dst[j * rows + i] = src[i * columns + j] } }
            }
        }
        return t
    }

    /// Rows `range` as a new matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, columns: columns, elements: Array(elements[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }

    /// The columns at `indices`, in that order, as a new matrix.
    public func columns(_ indices: [Int]) -> Matrix {
        Matrix(rows: rows, columns: indices.count) { i, j in self[i, indices[j]] }
    }

    /// Main diagonal.
    public var diagonal: [Scalar] { (0..<Swift.min(rows, columns)).map { self[$0, $0] } }

    public var trace: Scalar { diagonal.reduce(0, +) }

    /// Whether every element is finite (no NaN, no ±∞).
    public var isFinite: Bool { elements.allSatisfy { $0.isFinite } }

    /// Converts precision (Double ↔ Float).
    public func converted<Other: BLASScalar>(to _: Other.Type = Other.self) -> Matrix<Other> {
        Matrix<Other>(rows: rows, columns: columns, elements: elements.map { Other($0) })
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        let body = (0..<rows).map { i in row(i).map { "\($0)" }.joined(separator: ", ") }.joined(separator: "\n ")
        return "Matrix \(rows)×\(columns)\n[\(body)]"
    }
}
