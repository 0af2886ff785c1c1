import Foundation
import StrictJSON
import Testing

/// Random documents written by a small independent writer parse back to the same value, member order
/// included, with numbers bit for bit.
@Suite struct RoundTripTests {
    /// A minimal JSON writer: shortest round-trip numbers, escapes for quotes, backslashes and control
    /// characters, and (at random) `\u` escapes for other characters, surrogate pairs included.
    struct Writer {
        var rng: SplitMix64
        var pretty: Bool

        mutating func write(_ v: JSONValue, indent: Int = 0) -> String {
            switch v {
            case .null: return "null"
            case let .bool(b): return b ? "true" : "false"
            case let .number(d):
                if d == d.rounded(), abs(d) < 1e15, Bool.random(using: &rng) { return d.sign == .minus && d == 0 ? "-0" : String(Int(d)) }
                return Bool.random(using: &rng) ? "\(d)" : String(format: "%.17g", d)
            case let .string(s): return quote(s)
            case let .array(a):
                let items = a.map { write($0, indent: indent + 1) }
                return "[" + separated(items, indent: indent) + "]"
            case let .object(o):
                let items = o.members.map { quote($0.key) + (pretty ? ": " : ":") + write($0.value, indent: indent + 1) }
                return "{" + separated(items, indent: indent) + "}"
            }
        }

        func separated(_ items: [String], indent: Int) -> String {
            guard pretty, !items.isEmpty else { return items.joined(separator: ",") }
            let pad = "\n" + String(repeating: "  ", count: indent + 1)
            return pad + items.joined(separator: "," + pad) + "\n" + String(repeating: "  ", count: indent)
        }

        mutating func quote(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += Bool.random(using: &rng) ? "\\\\" : "\\u005C"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case "/" where Bool.random(using: &rng): out += "\\/"
                default:
                    if u.value < 0x20 || Int.random(in: 0..<8, using: &rng) == 0 {
                        for unit in String(u).utf16 { out += String(format: "\\u%04x", unit) }
                    } else {
                        out.unicodeScalars.append(u)
                    }
                }
            }
            return out + "\""
        }
    }

    /// A random value of at most `depth` levels; keys unique within each object.
    static func randomValue(_ rng: inout SplitMix64, depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth > 0 ? 8 : 5), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .number(randomNumber(&rng))
        case 3, 4: return .string(randomString(&rng))
        case 5, 6:
            return .array((0..<Int.random(in: 0...5, using: &rng)).map { _ in randomValue(&rng, depth: depth - 1) })
        default:
            var members = [(key: String, value: JSONValue)]()
            var used = Set<String>()
            for _ in 0..<Int.random(in: 0...(Int.random(in: 0..<4, using: &rng) == 0 ? 30 : 5), using: &rng) {
                let key = randomString(&rng)
                if used.insert(key).inserted { members.append((key, randomValue(&rng, depth: depth - 1))) }
            }
            return .object(JSONObject(members)!)
        }
    }

    static func randomNumber(_ rng: inout SplitMix64) -> Double {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return Double(Int.random(in: -1000...1000, using: &rng))
        case 1: return [0.0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.leastNormalMagnitude, 0.1].randomElement(using: &rng)!
        case 2: return Double.random(in: -1...1, using: &rng)
        default:
            while true {
                let d = Double(bitPattern: rng.next())
                if d.isFinite { return d }
            }
        }
    }

    static func randomString(_ rng: inout SplitMix64) -> String {
        let alphabet: [Unicode.Scalar] = ["a", "b", "Z", "_", " ", "0", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "€",
                                          "😀", "\u{FEFF}", "\u{10FFFF}", "\u{301}", "\u{FFFD}", "\u{2028}"]
        var s = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...8, using: &rng) { s.append(alphabet.randomElement(using: &rng)!) }
        return String(s)
    }

    /// Structural equality with numbers compared by bits (so -0 and 0 differ) and member order compared.
    static func identical(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x.bitPattern == y.bitPattern
        case let (.string(x), .string(y)): return Array(x.unicodeScalars) == Array(y.unicodeScalars)
        case let (.array(x), .array(y)): return x.count == y.count && zip(x, y).allSatisfy { identical($0, $1) }
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x.members, y.members).allSatisfy {
                Array($0.key.unicodeScalars) == Array($1.key.unicodeScalars) && identical($0.value, $1.value)
            }
        default: return false
        }
    }

    @Test func randomDocumentsRoundTrip() throws {
        var rng = SplitMix64(seed: 0x5EED_1234)
        var writer = Writer(rng: SplitMix64(seed: 99), pretty: false)
        for i in 0..<2_000 {
            let value = Self.randomValue(&rng, depth: 5)
            writer.pretty = i % 2 == 0
            let text = writer.write(value)
            do {
                let parsed = try JSONParser.parse(text)
                #expect(Self.identical(parsed, value), "document \(i): \(text)")
                #expect(parsed == value)
                // The Data and [UInt8] entry points agree.
                #expect(try JSONParser.parse(Data(text.utf8)) == parsed)
            } catch {
                Issue.record("document \(i) rejected: \(error)\n\(text)")
            }
        }
    }

    @Test func truncatedRandomDocumentsAreRejected() {
        var rng = SplitMix64(seed: 42)
        var writer = Writer(rng: SplitMix64(seed: 43), pretty: true)
        for _ in 0..<300 {
            var value = Self.randomValue(&rng, depth: 4)
            if case .array = value {} else { value = .array([value]) }
            let bytes = Array(writer.write(value).utf8)
            let cut = Int.random(in: 0..<bytes.count, using: &rng)
            let e = parseError(Array(bytes.prefix(cut)))
            #expect(e != nil)
            #expect(e?.message.hasPrefix("unexpected end of input") == true || e?.message.contains("the input ends inside") == true,
                    "\(String(describing: e))")
        }
    }
}
