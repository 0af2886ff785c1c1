/// A Swift type that can be the element type of a `NumPyArray`.
///
/// Conforming types: `Double` (float64), `Float` (float32), `Int64`, `Int32`, `Int16`,
/// `Int8`, `UInt64`, `UInt32`, `UInt16`, `UInt8`, `Bool`, and `Int` (stored as int64).
/// The underscored requirements are the element's bits widened to `UInt64`; they exist so
/// that the generic code can encode and decode any element, and are not meant to be
/// called directly.
public protocol NumPyElement: Sendable, BitwiseCopyable {
    /// The dtype arrays of this element type are stored as.
    static var numPyDType: NumPyDType { get }
    /// The element's bit pattern, zero-extended to 64 bits.
    var _numPyBits: UInt64 { get }
    /// Rebuilds an element from the low `numPyDType.itemSize` bytes of `bits`.
    init(_numPyBits bits: UInt64)
}

extension Double: NumPyElement {
    public static var numPyDType: NumPyDType { .float64 }
    public var _numPyBits: UInt64 { bitPattern }
    public init(_numPyBits bits: UInt64) { self.init(bitPattern: bits) }
}

extension Float: NumPyElement {
    public static var numPyDType: NumPyDType { .float32 }
    public var _numPyBits: UInt64 { UInt64(bitPattern) }
    public init(_numPyBits bits: UInt64) { self.init(bitPattern: UInt32(truncatingIfNeeded: bits)) }
}

extension Int64: NumPyElement {
    public static var numPyDType: NumPyDType { .int64 }
    public var _numPyBits: UInt64 { UInt64(bitPattern: self) }
    public init(_numPyBits bits: UInt64) { self.init(bitPattern: bits) }
}

/// `Int` is stored as int64 (this module requires a 64-bit `Int`).
extension Int: NumPyElement {
    public static var numPyDType: NumPyDType { .int64 }
    public var _numPyBits: UInt64 { UInt64(bitPattern: Int64(self)) }
    public init(_numPyBits bits: UInt64) { self.init(Int64(bitPattern: bits)) }
}

extension Int32: NumPyElement {
    public static var numPyDType: NumPyDType { .int32 }
    public var _numPyBits: UInt64 { UInt64(UInt32(bitPattern: self)) }
    public init(_numPyBits bits: UInt64) { self.init(bitPattern: UInt32(truncatingIfNeeded: bits)) }
}

extension Int16: NumPyElement {
    public static var numPyDType: NumPyDType { .int16 }
    public var _numPyBits: UInt64 { UInt64(UInt16(bitPattern: self)) }
    public init(_numPyBits bits: UInt64) { self.init(bitPattern: UInt16(truncatingIfNeeded: bits)) }
}

extension Int8: NumPyElement {
    public static var numPyDType: NumPyDType { .int8 }
    public var _numPyBits: UInt64 { UInt64(UInt8(bitPattern: self)) }
    public init(_numPyBits bits: UInt64) { self.init(bitPattern: UInt8(truncatingIfNeeded: bits)) }
}

extension UInt64: NumPyElement {
    public static var numPyDType: NumPyDType { .uint64 }
    public var _numPyBits: UInt64 { self }
    public init(_numPyBits bits: UInt64) { self = bits }
}

extension UInt32: NumPyElement {
    public static var numPyDType: NumPyDType { .uint32 }
    public var _numPyBits: UInt64 { UInt64(self) }
    public init(_numPyBits bits: UInt64) { self.init(truncatingIfNeeded: bits) }
}

extension UInt16: NumPyElement {
    public static var numPyDType: NumPyDType { .uint16 }
    public var _numPyBits: UInt64 { UInt64(self) }
    public init(_numPyBits bits: UInt64) { self.init(truncatingIfNeeded: bits) }
}

extension UInt8: NumPyElement {
    public static var numPyDType: NumPyDType { .uint8 }
    public var _numPyBits: UInt64 { UInt64(self) }
    public init(_numPyBits bits: UInt64) { self.init(truncatingIfNeeded: bits) }
}

/// Booleans are one byte, 0 or 1 (any non-zero byte read from a file counts as `true`).
extension Bool: NumPyElement {
    public static var numPyDType: NumPyDType { .bool }
    public var _numPyBits: UInt64 { self ? 1 : 0 }
    public init(_numPyBits bits: UInt64) { self = (bits & 0xFF) != 0 }
}
