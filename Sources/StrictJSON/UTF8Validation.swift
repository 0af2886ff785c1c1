/// UTF-8 well-formedness, checked byte by byte as the parser meets non-ASCII text.
///
/// JSON text must be UTF-8 (RFC 8259 §8.1). Decoding leniently would replace bad bytes with U+FFFD and
/// silently change a key or a value, so the parser checks every multi-byte sequence (no overlong forms,
/// no encoded surrogates, nothing beyond U+10FFFF) and names the offending byte's offset.
enum UTF8Validation {
    /// The length of the well-formed sequence starting at `i` (1 to 4), or 0 if it is not well formed.
    @inline(__always)
    static func sequenceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b0 = b[i]
        if b0 < 0x80 { return 1 }
        let n = b.count
        if b0 < 0xC2 { return 0 }                                    // continuation byte, or overlong C0/C1
        if b0 < 0xE0 { return i + 1 < n && b[i + 1] & 0xC0 == 0x80 ? 2 : 0 }
        if b0 < 0xF0 {
            guard i + 2 < n else { return 0 }
            let b1 = b[i + 1]
            guard b1 & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80 else { return 0 }
            if b0 == 0xE0 && b1 < 0xA0 { return 0 }                  // overlong
            if b0 == 0xED && b1 >= 0xA0 { return 0 }                 // UTF-16 surrogate
            return 3
        }
        if b0 < 0xF5 {
            guard i + 3 < n else { return 0 }
            let b1 = b[i + 1]
            guard b1 & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80, b[i + 3] & 0xC0 == 0x80 else { return 0 }
            if b0 == 0xF0 && b1 < 0x90 { return 0 }                  // overlong
            if b0 == 0xF4 && b1 >= 0x90 { return 0 }                 // beyond U+10FFFF
            return 4
        }
        return 0
    }

    /// The scalar of the well-formed sequence at `i` (call only where `sequenceLength` is not 0).
    static func scalar(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Unicode.Scalar {
        let n = sequenceLength(b, at: i)
        var v = n == 1 ? UInt32(b[i]) : UInt32(b[i]) & (0xFF >> (n + 1))
        for k in 1..<max(n, 1) { v = v << 6 | UInt32(b[i + k] & 0x3F) }
        return Unicode.Scalar(v) ?? "\u{FFFD}"
    }

    /// Why the sequence at `i` is not well-formed UTF-8, one line, naming the byte offset.
    static func problem(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> String {
        let b0 = b[i]
        let head = "invalid UTF-8 at byte offset \(i): "
        let tail = " (JSON must be UTF-8; was the file saved in another encoding?)"
        func hex(_ x: UInt8) -> String { "0x" + String(x, radix: 16, uppercase: true) }
        if b0 & 0xC0 == 0x80 { return head + "unexpected continuation byte \(hex(b0))" + tail }
        if b0 == 0xC0 || b0 == 0xC1 || b0 >= 0xF5 { return head + "byte \(hex(b0)) never occurs in UTF-8" + tail }
        let length = b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4
        for k in 1..<length {
            guard i + k < b.count else {
                return head + "the input ends inside the \(length)-byte sequence that starts with \(hex(b0))"
            }
            if b[i + k] & 0xC0 != 0x80 {
                return head + "byte \(hex(b0)) starts a \(length)-byte sequence but is followed by \(hex(b[i + k]))" + tail
            }
        }
        let b1 = b[i + 1]
        if b0 == 0xED && b1 >= 0xA0 { return head + "an encoded UTF-16 surrogate (\(hex(b0)) \(hex(b1)))" }
        if b0 == 0xF4 && b1 >= 0x90 { return head + "a code point beyond U+10FFFF" }
        return head + "an overlong encoding starting with \(hex(b0)) \(hex(b1))"
    }
}
