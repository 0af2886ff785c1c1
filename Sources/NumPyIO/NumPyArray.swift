/// An n-dimensional NumPy array held in memory: a shape, a dtype, and the elements in
/// C (row-major) order, stored little-endian.
///
/// Whatever the file said (big-endian, `fortran_order: True`), the in-memory layout is
/// always C order, little-endian, so `doubles[i * shape[1] + j]` is element `[i, j]` of a
/// 2-d array. A 0-d array (`shape == []`) holds exactly one element (NumPy scalars such as
/// `np.int64(16)` saved with `np.savez` are 0-d arrays). An array with a zero dimension
/// holds no elements.
///
/// Equality is shape, dtype and bit-identical elements: a NaN equals the same NaN, and
/// `0.0` differs from `-0.0`. That is the right notion for a file format (a round trip
/// must reproduce the bits), not for numerics.
public struct NumPyArray: Equatable, Sendable, CustomStringConvertible {
    /// The extent of each dimension; `[]` for a 0-d (scalar) array.
    public let shape: [Int]
    /// The element type.
    public let dtype: NumPyDType
    /// The elements, C order, `dtype.itemSize` little-endian bytes each. Booleans are 0 or 1.
    public let littleEndianBytes: [UInt8]

    /// The number of elements: the product of `shape` (1 for a 0-d array).
    public var count: Int { littleEndianBytes.count / dtype.itemSize }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    // MARK: Initialisers

    /// An array of `values` (C order) with the given `shape`; the dtype is `T.numPyDType`
    /// (`[Double]` → float64, `[Float]` → float32, `[Int64]` or `[Int]` → int64, …).
    ///
    /// Throws `invalidShape` if a dimension is negative or the product of `shape` is not
    /// `values.count`. Use `shape: []` with one value for a 0-d array.
    public init<T: NumPyElement>(_ values: [T], shape: [Int]) throws {
        let needed = try NumPyArray.elementCount(of: shape)
        guard needed == values.count else {
            throw NumPyIOError(
                .invalidShape,
                "shape \(formatShape(shape)) needs \(needed) elements, got \(values.count)")
        }
        self.shape = shape
        self.dtype = T.numPyDType
        self.littleEndianBytes = NumPyArray.encode(values)
    }

    /// A 1-d array of `values` (shape `[values.count]`).
    public init<T: NumPyElement>(_ values: [T]) {
        self.shape = [values.count]
        self.dtype = T.numPyDType
        self.littleEndianBytes = NumPyArray.encode(values)
    }

    /// A 0-d array holding one value (shape `[]`), as NumPy stores `np.float64(4.0)`.
    public init<T: NumPyElement>(scalar value: T) {
        self.shape = []
        self.dtype = T.numPyDType
        self.littleEndianBytes = NumPyArray.encode([value])
    }

    /// An array from raw little-endian C-order element bytes.
    ///
    /// Throws `invalidShape` if a dimension is negative or the byte count is not
    /// `product(shape) × dtype.itemSize`. Boolean bytes are normalised to 0/1.
    public init(shape: [Int], dtype: NumPyDType, littleEndianBytes bytes: [UInt8]) throws {
        let needed = try NumPyArray.byteCount(of: shape, dtype: dtype, descr: dtype.descr)
        guard needed == bytes.count else {
            throw NumPyIOError(
                .invalidShape,
                "shape \(formatShape(shape)) of \(dtype.descr) needs \(needed) bytes, got \(bytes.count)")
        }
        self.init(validatedShape: shape, dtype: dtype, bytes: bytes)
    }

    /// Internal: `bytes` already has the right length.
    init(validatedShape shape: [Int], dtype: NumPyDType, bytes: [UInt8]) {
        self.shape = shape
        self.dtype = dtype
        if dtype == .bool, bytes.contains(where: { $0 > 1 }) {
            self.littleEndianBytes = bytes.map { $0 == 0 ? 0 : 1 }
        } else {
            self.littleEndianBytes = bytes
        }
    }

    // MARK: Accessors

    /// The elements as `T` when `T.numPyDType == dtype` (e.g. `values(as: Double.self)` on a
    /// float64 array), otherwise `nil`. No conversion is done; see `doubles` for that.
    public func values<T: NumPyElement>(as type: T.Type) -> [T]? {
        guard T.numPyDType == dtype else { return nil }
        return decode(T.self)
    }

    /// The elements converted to `Double` (C order), whatever the numeric dtype.
    /// Booleans become 0/1; 64-bit integers beyond ±2⁵³ are rounded.
    public var doubles: [Double] {
        switch dtype {
        case .float64: return decode(Double.self)
        case .float32: return decode(Float.self).map { Double($0) }
        case .int64: return decode(Int64.self).map { Double($0) }
        case .int32: return decode(Int32.self).map { Double($0) }
        case .int16: return decode(Int16.self).map { Double($0) }
        case .int8: return decode(Int8.self).map { Double($0) }
        case .uint64: return decode(UInt64.self).map { Double($0) }
        case .uint32: return decode(UInt32.self).map { Double($0) }
        case .uint16: return decode(UInt16.self).map { Double($0) }
        case .uint8: return decode(UInt8.self).map { Double($0) }
        case .bool: return decode(Bool.self).map { $0 ? 1 : 0 }
        }
    }

    /// The elements converted to `Float` (C order), whatever the numeric dtype
    /// (float64 values are rounded to the nearest `Float`).
    public var floats: [Float] {
        switch dtype {
        case .float32: return decode(Float.self)
        case .float64: return decode(Double.self).map { Float($0) }
        default: return doubles.map { Float($0) }
        }
    }

    /// The elements as `Int64` for integer and boolean dtypes, or `nil` for floating-point
    /// dtypes and for uint64 arrays holding a value above `Int64.max`.
    public var int64s: [Int64]? {
        switch dtype {
        case .float64, .float32: return nil
        case .int64: return decode(Int64.self)
        case .int32: return decode(Int32.self).map { Int64($0) }
        case .int16: return decode(Int16.self).map { Int64($0) }
        case .int8: return decode(Int8.self).map { Int64($0) }
        case .uint64:
            let raw = decode(UInt64.self)
            guard raw.allSatisfy({ $0 <= UInt64(Int64.max) }) else { return nil }
            return raw.map { Int64($0) }
        case .uint32: return decode(UInt32.self).map { Int64($0) }
        case .uint16: return decode(UInt16.self).map { Int64($0) }
        case .uint8: return decode(UInt8.self).map { Int64($0) }
        case .bool: return decode(Bool.self).map { $0 ? 1 : 0 }
        }
    }

    /// The single element as a `Double` for a 0-d or one-element array, otherwise `nil`.
    public var scalar: Double? {
        count == 1 ? doubles.first : nil
    }

    /// The single element as an `Int` for a 0-d or one-element integer/boolean array
    /// (e.g. the paper's `d_inner`), otherwise `nil` (also for floating-point dtypes).
    public var intScalar: Int? {
        guard count == 1, let value = int64s?.first else { return nil }
        return Int(exactly: value)
    }

    public var description: String {
        "NumPyArray(\(dtype.descr), shape \(formatShape(shape)))"
    }

    // MARK: Encoding helpers

    /// Number of elements of `shape`, rejecting negative dimensions and overflow. As in
    /// NumPy, the product of the non-zero dimensions must fit even when a zero makes the
    /// array empty.
    static func elementCount(of shape: [Int]) throws -> Int {
        if let negative = shape.first(where: { $0 < 0 }) {
            throw NumPyIOError(.invalidShape, "shape \(formatShape(shape)) has a negative dimension \(negative)")
        }
        var product = 1
        for dim in shape where dim != 0 {
            let (next, overflow) = product.multipliedReportingOverflow(by: dim)
            guard !overflow else {
                throw NumPyIOError(.tooLarge, "shape \(formatShape(shape)) is too large (element count overflows)")
            }
            product = next
        }
        return shape.contains(0) ? 0 : product
    }

    /// Byte size of `shape` × `dtype.itemSize`, rejecting negative dimensions and overflow.
    static func byteCount(of shape: [Int], dtype: NumPyDType, descr: String) throws -> Int {
        let elements = try elementCount(of: shape)
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow else {
            throw NumPyIOError(.tooLarge, "shape \(formatShape(shape)) of \(descr) is too large (byte count overflows)")
        }
        return bytes
    }

    static func encode<T: NumPyElement>(_ values: [T]) -> [UInt8] {
        let size = T.numPyDType.itemSize
        if !hostIsBigEndian, MemoryLayout<T>.size == size, T.self != Bool.self {
            return values.withUnsafeBytes { Array($0) }
        }
        var out = [UInt8]()
        out.reserveCapacity(values.count * size)
        for value in values {
            let bits = value._numPyBits
            for k in 0..<size { out.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k)))) }
        }
        return out
    }

    /// Decodes the storage as `T`; the caller guarantees `T.numPyDType.itemSize == dtype.itemSize`.
    private func decode<T: NumPyElement>(_ type: T.Type) -> [T] {
        let size = dtype.itemSize
        let n = count
        if n == 0 { return [] }
        if !hostIsBigEndian, MemoryLayout<T>.size == size, T.self != Bool.self {
            return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                littleEndianBytes.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<(n * size)]))
                }
                initialized = n
            }
        }
        var out = [T]()
        out.reserveCapacity(n)
        var offset = 0
        for _ in 0..<n {
            var bits: UInt64 = 0
            for k in 0..<size { bits |= UInt64(littleEndianBytes[offset + k]) << (8 * UInt64(k)) }
            out.append(T(_numPyBits: bits))
            offset += size
        }
        return out
    }
}

/// Python's repr of a shape tuple: `()`, `(64,)`, `(16, 64)`.
func formatShape(_ shape: [Int]) -> String {
    switch shape.count {
    case 0: return "()"
    case 1: return "(\(shape[0]),)"
    default: return "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}
