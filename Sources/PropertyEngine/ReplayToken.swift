import Foundation

/// A one-line, shell-safe token that reproduces one case exactly: the property, the effort it ran with,
/// the p-value threshold it was judged against, and its choice sequence (LEB128 varints, base64url).
///
///     ggd1:T1:40:0.0001:AAEC…
public struct ReplayToken: Equatable, Sendable, CustomStringConvertible {
    public let property: String
    public let effort: Int
    /// The per-case threshold for statistical and rate cases (0 for exact ones).
    public let threshold: Double
    public let choices: [UInt64]

    public init(property: String, effort: Int, threshold: Double, choices: [UInt64]) {
        self.property = property
        self.effort = effort
        self.threshold = threshold
        self.choices = choices
    }

    public var description: String {
        var bytes = [UInt8]()
        for var c in choices {
            repeat {
                var byte = UInt8(c & 0x7F)
                c >>= 7
                if c != 0 { byte |= 0x80 }
                bytes.append(byte)
            } while c != 0
        }
        let b64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "ggd1:\(property):\(effort):\(threshold):\(b64)"
    }

    public init(parsing text: String) throws {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[0] == "ggd1" else {
            throw PropertyError.badToken("expected ggd1:PROPERTY:EFFORT:THRESHOLD:CHOICES, got '\(text.prefix(80))'")
        }
        guard !parts[1].isEmpty, parts[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw PropertyError.badToken("bad property name '\(parts[1])'")
        }
        guard let effort = Int(parts[2]), effort >= 1, effort <= 100_000_000 else { throw PropertyError.badToken("bad effort '\(parts[2])'") }
        guard let threshold = Double(parts[3]), threshold.isFinite, threshold >= 0, threshold <= 1 else {
            throw PropertyError.badToken("bad threshold '\(parts[3])'")
        }
        guard parts[4].count <= 1_000_000 else { throw PropertyError.badToken("choice sequence too long") }
        // Unpadded base64url only: Foundation's decoder would also let a '=' through mid-string.
        guard parts[4].unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }) else {
            throw PropertyError.badToken("choices are not base64url")
        }
        var b64 = parts[4].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64) else { throw PropertyError.badToken("choices are not base64url") }
        var choices = [UInt64](), current: UInt64 = 0, shift: UInt64 = 0
        for byte in data {
            // The tenth byte of a varint holds bit 63 only.
            guard shift < 63 || (shift == 63 && byte & 0x7E == 0) else { throw PropertyError.badToken("a choice overflows 64 bits") }
            current |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                choices.append(current)
                current = 0
                shift = 0
            } else {
                shift += 7
            }
        }
        guard shift == 0 else { throw PropertyError.badToken("truncated choice sequence") }
        self.init(property: parts[1], effort: effort, threshold: threshold, choices: choices)
    }

    /// Throws unless this token is for `property` and asks an effort it accepts (1…`maximumEffort`), so that
    /// a hand-edited token cannot make a replay run for hours or allocate without bound.
    public func check(for property: any CatalogProperty) throws {
        guard property.id == self.property else {
            throw PropertyError.badToken("token is for property '\(self.property)', not '\(property.id)'")
        }
        guard effort >= 1, effort <= property.maximumEffort else {
            throw PropertyError.badToken("effort \(effort) is outside 1…\(property.maximumEffort), the efforts property \(property.id) accepts")
        }
    }
}
