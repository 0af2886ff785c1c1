/// Reading and writing single arrays in NumPy's `.npy` format
/// (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
///
/// Reading accepts format versions 1.0, 2.0 and 3.0, little- and big-endian data, and
/// C or Fortran order (Fortran-order data is transposed so the result is C order).
/// The data must be exactly `product(shape) × itemsize` bytes: a short file and trailing
/// bytes are both errors. Writing produces version 1.0 (2.0 only if the header would not
/// fit in 65535 bytes), byte-for-byte what `numpy.save` writes for the same array.
///
/// All functions throw only `NumPyIOError`.
public enum NumPyFile {
    /// The magic string every `.npy` file starts with.
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    /// Data starts at a multiple of this many bytes (NumPy's `ARRAY_ALIGN`).
    static let alignment = 64

    /// NumPy leaves this much room in the header for the growing axis' digits.
    static let growthAxisMaxDigits = 21

    // MARK: Reading

    /// Parses a complete `.npy` file held in memory.
    public static func readNPY(_ data: [UInt8]) throws -> NumPyArray {
        let header = try parseHeader(data)
        let needed = try NumPyArray.byteCount(of: header.shape, dtype: header.dtype, descr: header.descr)
        let available = data.count - header.dataOffset
        guard available == needed else {
            throw NumPyIOError(
                .dataSizeMismatch,
                "data has \(available) bytes, shape \(formatShape(header.shape)) of \(header.descr) needs \(needed)")
        }
        var bytes = Array(data[header.dataOffset...])
        if header.fortranOrder && header.shape.count > 1 && needed > 0 {
            bytes = transposeFortranToC(bytes, shape: header.shape, itemSize: header.dtype.itemSize)
        }
        if header.bigEndian && header.dtype.itemSize > 1 {
            swapBytes(&bytes, itemSize: header.dtype.itemSize)
        }
        return NumPyArray(validatedShape: header.shape, dtype: header.dtype, bytes: bytes)
    }

    /// Reads a `.npy` file; errors name `path`.
    public static func readNPY(contentsOf path: String) throws -> NumPyArray {
        let data = try FileIO.readAll(path: path)
        return try withErrorContext(path: path) { try readNPY(data) }
    }

    /// What the header says.
    struct Header {
        var descr: String
        var dtype: NumPyDType
        var bigEndian: Bool
        var fortranOrder: Bool
        var shape: [Int]
        var dataOffset: Int
    }

    static func parseHeader(_ data: [UInt8]) throws -> Header {
        guard !data.isEmpty else { throw NumPyIOError(.empty, "empty input, not a .npy file") }
        let prefix = data.prefix(magic.count)
        guard prefix.elementsEqual(magic.prefix(prefix.count)) else {
            throw NumPyIOError(.notNPY, "not a .npy file (bad magic string)")
        }
        guard data.count >= magic.count + 2 else {
            throw NumPyIOError(.truncated, "truncated .npy file: \(data.count) bytes, too short for the preamble")
        }
        let major = data[6], minor = data[7]
        let lengthFieldSize: Int
        switch (major, minor) {
        case (1, 0): lengthFieldSize = 2
        case (2, 0), (3, 0): lengthFieldSize = 4
        default:
            throw NumPyIOError(.unsupportedVersion, "unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)")
        }
        let headerStart = 8 + lengthFieldSize
        guard data.count >= headerStart else {
            throw NumPyIOError(.truncated, "truncated .npy file: \(data.count) bytes, too short for the preamble")
        }
        var headerLength = 0
        for k in 0..<lengthFieldSize { headerLength |= Int(data[8 + k]) << (8 * k) }
        guard data.count - headerStart >= headerLength else {
            throw NumPyIOError(
                .truncated,
                "truncated .npy file: header needs \(headerLength) bytes, only \(data.count - headerStart) present")
        }
        let headerBytes = Array(data[headerStart..<(headerStart + headerLength)])
        let literal = try PythonLiteralParser.parse(headerBytes, utf8: major == 3)
        var header = try interpret(literal)
        header.dataOffset = headerStart + headerLength
        return header
    }

    /// Checks the header dict's keys and value types.
    private static func interpret(_ literal: PythonLiteral) throws -> Header {
        guard case .dict(let pairs) = literal else {
            throw NumPyIOError(.badHeader, "bad .npy header: expected a dict, found a \(literal.typeName)")
        }
        let known = ["descr", "fortran_order", "shape"]
        var values: [String: PythonLiteral] = [:]
        for (key, value) in pairs {
            guard case .string(let name) = key else {
                throw NumPyIOError(.badHeader, "bad .npy header: key \(key.repr) is not a string")
            }
            guard known.contains(name) else {
                throw NumPyIOError(.badHeader, "bad .npy header: unknown key '\(name)' (expected 'descr', 'fortran_order', 'shape')")
            }
            guard values[name] == nil else {
                throw NumPyIOError(.badHeader, "bad .npy header: duplicate key '\(name)'")
            }
            values[name] = value
        }
        for name in known where values[name] == nil {
            throw NumPyIOError(.badHeader, "bad .npy header: missing key '\(name)'")
        }

        let descrValue = values["descr"] ?? .none
        guard case .string(let descr) = descrValue else {
            let what: String
            switch descrValue {
            case .list: what = "structured dtypes are not supported"
            case .tuple: what = "sub-array dtypes are not supported"
            default: what = "descr must be a string"
            }
            throw NumPyIOError(.unsupportedDType, "unsupported dtype \(descrValue.repr) (\(what))")
        }
        let (dtype, bigEndian) = try NumPyDType.parse(descr: descr)

        guard case .bool(let fortranOrder) = values["fortran_order"] ?? .none else {
            throw NumPyIOError(.badHeader, "bad .npy header: 'fortran_order' must be True or False, found \((values["fortran_order"] ?? .none).repr)")
        }

        let shapeValue = values["shape"] ?? .none
        guard case .tuple(let items) = shapeValue else {
            throw NumPyIOError(.badHeader, "bad .npy header: 'shape' must be a tuple of integers, found \(shapeValue.repr)")
        }
        var shape: [Int] = []
        for item in items {
            guard case .int(let dim) = item else {
                throw NumPyIOError(.badHeader, "bad .npy header: 'shape' must be a tuple of integers, found \(shapeValue.repr)")
            }
            shape.append(dim)
        }
        if let negative = shape.first(where: { $0 < 0 }) {
            throw NumPyIOError(.invalidShape, "bad .npy header: shape \(formatShape(shape)) has a negative dimension \(negative)")
        }
        return Header(descr: descr, dtype: dtype, bigEndian: bigEndian, fortranOrder: fortranOrder, shape: shape, dataOffset: 0)
    }

    /// Reorders column-major element bytes into row-major order.
    static func transposeFortranToC(_ source: [UInt8], shape: [Int], itemSize: Int) -> [UInt8] {
        let rank = shape.count
        // Fortran strides (in elements): the first index varies fastest.
        var strides = [Int](repeating: 1, count: rank)
        for k in 1..<rank { strides[k] = strides[k - 1] * shape[k - 1] }
        let total = source.count / itemSize
        var out = [UInt8](repeating: 0, count: source.count)
        var index = [Int](repeating: 0, count: rank)
        var fortranOffset = 0
        for c in 0..<total {
            let from = fortranOffset * itemSize, to = c * itemSize
            for b in 0..<itemSize { out[to + b] = source[from + b] }
            // Advance the C-order odometer: the last index varies fastest.
            var k = rank - 1
            while k >= 0 {
                index[k] += 1
                fortranOffset += strides[k]
                if index[k] < shape[k] { break }
                fortranOffset -= strides[k] * shape[k]
                index[k] = 0
                k -= 1
            }
        }
        return out
    }

    /// Reverses the bytes of each `itemSize`-byte element in place.
    static func swapBytes(_ bytes: inout [UInt8], itemSize: Int) {
        var start = 0
        while start + itemSize <= bytes.count {
            var i = start, j = start + itemSize - 1
            while i < j { bytes.swapAt(i, j); i += 1; j -= 1 }
            start += itemSize
        }
    }

    // MARK: Writing

    /// The `.npy` file for `a`: format 1.0, C order, little-endian, the header padded with
    /// spaces and a final newline so the data starts at a multiple of 64 bytes — the same
    /// bytes `numpy.save` produces.
    public static func npyBytes(_ a: NumPyArray) -> [UInt8] {
        npyHeader(shape: a.shape, dtype: a.dtype) + a.littleEndianBytes
    }

    /// Writes `a` as a `.npy` file at `path`, atomically: the bytes go to a temporary file
    /// in the same directory, which is then renamed over `path`. On failure nothing is left
    /// behind and an existing file at `path` is untouched.
    public static func writeNPY(_ a: NumPyArray, to path: String) throws {
        try FileIO.writeAtomically(npyBytes(a), to: path)
    }

    /// The preamble and header (everything before the data) for an array.
    static func npyHeader(shape: [Int], dtype: NumPyDType) -> [UInt8] {
        var dict = "{'descr': '\(dtype.descr)', 'fortran_order': False, 'shape': \(formatShape(shape)), }"
        if let first = shape.first {
            // As NumPy does: room to rewrite the first dimension in place when appending.
            dict += String(repeating: " ", count: max(0, growthAxisMaxDigits - String(first).count))
        }
        var text = Array(dict.utf8)
        var lengthFieldSize = 2
        var version: UInt8 = 1
        // Total preamble+header including the final "\n", padded to the alignment. Like NumPy,
        // always at least one space of padding, so an exactly aligned header gets a full 64.
        func paddedLength() -> Int {
            let unpadded = magic.count + 2 + lengthFieldSize + text.count + 1
            return unpadded + (alignment - unpadded % alignment)
        }
        if paddedLength() - (magic.count + 2 + lengthFieldSize) > Int(UInt16.max) {
            lengthFieldSize = 4
            version = 2
        }
        let total = paddedLength()
        let headerLength = total - (magic.count + 2 + lengthFieldSize)
        text += [UInt8](repeating: 0x20, count: headerLength - text.count - 1)
        text.append(0x0A)

        var out = magic
        out += [version, 0]
        for k in 0..<lengthFieldSize { out.append(UInt8(truncatingIfNeeded: headerLength >> (8 * k))) }
        out += text
        return out
    }
}
