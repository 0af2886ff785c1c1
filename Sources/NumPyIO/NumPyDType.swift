/// The element types this module reads and writes: NumPy's fixed-size real numeric and
/// boolean dtypes.
///
/// Byte order is not part of the value: a `NumPyArray` always holds its elements
/// little-endian, and big-endian files are byte-swapped on read. Complex, float16,
/// string, object, datetime and structured dtypes are rejected with
/// `NumPyIOError.Kind.unsupportedDType`.
public enum NumPyDType: String, CaseIterable, Equatable, Hashable, Sendable, CustomStringConvertible {
    case float64, float32
    case int64, int32, int16, int8
    case uint64, uint32, uint16, uint8
    case bool

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .float64, .int64, .uint64: return 8
        case .float32, .int32, .uint32: return 4
        case .int16, .uint16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }

    /// NumPy's kind character: `f` (floating), `i` (signed), `u` (unsigned), `b` (boolean).
    public var kind: Character {
        switch self {
        case .float64, .float32: return "f"
        case .int64, .int32, .int16, .int8: return "i"
        case .uint64, .uint32, .uint16, .uint8: return "u"
        case .bool: return "b"
        }
    }

    /// True for `float32` and `float64`.
    public var isFloatingPoint: Bool { kind == "f" }

    /// The descr string NumPy writes for this dtype, e.g. `<f8`, `<i4`, `|u1`, `|b1`:
    /// little-endian, or `|` ("not applicable") for one-byte types.
    public var descr: String {
        (itemSize == 1 ? "|" : "<") + String(kind) + String(itemSize)
    }

    public var description: String { rawValue }

    /// Parses a NumPy descr string such as `<f8`, `=i4`, `|u1`, `|b1` or `>f8`.
    ///
    /// Accepted byte orders: `<` (little), `>` (big; the reader byte-swaps), `=` and `|`
    /// (native) or none (native). Anything else, and any kind/size other than the
    /// dtypes of this enum, throws `unsupportedDType` naming the descr.
    public init(descr: String) throws {
        self = try NumPyDType.parse(descr: descr).dtype
    }

    /// Parses a descr, also returning whether the data is stored big-endian.
    static func parse(descr: String) throws -> (dtype: NumPyDType, bigEndian: Bool) {
        var chars = Substring(descr)
        var bigEndian = hostIsBigEndian
        switch chars.first {
        case "<": bigEndian = false; chars = chars.dropFirst()
        case ">": bigEndian = true; chars = chars.dropFirst()
        case "=", "|": chars = chars.dropFirst()
        default: break
        }
        guard let kind = chars.first else {
            throw NumPyIOError(.unsupportedDType, "unsupported dtype '\(descr)' (empty type)")
        }
        let sizeText = chars.dropFirst()
        guard !sizeText.isEmpty, sizeText.count <= 3, sizeText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let size = Int(sizeText)
        else {
            throw NumPyIOError(.unsupportedDType, "unsupported dtype '\(descr)'\(reasonForUnsupported(kind))")
        }
        let found = NumPyDType.allCases.first { $0.kind == kind && $0.itemSize == size }
        guard let dtype = found else {
            throw NumPyIOError(.unsupportedDType, "unsupported dtype '\(descr)'\(reasonForUnsupported(kind))")
        }
        return (dtype, dtype.itemSize == 1 ? false : bigEndian)
    }

    private static func reasonForUnsupported(_ kind: Character) -> String {
        switch kind {
        case "c": return " (complex numbers are not supported)"
        case "O": return " (object arrays are not supported)"
        case "S", "a", "U": return " (string arrays are not supported)"
        case "V": return " (void/structured dtypes are not supported)"
        case "M", "m": return " (datetime/timedelta arrays are not supported)"
        case "f": return " (supported floating-point sizes are 4 and 8 bytes)"
        case "i", "u": return " (supported integer sizes are 1, 2, 4 and 8 bytes)"
        case "b": return " (booleans must be 1 byte)"
        default: return ""
        }
    }
}

/// True on big-endian hosts (none of Swift's current platforms, but the code does not assume it).
let hostIsBigEndian: Bool = 1.bigEndian == 1
