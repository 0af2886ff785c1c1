import Foundation
import NumPyIO
import PropertyEngine

/// The inputs of `CLIFuzzTests`: hostile invocations of `ggd` built with the property engine's generators,
/// so every input is a function of a recorded choice sequence — a failure shrinks (choice 0 is always the
/// simplest alternative: no edit, the valid file, the first command) and replays from a one-line token.
///
/// Six families, each a `Gen<CLIFuzz.Case>` over the valid fixtures made once per run (`CLIFuzz.Fixtures`):
/// setting files (JSON, .npz), checkpoints (`--network`, `--resume`), results files (`merge`, `compare`),
/// replay tokens (`check --replay`), and option values / paths / unknown flags.
enum CLIFuzz {
    /// The families; a token's property field is `cli-<rawValue>`.
    enum Family: String, CaseIterable, Sendable {
        case settingJSON = "setting-json"
        case settingNPZ = "setting-npz"
        case checkpoint
        case results
        case tokens
        case options

        var tokenProperty: String { "cli-" + rawValue }
        init?(tokenProperty: String) {
            guard tokenProperty.hasPrefix("cli-") else { return nil }
            self.init(rawValue: String(tokenProperty.dropFirst(4)))
        }
    }

    /// What is at the command's output path before it runs.
    enum Preexisting: String, Sendable, CaseIterable {
        case absent
        case emptyFolder = "an empty folder"
        case userFolder = "a folder with the user's files"
        case previousOutput = "an earlier output of the same command"
        case otherCommandOutput = "an earlier output of another command"
        case file = "a user's file"
        case previousGGDFile = "an earlier ggd JSON output"
        case symlinkToUserFolder = "a symlink to a folder with the user's files"
        case danglingSymlink = "a dangling symlink"
        case selfSymlink = "a symlink to itself"
    }

    struct InputFile: Sendable {
        var path: String
        var bytes: [UInt8]
    }

    /// One invocation: arguments relative to a fresh working folder, the files it reads, and what already
    /// lies at its output path.
    struct Case: Sendable, CustomStringConvertible {
        var family: Family
        var arguments: [String]
        var files: [InputFile] = []
        var preexisting: Preexisting = .absent
        /// How the input departs from the valid fixture, edit by edit.
        var notes: [String] = []

        var command: String { arguments.first ?? "" }

        var description: String {
            var s = "ggd " + arguments.map(CLIFuzz.shellQuoted).joined(separator: " ")
            if preexisting != .absent { s += "   [output path holds \(preexisting.rawValue)]" }
            for f in files { s += "\n    \(f.path) (\(f.bytes.count) bytes): \(CLIFuzz.preview(f.bytes))" }
            if !notes.isEmpty { s += "\n    edits: " + notes.joined(separator: "; ") }
            return s
        }
    }

    static func shellQuoted(_ s: String) -> String {
        if s.count > 120 { return "'\(s.prefix(40))…(\(s.count) chars)'" }
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_=./,:".unicodeScalars.contains($0)) }
        return plain ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A short printable preview of a file: text as text, anything else as a hex head.
    static func preview(_ bytes: [UInt8], limit: Int = 360) -> String {
        let head = Array(bytes.prefix(limit))
        if let text = String(bytes: head, encoding: .utf8), !text.contains("\0"), bytes.first != 0x50 {
            let flat = text.replacingOccurrences(of: "\n", with: "⏎")
            return flat + (bytes.count > limit ? "…" : "")
        }
        return "hex " + head.prefix(48).map { String(format: "%02x", $0) }.joined() + (bytes.count > 48 ? "…" : "")
    }
}

// MARK: - A JSON tree that keeps key order, duplicate keys and number text (so 1e400 stays 1e400)

extension CLIFuzz {
    indirect enum JSON: Sendable {
        case raw(String)
        case array([JSON])
        case object([Member])

        struct Member: Sendable {
            var key: String
            var value: JSON
        }

        static func obj(_ pairs: KeyValuePairs<String, JSON>) -> JSON { .object(pairs.map { Member(key: $0.key, value: $0.value) }) }
        static func num(_ v: Double) -> JSON { .raw(v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)") }
        static func str(_ s: String) -> JSON { .raw(CLIFuzz.JSON.quote(s)) }
        static func vec(_ v: [Double]) -> JSON { .array(v.map(num)) }
        static func mat(_ m: [[Double]]) -> JSON { .array(m.map(vec)) }

        static func quote(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                default:
                    if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
                }
            }
            return out + "\""
        }

        var text: String {
            switch self {
            case .raw(let r): return r
            case .array(let a): return "[" + a.map(\.text).joined(separator: ", ") + "]"
            case .object(let m): return "{" + m.map { CLIFuzz.JSON.quote($0.key) + ": " + $0.value.text }.joined(separator: ", ") + "}"
            }
        }

        enum Step: Sendable, CustomStringConvertible {
            case key(String)
            case index(Int)
            var description: String {
                switch self {
                case .key(let k): return k
                case .index(let i): return "[\(i)]"
                }
            }
        }

        static func pathText(_ p: [Step]) -> String {
            guard !p.isEmpty else { return "(top level)" }
            var s = ""
            for step in p {
                switch step {
                case .key(let k): s += (s.isEmpty ? "" : ".") + k
                case .index(let i): s += "[\(i)]"
                }
            }
            return s
        }

        /// Every path in the tree (objects' keys and arrays' elements), in document order; arrays longer than
        /// `elements` list only their first few elements.
        func paths(elements: Int = 3) -> [[Step]] {
            var out = [[Step]]()
            func walk(_ node: JSON, _ prefix: [Step]) {
                switch node {
                case .raw: break
                case .array(let a):
                    for (i, e) in a.prefix(elements).enumerated() {
                        out.append(prefix + [.index(i)])
                        walk(e, prefix + [.index(i)])
                    }
                case .object(let m):
                    for member in m {
                        out.append(prefix + [.key(member.key)])
                        walk(member.value, prefix + [.key(member.key)])
                    }
                }
            }
            walk(self, [])
            return out
        }

        /// The object paths (where a stray or duplicate key can go), including the top level.
        func objectPaths() -> [[Step]] {
            var out = [[Step]]()
            if case .object = self { out.append([]) }
            for p in paths() { if case .object = self[p] { out.append(p) } }
            return out
        }

        subscript(path: [Step]) -> JSON? {
            var node = self
            for step in path {
                switch (step, node) {
                case let (.key(k), .object(m)):
                    guard let v = m.last(where: { $0.key == k })?.value else { return nil }
                    node = v
                case let (.index(i), .array(a)):
                    guard a.indices.contains(i) else { return nil }
                    node = a[i]
                default: return nil
                }
            }
            return node
        }

        /// Sets (creating missing object keys), deletes (`value == nil`), or, with `duplicate`, appends a second
        /// member with the same key.
        func setting(_ path: [Step], to value: JSON?, duplicate: Bool = false) -> JSON {
            guard let first = path.first else { return value ?? .raw("null") }
            let rest = Array(path.dropFirst())
            switch (first, self) {
            case let (.key(k), .object(m)):
                var members = m
                if duplicate && rest.isEmpty {
                    members.append(Member(key: k, value: value ?? .raw("null")))
                    return .object(members)
                }
                if let i = members.lastIndex(where: { $0.key == k }) {
                    if rest.isEmpty && value == nil { members.remove(at: i) } else {
                        members[i].value = rest.isEmpty ? value! : members[i].value.setting(rest, to: value, duplicate: duplicate)
                    }
                } else if let value {
                    members.append(Member(key: k, value: rest.isEmpty ? value : JSON.object([]).setting(rest, to: value)))
                }
                return .object(members)
            case let (.index(i), .array(a)) where a.indices.contains(i):
                var elements = a
                if rest.isEmpty && value == nil { elements.remove(at: i) } else {
                    elements[i] = rest.isEmpty ? value! : elements[i].setting(rest, to: value, duplicate: duplicate)
                }
                return .array(elements)
            default:
                return self
            }
        }

        /// Parses well-formed JSON (the fixtures ggd wrote) keeping order and number text. Nesting deeper than
        /// 64 is refused (a deep tree would overflow the stack when it is released).
        static func parse(_ text: String) throws -> JSON {
            var parser = Parser(scalars: Array(text.unicodeScalars))
            let v = try parser.value()
            parser.skipSpace()
            guard parser.at == parser.scalars.count else { throw CocoaError(.propertyListReadCorrupt) }
            return v
        }

        private struct Parser {
            let scalars: [Unicode.Scalar]
            var at = 0
            var depth = 0

            mutating func skipSpace() { while at < scalars.count, " \n\r\t".unicodeScalars.contains(scalars[at]) { at += 1 } }

            mutating func value() throws -> JSON {
                depth += 1
                defer { depth -= 1 }
                guard depth <= 64 else { throw CocoaError(.propertyListReadCorrupt) }
                skipSpace()
                guard at < scalars.count else { throw CocoaError(.propertyListReadCorrupt) }
                switch scalars[at] {
                case "{":
                    at += 1
                    var members = [Member]()
                    skipSpace()
                    if at < scalars.count, scalars[at] == "}" { at += 1; return .object(members) }
                    while true {
                        skipSpace()
                        guard case .raw(let keyText) = try value() else { throw CocoaError(.propertyListReadCorrupt) }
                        skipSpace()
                        guard at < scalars.count, scalars[at] == ":" else { throw CocoaError(.propertyListReadCorrupt) }
                        at += 1
                        let v = try value()
                        let key = (try? JSONSerialization.jsonObject(with: Data(keyText.utf8), options: .fragmentsAllowed) as? String) ?? keyText
                        members.append(Member(key: key, value: v))
                        skipSpace()
                        guard at < scalars.count else { throw CocoaError(.propertyListReadCorrupt) }
                        if scalars[at] == "," { at += 1; continue }
                        if scalars[at] == "}" { at += 1; return .object(members) }
                        throw CocoaError(.propertyListReadCorrupt)
                    }
                case "[":
                    at += 1
                    var elements = [JSON]()
                    skipSpace()
                    if at < scalars.count, scalars[at] == "]" { at += 1; return .array(elements) }
                    while true {
                        elements.append(try value())
                        skipSpace()
                        guard at < scalars.count else { throw CocoaError(.propertyListReadCorrupt) }
                        if scalars[at] == "," { at += 1; continue }
                        if scalars[at] == "]" { at += 1; return .array(elements) }
                        throw CocoaError(.propertyListReadCorrupt)
                    }
                case "\"":
                    let start = at
                    at += 1
                    while at < scalars.count, scalars[at] != "\"" { at += scalars[at] == "\\" ? 2 : 1 }
                    at += 1
                    var s = String.UnicodeScalarView()
                    s.append(contentsOf: scalars[start..<min(at, scalars.count)])
                    return .raw(String(s))
                default:
                    let start = at
                    while at < scalars.count, !",]} \n\r\t".unicodeScalars.contains(scalars[at]) { at += 1 }
                    var s = String.UnicodeScalarView()
                    s.append(contentsOf: scalars[start..<at])
                    return .raw(String(s))
                }
            }
        }
    }
}

// MARK: - .npy members and stored zip archives written by hand (duplicate names, hostile headers)

extension CLIFuzz {
    enum Zip {
        static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            return c
        }

        static func crc32(_ bytes: [UInt8]) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
            return c ^ 0xFFFF_FFFF
        }

        static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }

        /// An uncompressed zip of `members` in order (names taken as given, duplicates allowed).
        static func stored(_ members: [(name: String, bytes: [UInt8])]) -> [UInt8] {
            var out = [UInt8](), central = [UInt8]()
            for m in members {
                let name = Array(m.name.utf8)
                let crc = crc32(m.bytes)
                let offset = UInt32(out.count)
                let common = le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21) + le32(crc) + le32(UInt32(m.bytes.count))
                    + le32(UInt32(m.bytes.count)) + le16(name.count) + le16(0)
                out += le32(0x0403_4B50) + common + name + m.bytes
                central += le32(0x0201_4B50) + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + name
            }
            let cdOffset = UInt32(out.count)
            out += central
            out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(members.count) + le16(members.count) + le32(UInt32(central.count))
                + le32(cdOffset) + le16(0)
            return out
        }

        /// A `.npy` file with a header written by hand (any descr and shape text) over `data`.
        static func npy(descr: String, shape: String, fortran: Bool = false, data: [UInt8]) -> [UInt8] {
            var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
            while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
            header += "\n"
            return [0x93] + Array("NUMPY".utf8) + [1, 0] + le16(header.utf8.count) + Array(header.utf8) + data
        }

        /// The offsets of the size/offset/count fields of every zip record in `bytes`: (what, offset).
        static func fields(_ bytes: [UInt8]) -> [(String, Int)] {
            var out = [(String, Int)]()
            var i = 0
            while i + 4 <= bytes.count {
                if bytes[i] == 0x50, bytes[i + 1] == 0x4B {
                    switch (bytes[i + 2], bytes[i + 3]) {
                    case (3, 4): out += [("local compressed size", i + 18), ("local uncompressed size", i + 22), ("local name length", i + 26)]
                    case (1, 2): out += [("central compressed size", i + 20), ("central uncompressed size", i + 24),
                                         ("central name length", i + 28), ("central local-header offset", i + 42)]
                    case (5, 6): out += [("end entry count", i + 8), ("end central size", i + 12), ("end central offset", i + 16)]
                    default: break
                    }
                }
                i += 1
            }
            return out.filter { $0.1 + 4 <= bytes.count }
        }
    }
}

// MARK: - Hostile values

extension CLIFuzz {
    /// JSON values that a setting or results field should refuse (or, a few, accept).
    static let hostileJSONValues: [String] = [
        "-1", "0", "1e400", "1e19", "4.7", "-1e400", "1e308", "9007199254740993", "18446744073709551616", "-0", "1e-320",
        "2147483648", "100001", "1000000", "5.0", "1e-300", "[[1, 2], [2, 1]]", "[[0, 0], [0, 0]]", "[[1e308, 0], [0, 1e308]]", "[[1, 0], [0, -1]]",
        "[[1e-300, 0], [0, 1e-300]]", "[1e308, -1e308]", "[-1, 2]", "NaN", "Infinity", "-Infinity", "nan", "null", "true", "false", "\"5\"", "\"\"",
        "\"cosine\"", "\"linear\"", "\"theory\"", "\"constant\"", "\"sphere\"", "\"quadratic\"", "\"f2\"", "\"code\"", "\"\\u0000\"",
        "[]", "{}", "[1]", "[1, 2]", "[[1, 0], [0, 1]]", "[[1, 2], [3]]", "[1e400]", "[null]", "[\"a\"]", "[[]]", "[NaN, 1]",
        "\"pass\"", "\"fail\"", "\"exact\"", "\"rate\"", "\"all\"", "\"0/2\"", "\"1/1\"", "\"full\"", "\"ggd1:T1:1:0.0:AA\"",
        "\"ggd-report/1\"", "\"ggd-checkpoint-1\"", "\"reference\"",
    ]

    /// Deep nesting (a recursive parser's stack) and long values, made on demand.
    static func bigJSONValue(_ k: Int) -> String {
        switch k {
        case 0: return String(repeating: "[", count: 64) + "1" + String(repeating: "]", count: 64)
        case 1: return String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        case 2: return "[" + Array(repeating: "0.5", count: 5000).joined(separator: ",") + "]"
        case 3: return "\"" + String(repeating: "x", count: 100_000) + "\""
        case 4: return String(repeating: "{\"a\": ", count: 50_000) + "1" + String(repeating: "}", count: 50_000)
        default: return "1" + String(repeating: "0", count: 400)
        }
    }

    static let hostileInts = ["-1", "0", "-5", "", "0x10", "4.7", "1e3", "nan", "inf", "1e308", "9223372036854775807",
                              "9223372036854775808", "99999999999999999999", "2147483648", "1099511627776", " 3", "+3", "1", "2", "-0",
                              "1_000", "٣"]
    static let hostileDoubles = ["-1", "0", "nan", "inf", "-inf", "1e308", "-1e308", "1e-320", "4.7", "", "0x10", "1e400", "-0", "-5",
                                 "1e19", "NaN", "1,5", "0.1"]
    static let hostileSeeds = ["-1", "0", "18446744073709551615", "18446744073709551616", "1e19", "abc", "", "4.7", "9007199254740993"]
    /// --max-memory values, none above 1G (so the address-space cap stays above any limit ggd may plan to).
    static let hostileMemory = ["0", "-1", "", "nan", "inf", "1e400", "abc", "1", "1k", "100M", "256M", "0.5", "1e-9M", "1G", "1GiB",
                                "64 M", "M", "-256M", "1e2M"]
    /// Input paths (read, never written).
    static let hostileInputPaths = ["a", ".", "/", "..", "", "-", "userdir", "userdir/", "afile.txt", "afile.txt/x", "missing/parent/file.json",
                                    "/dev/null", "/dev/zero", "/proc/self/maps", String(repeating: "n", count: 300),
                                    String(repeating: "d/", count: 600) + "f", "with space.json", "ünïcødé.json", "out", "setting.json", "net.npz",
                                    "s0.json", "base.json", "loop"]
    /// Output paths: inside the working folder, or places no one can write ("/" and under /proc).
    static let hostileOutputPaths = ["o", ".", "..", "/", "", "userdir", "userdir/", "afile.txt", "afile.txt/x", "missing/parent/out",
                                     "/proc/ggd-clifuzz/out", String(repeating: "n", count: 300), String(repeating: "d/", count: 600) + "out",
                                     "with space", "ünïcødé", "./out", "out/", "../sibling", "-", "--quiet", "setting.json", "net.npz", "loop",
                                     "loop/out"]
    static let unknownFlags = ["--no-such-flag", "-x", "---count", "--COUNT", "extra-positional", "--", "--count", "--out", "-h", "--help=x",
                               "--quiet=yes", "--force=false", "--version"]
}

// MARK: - Generator helpers

extension CLIFuzz {
    /// 0…`most` edits, fewer more likely to shrink (0 = the valid input).
    static func editCount(_ most: Int) -> Gen<Int> { Gens.int(in: 0...most) }

    /// A position in 0..<n (0 when n = 0).
    static func position(_ n: Int) -> Gen<Int> { Gens.int(in: 0...max(0, n - 1)) }

    /// Byte-level edits: flips, random bytes, inserted/deleted runs, duplicated slices, truncation, an extreme
    /// 32-bit field, invalid UTF-8; and, for a zip, a size/offset/count field of a record set to an extreme.
    static func byteEdits(_ base: [UInt8], most: Int, zip: Bool) -> Gen<([UInt8], [String])> {
        Gen { s in
            var bytes = base
            var notes = [String]()
            for _ in 0..<(try editCount(most).generate(s)) {
                let n = bytes.count
                let kind = try Gens.int(in: 0...(zip ? 8 : 7)).generate(s)
                switch kind {
                case 0:
                    let at = try position(n).generate(s)
                    let bit = try Gens.int(in: 0...7).generate(s)
                    if n > 0 { bytes[at] ^= UInt8(1) << UInt8(bit); notes.append("bit \(bit) of byte \(at) flipped") }
                case 1:
                    let at = try position(n).generate(s)
                    let v = UInt8(try Gens.int(in: 0...255).generate(s))
                    if n > 0 { bytes[at] = v; notes.append("byte \(at) set to 0x\(String(v, radix: 16))") }
                case 2:
                    let at = try Gens.int(in: 0...n).generate(s)
                    let count = try Gens.int(in: 1...16).generate(s)
                    let run = try (0..<count).map { _ in UInt8(try Gens.int(in: 0...255).generate(s)) }
                    bytes.insert(contentsOf: run, at: at)
                    notes.append("\(count) random bytes inserted at \(at)")
                case 3:
                    let at = try position(n).generate(s)
                    let count = try Gens.int(in: 1...64).generate(s)
                    if n > 0 { bytes.removeSubrange(at..<min(n, at + count)); notes.append("\(count) bytes deleted at \(at)") }
                case 4:
                    let from = try position(n).generate(s)
                    let count = try Gens.int(in: 1...256).generate(s)
                    let at = try Gens.int(in: 0...n).generate(s)
                    if n > 0 {
                        bytes.insert(contentsOf: Array(bytes[from..<min(n, from + count)]), at: at)
                        notes.append("bytes \(from)..+\(count) copied to \(at)")
                    }
                case 5:
                    let keep = try Gens.int(in: 0...n).generate(s)
                    bytes = Array(bytes.prefix(n - keep))
                    notes.append("truncated to \(bytes.count) bytes")
                case 6:
                    let at = try position(max(0, n - 3)).generate(s)
                    let v = try Gens.element(of: [[0xFF, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0x7F], [0, 0, 0, 0x80], [0, 0, 0, 0]] as [[UInt8]]).generate(s)
                    if n >= 4 { bytes.replaceSubrange(at..<(at + 4), with: v); notes.append("bytes \(at)..+4 set to \(v)") }
                case 7:
                    let at = try Gens.int(in: 0...n).generate(s)
                    let bad = try Gens.element(of: [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0x00]] as [[UInt8]]).generate(s)
                    bytes.insert(contentsOf: bad, at: at)
                    notes.append("invalid UTF-8 \(bad) inserted at \(at)")
                default:
                    let fields = Zip.fields(bytes)
                    let which = try Gens.int(in: 0...max(0, fields.count - 1)).generate(s)
                    let value = try Gens.element(of: [0xFFFF_FFFF, 0x7FFF_FFFF, 0, 0x8000_0000, 0xFFFF] as [UInt32]).generate(s)
                    if !fields.isEmpty {
                        let (what, at) = fields[which]
                        let width = what.contains("length") || what.contains("count") ? 2 : 4
                        let v = Zip.le32(value)
                        bytes.replaceSubrange(at..<(at + width), with: v.prefix(width))
                        notes.append("zip \(what) at \(at) set to 0x\(String(value, radix: 16))")
                    }
                }
            }
            return (bytes, notes)
        }
    }

    /// A JSON value for a mutation: a listed hostile one mostly, a big one (deep nesting, long) sometimes.
    static var hostileJSON: Gen<String> {
        Gens.oneOf([Gens.element(of: hostileJSONValues), Gens.int(in: 0...5).map(bigJSONValue)])
    }

    /// Structural edits of a JSON tree: a field set to a hostile value, removed, duplicated, a stray field,
    /// a known field added; `known` lists paths the format reads that the tree may lack.
    static func jsonTreeEdits(_ base: JSON, most: Int, known: [[JSON.Step]]) -> Gen<(JSON, [String])> {
        Gen { s in
            var tree = base
            var notes = [String]()
            for _ in 0..<(try editCount(most).generate(s)) {
                let paths = tree.paths()
                switch try Gens.int(in: 0...5).generate(s) {
                case 0 where !paths.isEmpty:
                    let p = paths[try position(paths.count).generate(s)]
                    let v = try hostileJSON.generate(s)
                    tree = tree.setting(p, to: .raw(v))
                    notes.append("\(JSON.pathText(p)) = \(v.prefix(60))")
                case 1 where !known.isEmpty:
                    let p = known[try position(known.count).generate(s)]
                    let v = try hostileJSON.generate(s)
                    tree = tree.setting(p, to: .raw(v))
                    notes.append("\(JSON.pathText(p)) = \(v.prefix(60))")
                case 2 where !paths.isEmpty:
                    let p = paths[try position(paths.count).generate(s)]
                    tree = tree.setting(p, to: nil)
                    notes.append("\(JSON.pathText(p)) removed")
                case 3:
                    let objects = tree.objectPaths()
                    let o = objects.isEmpty ? [] : objects[try position(objects.count).generate(s)]
                    let v = try hostileJSON.generate(s)
                    if case .object(let m)? = tree[o], let key = m.first?.key {
                        tree = tree.setting(o + [.key(key)], to: .raw(v), duplicate: true)
                        notes.append("\(JSON.pathText(o + [.key(key)])) duplicated as \(v.prefix(60))")
                    }
                case 4:
                    let objects = tree.objectPaths()
                    let o = objects.isEmpty ? [] : objects[try position(objects.count).generate(s)]
                    let key = try Gens.element(of: ["stray", "", "D", "T", "__proto__", "unknown_field", "ünï"]).generate(s)
                    let v = try hostileJSON.generate(s)
                    tree = tree.setting(o + [.key(key)], to: .raw(v), duplicate: true)
                    notes.append("stray field \(JSON.pathText(o + [.key(key)])) = \(v.prefix(60))")
                case 5 where !paths.isEmpty:
                    // An array made longer or shorter: the shapes that must agree (θ with D, A with D×d).
                    let arrays = paths.filter { if case .array = tree[$0] { return true } else { return false } }
                    guard !arrays.isEmpty else { break }
                    let p = arrays[try position(arrays.count).generate(s)]
                    if case .array(let a)? = tree[p] {
                        let grow = try Gens.bool.generate(s)
                        let next: [JSON] = grow ? a + a.prefix(1) : Array(a.dropLast())
                        tree = tree.setting(p, to: .array(next))
                        notes.append("\(JSON.pathText(p)) has \(next.count) elements instead of \(a.count)")
                    }
                default:
                    break
                }
            }
            return (tree, notes)
        }
    }

    /// Whole-document edits of JSON text: not an object at the top, a BOM, trailing garbage, NUL.
    static func documentEdit(_ text: String) -> Gen<(String, String?)> {
        Gens.oneOf([
            Gen.constant((text, nil)),
            Gens.element(of: ["[]", "1", "\"x\"", "null", "", " ", "{", "}", "{}{}", "\u{FEFF}", "\0"]).map { t in (t, "document is \(t.debugDescription)") },
            Gens.element(of: ["\u{FEFF}", "\0", " \n"]).map { p in (p + text, "prefixed with \(p.debugDescription)") },
            Gens.element(of: ["}", "garbage", "{}", "\0", ", 1"]).map { t in (text + t, "followed by \(t.debugDescription)") },
        ])
    }
}

// MARK: - The valid fixtures every family mutates

extension CLIFuzz {
    /// Valid inputs, made once per run (the checkpoint and results files by `ggd` itself).
    struct Fixtures: @unchecked Sendable {
        /// Tiny JSON settings (D ≤ 6, T = 5); the first is the one other families use.
        var settings: [JSON]
        /// Tiny .npz settings as (name, array) lists: the plain layout, and the paper's own layout.
        var npzSettings: [[(name: String, array: NumPyArray)]]
        /// A checkpoint of `ggd train --setting settings[0] --points 64 --epochs 1 --width 8 --blocks 1 --batch-size 16`.
        var checkpoint: [(name: String, array: NumPyArray)]
        /// `ggd check --property T1` results: shards 0/2 and 1/2, and an unsharded run.
        var shards: [JSON]
        var unsharded: JSON
        /// A report results.json (schema ggd-report/1).
        var report: JSON
        /// Replay tokens of real T1 cases.
        var tokens: [String]
        /// The catalog's property ids.
        var properties: [String]

        var tinySetting: [UInt8] { Array(settings[0].text.utf8) }
        var checkpointBytes: [UInt8] { CLIFuzz.npz(checkpoint.map { ($0.name, $0.array) }) }
    }

    /// A stored zip of arrays as `NAME.npy` members.
    static func npz(_ arrays: [(String, NumPyArray)]) -> [UInt8] {
        Zip.stored(arrays.map { (name: $0.0 + ".npy", bytes: NumPyFile.npyBytes($0.1)) })
    }

    /// The tiny JSON settings (every one valid; all run in well under a second).
    static var settingBases: [JSON] {
        let e1 = [1.0, 0, 0, 0, 0, 0], e2 = [0.0, 1, 0, 0, 0, 0]
        return [
            .obj(["data": .obj(["kind": .str("subspace"), "D": .num(6), "d": .num(2), "basis_seed": .num(3), "mu_u": .vec([0, 0]),
                                "Sigma_u": .mat([[1, 0], [0, 1]])]),
                  "objective": .obj(["kind": .str("f1"), "theta": .vec([1, 0, 0, 0, 0, 0])]),
                  "guidance": .obj(["sigma": .num(0.1), "beta_rule": .str("code"), "beta_coef": .num(1), "y": .num(1.5)]),
                  "diffusion": .obj(["schedule": .str("cosine"), "T": .num(5)])]),
            .obj(["data": .obj(["A": .mat((0..<6).map { [e1[$0], e2[$0]] })]),
                  "objective": .obj(["kind": .str("f2"), "theta": .vec([0.5, 0.5, 0, 0, 0, 0]), "b": .vec([1, 1, 0, 0, 0, 0])]),
                  "guidance": .obj(["beta_rule": .str("theory"), "sigma": .num(0.5)]),
                  "diffusion": .obj(["schedule": .str("linear"), "T": .num(5)])]),
            .obj(["data": .obj(["kind": .str("sphere"), "D": .num(4)]),
                  "objective": .obj(["kind": .str("linear"), "theta": .vec([1, 0, 0, 0])]),
                  "diffusion": .obj(["T": .num(5)])]),
            .obj(["data": .obj(["D": .num(5), "d": .num(2), "mixture": .obj(["weights": .vec([0.5, 0.5]), "means": .mat([[1, 0], [-1, 0]]),
                                                                               "covariances": .array([.mat([[1, 0], [0, 1]]), .mat([[0.5, 0], [0, 0.5]])])])]),
                  "objective": .obj(["kind": .str("quadratic"), "c": .vec([1, 0, 0, 0, 0]), "Q": .mat((0..<5).map { i in (0..<5).map { $0 == i ? -1.0 : 0 } })]),
                  "guidance": .obj(["beta_rule": .str("constant"), "beta": .num(2)]),
                  "diffusion": .obj(["T": .num(5)])]),
            .obj(["data": .obj(["D": .num(6), "d": .num(2)]), "objective": .obj(["theta": .vec([0, 0, 1, 0, 0, 0])]), "diffusion": .obj(["T": .num(5)])]),
        ]
    }

    /// Paths a setting reads that a base may lack (so an edit can add them).
    static let settingPaths: [[JSON.Step]] = [
        "data.kind", "data.D", "data.d", "data.A", "data.basis_seed", "data.mu_u", "data.Sigma_u", "data.mixture", "data.mixture.weights",
        "data.mixture.means", "data.mixture.covariances", "objective.kind", "objective.theta", "objective.b", "objective.c", "objective.Q",
        "objective.target", "objective.peak", "guidance.sigma", "guidance.beta_rule", "guidance.beta", "guidance.beta_coef", "guidance.g",
        "guidance.y", "diffusion.schedule", "diffusion.T", "origin", "data", "objective", "guidance", "diffusion",
    ].map { $0.split(separator: ".").map { .key(String($0)) } }

    static var npzSettingBases: [[(name: String, array: NumPyArray)]] {
        let a = try! NumPyArray([1.0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0], shape: [6, 2])
        let paperA = try! NumPyArray([1.0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0], shape: [2, 6])
        return [
            [("A", a), ("theta", NumPyArray([1.0, 0, 0, 0, 0, 0])), ("sigma", NumPyArray(scalar: 0.1)), ("T", NumPyArray(scalar: Int64(5))),
             ("objective_code", NumPyArray(scalar: Int64(1))), ("beta_rule_code", NumPyArray(scalar: Int64(0))),
             ("schedule_code", NumPyArray(scalar: Int64(0))), ("mu_u", NumPyArray([0.0, 0])),
             ("Sigma_u", try! NumPyArray([1.0, 0, 0, 1], shape: [2, 2])), ("y", NumPyArray(scalar: 1.5))],
            [("A", paperA), ("theta_1", NumPyArray([1.0, 0, 0, 0, 0, 0])), ("theta_2", NumPyArray([0.0, 1, 0, 0, 0, 0])),
             ("d_inner", NumPyArray(scalar: Int64(2))), ("d_outer", NumPyArray(scalar: Int64(6)))],
            [("D", NumPyArray(scalar: 4.0)), ("d", NumPyArray(scalar: 2.0)), ("T", NumPyArray(scalar: 5.0)), ("sphere", NumPyArray(scalar: Int64(0))),
             ("basis_seed", NumPyArray(scalar: UInt64(9))), ("Q", try! NumPyArray([-1.0, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1], shape: [4, 4])),
             ("c", NumPyArray([0.5, 0, 0, 0]))],
        ]
    }

    /// A hand-written report results.json, like `Reports/baseline`'s but tiny.
    static var reportBase: JSON {
        .obj(["schema": .str("ggd-report/1"),
              "provenance": .obj(["toolVersion": .str("t"), "gitCommit": .str("c"), "command": .str("ggd report"), "profile": .str("ci"),
                                  "catalogSeed": .num(1), "studySeed": .num(2), "roundScale": .num(0.2), "cpu": .str("cpu"), "blasLibrary": .str("b"),
                                  "blasCore": .str("k"), "blasThreads": .num(1), "falseFailRate": .num(0.001), "startedAt": .str("now"),
                                  "wallSeconds": .num(1)]),
              "claims": .array([
                  .obj(["id": .str("T1"), "title": .str("t"), "claim": .str("c"), "kind": .str("exact"), "verdict": .str("pass"), "cases": .num(4),
                        "failedCases": .num(0), "statistic": .str("s"), "predicted": .str("p"), "measured": .str("m"), "failureTokens": .array([]),
                        "seconds": .num(0.25)]),
                  .obj(["id": .str("S0-law"), "title": .str("t"), "claim": .str("c"), "kind": .str("statistical"), "verdict": .str("fail"),
                        "cases": .num(4), "failedCases": .num(1), "statistic": .str("s"), "predicted": .str("p"), "measured": .str("m"),
                        "failureTokens": .array([.str("ggd1:S0-law:800:0.0001:AA")]), "seconds": .num(0.5)]),
              ]),
              "metrics": .array([
                  .obj(["name": .str("reproduction.r_off"), "value": .num(0.2), "tolerance": .obj(["absolute": .num(0), "relative": .num(0.05)]),
                        "meaning": .str("m")]),
                  .obj(["name": .str("reproduction.gap"), "value": .num(-3.5), "tolerance": .obj(["absolute": .num(0.1), "relative": .num(0)]),
                        "meaning": .str("m")]),
              ]),
              "figures": .array([.obj(["id": .str("f"), "title": .str("f"), "series": .array([.str("a")]), "points": .num(3)])])])
    }
}

// MARK: - Array edits of .npz inputs (settings and checkpoints)

extension CLIFuzz {
    static let hostileScalars: [Double] = [0, -1, 1, 4.7, 1e19, 1e308, .nan, .infinity, -.infinity, 9_007_199_254_740_993, 65536, 1e6, 2, 5, -0.0,
                                           1e-320, 2_147_483_648, 9.3e18]
    static let dtypes: [NumPyDType] = [.float64, .int64, .float32, .bool, .uint8, .int8, .uint64, .int32]
    static let wrongShapes: [[Int]] = [[0], [1], [7], [3, 3], [6, 2, 1], [2, 6], [1, 1], [0, 0], [6, 0], [1, 6], [12], [1, 1, 1, 1]]

    /// `values` as an array of `dtype` (integers clamped, NaN → 0).
    static func array(_ values: [Double], shape: [Int], dtype: NumPyDType) -> NumPyArray {
        func int(_ v: Double) -> Double { v.isNaN ? 0 : v.rounded(.towardZero) }
        switch dtype {
        case .float64: return try! NumPyArray(values, shape: shape)
        case .float32: return try! NumPyArray(values.map { Float($0) }, shape: shape)
        case .int64: return try! NumPyArray(values.map { Int64(clamping: Int(exactly: int(max(min($0, 9.2e18), -9.2e18))) ?? 0) }, shape: shape)
        case .int32: return try! NumPyArray(values.map { Int32(clamping: Int(exactly: int(max(min($0, 9.2e18), -9.2e18))) ?? 0) }, shape: shape)
        case .uint64: return try! NumPyArray(values.map { UInt64(clamping: Int(exactly: int(max(min($0, 9.2e18), -9.2e18))) ?? 0) }, shape: shape)
        case .uint8: return try! NumPyArray(values.map { UInt8(clamping: Int(exactly: int(max(min($0, 1e6), -1e6))) ?? 0) }, shape: shape)
        case .int8: return try! NumPyArray(values.map { Int8(clamping: Int(exactly: int(max(min($0, 1e6), -1e6))) ?? 0) }, shape: shape)
        case .bool: return try! NumPyArray(values.map { $0 != 0 }, shape: shape)
        default: return try! NumPyArray(values, shape: shape)
        }
    }

    static let strayArrays = ["extra", "theta_1", "d_outer", "D", "T", "sphere", "configuration", "params", "", "a/b", "../A"]
    static let hostileHeaders: [(descr: String, shape: String)] = [
        ("<f8", "(99999999999,)"), ("<f8", "(-1,)"), ("<f8", "(2147483648, 2147483648)"), ("<f8", "(0,)"), ("<f8", "(6, 2, 1)"), ("<f8", "()"),
        ("<f8", "(4611686018427387904, 4)"), ("<c16", "(2,)"), ("|O", "(2,)"), ("<U3", "(2,)"), (">f8", "(2,)"), ("<f2", "(2,)"), ("<f8", "(1e3,)"),
        ("<f8", "(2, -2)"), ("<f8", "[2]"),
    ]

    /// Edits of an archive's arrays (value, shape, dtype, removal, strays, duplicates, hostile members,
    /// renames), then byte edits of the zip itself.
    static func npzEdits(_ base: [(name: String, array: NumPyArray)], most: Int, configuration: Bool = false) -> Gen<([UInt8], [String])> {
        Gen { s in
            var members: [(name: String, bytes: [UInt8])] = base.map { ($0.name + ".npy", NumPyFile.npyBytes($0.array)) }
            var notes = [String]()
            func pick() throws -> Int { try position(members.count).generate(s) }
            func name(_ i: Int) -> String { String(members[i].name.dropLast(4)) }
            for _ in 0..<(try editCount(most).generate(s)) {
                switch try Gens.int(in: 0...(configuration ? 8 : 7)).generate(s) {
                case 0 where !members.isEmpty:
                    let i = try pick()
                    let dtype = try Gens.element(of: dtypes).generate(s)
                    let v = try Gens.element(of: hostileScalars).generate(s)
                    let rank = try Gens.int(in: 0...2).generate(s)
                    let shape = [[], [1], [1, 1]][rank]
                    members[i].bytes = NumPyFile.npyBytes(array([v], shape: shape, dtype: dtype))
                    notes.append("\(name(i)) = \(v) as \(dtype) shape \(shape)")
                case 1 where !members.isEmpty:
                    let i = try pick()
                    let shape = try Gens.element(of: wrongShapes).generate(s)
                    let dtype = try Gens.element(of: dtypes).generate(s)
                    members[i].bytes = NumPyFile.npyBytes(array([Double](repeating: 0.5, count: shape.reduce(1, *)), shape: shape, dtype: dtype))
                    notes.append("\(name(i)) has shape \(shape), \(dtype)")
                case 2 where !members.isEmpty:
                    let i = try pick()
                    let dtype = try Gens.element(of: dtypes).generate(s)
                    if let original = base.first(where: { $0.name + ".npy" == members[i].name })?.array {
                        members[i].bytes = NumPyFile.npyBytes(array(original.doubles, shape: original.shape, dtype: dtype))
                        notes.append("\(name(i)) converted to \(dtype)")
                    }
                case 3 where !members.isEmpty:
                    let i = try pick()
                    notes.append("\(name(i)) removed")
                    members.remove(at: i)
                case 4:
                    let stray = try Gens.element(of: strayArrays).generate(s)
                    let v = try Gens.element(of: hostileScalars).generate(s)
                    members.append((stray + ".npy", NumPyFile.npyBytes(NumPyArray(scalar: v))))
                    notes.append("stray array '\(stray)' = \(v)")
                case 5 where !members.isEmpty:
                    let i = try pick()
                    let v = try Gens.element(of: hostileScalars).generate(s)
                    members.append((members[i].name, NumPyFile.npyBytes(NumPyArray(scalar: v))))
                    notes.append("\(name(i)) stored twice (second = \(v))")
                case 6 where !members.isEmpty:
                    let i = try pick()
                    let h = try Gens.element(of: hostileHeaders).generate(s)
                    members[i].bytes = Zip.npy(descr: h.descr, shape: h.shape, data: [UInt8](repeating: 0, count: 16))
                    notes.append("\(name(i)) has header descr \(h.descr) shape \(h.shape) over 16 bytes")
                case 7 where !members.isEmpty:
                    let i = try pick()
                    let renamed = try Gens.element(of: ["A.npy.npy", "", ".npy", "../A.npy", "a/b.npy", "THETA.npy", "theta", "ü.npy"]).generate(s)
                    notes.append("member \(members[i].name) renamed \(renamed)")
                    members[i].name = renamed
                case 8:
                    // The checkpoint's configuration JSON, edited as a tree.
                    if let i = members.firstIndex(where: { $0.name == "configuration.npy" }),
                       let text = (try? NumPyFile.readNPY(members[i].bytes)).flatMap({ $0.values(as: UInt8.self) }).map({ String(decoding: $0, as: UTF8.self) }),
                       let tree = try? JSON.parse(text) {
                        let known: [[JSON.Step]] = ["architecture.width", "architecture.dimension", "architecture.blocks", "points", "epochs", "batchSize",
                                                    "learningRate", "beta1", "beta2", "steps", "seed", "schedule"].map { $0.split(separator: ".").map { .key(String($0)) } }
                        let (edited, edits) = try jsonTreeEdits(tree, most: 2, known: known).generate(s)
                        members[i].bytes = NumPyFile.npyBytes(NumPyArray(Array(edited.text.utf8)))
                        notes += edits.map { "configuration: " + $0 }
                    }
                default:
                    break
                }
            }
            let (bytes, byteNotes) = try byteEdits(Zip.stored(members), most: 2, zip: true).generate(s)
            return (bytes, notes + byteNotes)
        }
    }
}

// MARK: - The families

extension CLIFuzz {
    /// Appended to every command that takes it: the memory policy the address-space cap is sized above.
    static let memoryFlags = ["--max-memory", "256M"]

    static func settingCommands(_ file: String) -> [[String]] {
        [
            ["sample", "--setting", file, "--count", "8", "--out", "out", "--quiet"] + memoryFlags,
            ["optimize", "--setting", file, "--rounds", "2", "--batch-size", "4", "--out", "out", "--quiet"] + memoryFlags,
            ["law", "--setting", file, "--guided", "--out", "out", "--quiet"] + memoryFlags,
            ["sample", "--setting", file, "--count", "8", "--guided", "--out", "out", "--quiet"] + memoryFlags,
            ["train", "--setting", file, "--points", "64", "--epochs", "1", "--width", "8", "--blocks", "1", "--batch-size", "16",
             "--threads", "1", "--checkpoint", "net.npz", "--quiet"] + memoryFlags,
            ["sample", "--setting", file, "--score", "linear", "--pretraining-size", "64", "--count", "8", "--out", "out", "--quiet"] + memoryFlags,
            ["optimize", "--setting", file, "--algorithm", "2", "--rounds", "2", "--batch-size", "4", "--fine-tune-start", "1", "--score", "linear",
             "--pretraining-size", "64", "--out", "out", "--quiet"] + memoryFlags,
            ["sample", "--setting", file, "--sampler", "continuous", "--guided", "--count", "8", "--out", "out", "--quiet"] + memoryFlags,
        ]
    }

    /// What lies at the output path before the run (mostly nothing).
    static var preexisting: Gen<Preexisting> {
        Gens.oneOf([Gen.constant(.absent), Gen.constant(.absent), Gens.element(of: Preexisting.allCases)])
    }

    static func generator(_ family: Family, _ f: Fixtures) -> Gen<Case> {
        switch family {
        case .settingJSON: return settingJSONCases(f)
        case .settingNPZ: return settingNPZCases(f)
        case .checkpoint: return checkpointCases(f)
        case .results: return resultsCases(f)
        case .tokens: return tokenCases(f)
        case .options: return optionCases(f)
        }
    }

    /// Consistent but large or odd sizes (D, d) with θ, μ_u and Σ_u of matching shapes and T = 5, so the run
    /// gets past the shape checks to the memory policy and the numerics.
    static let resizes: [(D: Int, d: Int)] = [(1, 1), (2, 1), (1000, 2), (65536, 2), (1000, 1000), (3000, 3000), (65536, 64), (6, 7),
                                              (20000, 20000), (6, 6), (250_000, 1)]

    static func resized(_ tree: JSON, D: Int, d: Int) -> JSON {
        var t = tree
        for key in ["A", "mu_u", "Sigma_u", "mixture", "basis_seed"] { t = t.setting([.key("data"), .key(key)], to: nil) }
        for key in ["b", "c", "Q", "kind"] { t = t.setting([.key("objective"), .key(key)], to: nil) }
        let sphere: Bool = { if case .raw("\"sphere\"")? = t[[.key("data"), .key("kind")]] { return true } else { return false } }()
        t = t.setting([.key("data"), .key("D")], to: .num(Double(D)))
        t = t.setting([.key("data"), .key("d")], to: sphere ? nil : .num(Double(d)))
        if !sphere && d <= 64 {
            t = t.setting([.key("data"), .key("mu_u")], to: .vec([Double](repeating: 0, count: d)))
            t = t.setting([.key("data"), .key("Sigma_u")], to: .mat((0..<d).map { i in (0..<d).map { $0 == i ? 1.0 : 0 } }))
        }
        t = t.setting([.key("objective"), .key("kind")], to: .str(sphere ? "linear" : "f1"))
        t = t.setting([.key("objective"), .key("theta")], to: .raw("[1" + String(repeating: ", 0", count: D - 1) + "]"))
        return t.setting([.key("diffusion"), .key("T")], to: .num(5))
    }

    static func settingJSONCases(_ f: Fixtures) -> Gen<Case> {
        Gen { s in
            let base = try Gens.element(of: f.settings).generate(s)
            let command = try Gens.element(of: settingCommands("setting.json")).generate(s)
            var (tree, edits) = try jsonTreeEdits(base, most: 4, known: settingPaths).generate(s)
            if try Gens.int(in: 0...4).generate(s) == 4 {
                let size = try Gens.element(of: resizes).generate(s)
                tree = resized(tree, D: size.D, d: size.d)
                edits.append("resized to D = \(size.D), d = \(size.d) (θ, μ_u, Σ_u to match, T = 5)")
            }
            let (text, documentNote) = try documentEdit(tree.text).generate(s)
            let (bytes, byteNotes) = try byteEdits(Array(text.utf8), most: 2, zip: false).generate(s)
            let before = try preexisting.generate(s)
            return Case(family: .settingJSON, arguments: command, files: [InputFile(path: "setting.json", bytes: bytes)], preexisting: before,
                        notes: edits + (documentNote.map { [$0] } ?? []) + byteNotes)
        }
    }

    static func settingNPZCases(_ f: Fixtures) -> Gen<Case> {
        Gen { s in
            let base = try Gens.element(of: f.npzSettings).generate(s)
            let command = try Gens.element(of: settingCommands("setting.npz")).generate(s)
            let (bytes, notes) = try npzEdits(base, most: 4).generate(s)
            let before = try preexisting.generate(s)
            return Case(family: .settingNPZ, arguments: command, files: [InputFile(path: "setting.npz", bytes: bytes)], preexisting: before, notes: notes)
        }
    }

    static func checkpointCases(_ f: Fixtures) -> Gen<Case> {
        Gen { s in
            let commands: [[String]] = [
                ["sample", "--setting", "setting.json", "--network", "net.npz", "--count", "8", "--out", "out", "--quiet"] + memoryFlags,
                ["optimize", "--setting", "setting.json", "--algorithm", "2", "--network", "net.npz", "--rounds", "2", "--batch-size", "4",
                 "--fine-tune-start", "1", "--out", "out", "--quiet"] + memoryFlags,
                ["train", "--setting", "setting.json", "--points", "64", "--epochs", "2", "--width", "8", "--blocks", "1", "--batch-size", "16",
                 "--threads", "1", "--checkpoint", "net.npz", "--resume", "--quiet"] + memoryFlags,
                ["law", "--setting", "setting.json", "--network", "net.npz", "--guided", "--out", "out", "--quiet"] + memoryFlags,
                ["optimize", "--setting", "setting.json", "--network", "net.npz", "--rounds", "2", "--batch-size", "4", "--out", "out", "--quiet"] + memoryFlags,
                ["optimize", "--setting", "setting.json", "--algorithm", "2", "--fine-tune-mode", "weighted", "--network", "net.npz", "--rounds", "2",
                 "--batch-size", "4", "--fine-tune-start", "1", "--out", "out", "--quiet"] + memoryFlags,
                ["sample", "--setting", "setting.json", "--network", "net.npz", "--guided", "--count", "8", "--out", "out", "--quiet"] + memoryFlags,
            ]
            let command = try Gens.element(of: commands).generate(s)
            let (bytes, notes) = try npzEdits(f.checkpoint, most: 4, configuration: true).generate(s)
            let before = try preexisting.generate(s)
            return Case(family: .checkpoint, arguments: command,
                        files: [InputFile(path: "setting.json", bytes: f.tinySetting), InputFile(path: "net.npz", bytes: bytes)], preexisting: before, notes: notes)
        }
    }

    static func resultsCases(_ f: Fixtures) -> Gen<Case> {
        Gen { s in
            let merge = ["--out", "merged.json", "--regressions", "reg", "--quiet"] + memoryFlags
            let shard0 = f.shards[0], shard1 = f.shards[1]
            // (arguments, the files as (name, tree), which file is edited)
            let layouts: [([String], [(String, JSON)])] = [
                (["merge", "s0.json", "s1.json"] + merge, [("s0.json", shard0), ("s1.json", shard1)]),
                (["compare", "base.json", "new.json"], [("new.json", f.report), ("base.json", f.report)]),
                (["merge", "all.json"] + merge, [("all.json", f.unsharded)]),
                (["compare", "base.json", "new.json"], [("base.json", f.report), ("new.json", f.report)]),
                (["merge", "s1.json", "s0.json"] + merge, [("s1.json", shard1), ("s0.json", shard0)]),
                (["compare", "all.json", "s0.json"], [("all.json", f.unsharded), ("s0.json", shard0)]),
                (["merge", "s0.json", "s0.json"] + merge, [("s0.json", shard0)]),
                (["merge", "s0.json", "s1.json", "all.json"] + merge, [("all.json", f.unsharded), ("s0.json", shard0), ("s1.json", shard1)]),
            ]
            let (arguments, files) = try Gens.element(of: layouts).generate(s)
            // The first file is edited; the others stay valid.
            let (tree, edits) = try jsonTreeEdits(files[0].1, most: 4, known: []).generate(s)
            let (text, documentNote) = try documentEdit(tree.text).generate(s)
            let (bytes, byteNotes) = try byteEdits(Array(text.utf8), most: 2, zip: false).generate(s)
            var inputs = [InputFile(path: files[0].0, bytes: bytes)]
            for (name, t) in files.dropFirst() { inputs.append(InputFile(path: name, bytes: Array(t.text.utf8))) }
            let before = arguments[0] == "merge" ? try preexisting.generate(s) : .absent
            return Case(family: .results, arguments: arguments, files: inputs, preexisting: before,
                        notes: edits.map { "\(files[0].0): \($0)" } + (documentNote.map { ["\(files[0].0): \($0)"] } ?? []) + byteNotes.map { "\(files[0].0): \($0)" })
        }
    }

    /// A token's choice field for `choices`.
    static func choiceField(_ choices: [UInt64]) -> String {
        String(ReplayToken(property: "x", effort: 1, threshold: 0, choices: choices).description.split(separator: ":", omittingEmptySubsequences: false).last!)
    }

    static func tokenCases(_ f: Fixtures) -> Gen<Case> {
        let choice: Gen<UInt64> = Gens.oneOf([
            Gens.int(in: 0...300).map { UInt64($0) },
            Gen { s in (try s.draw(below: 1 << 32) << 32) | (try s.draw(below: 1 << 32)) },
        ])
        let randomToken: Gen<(String, String)> = Gen { s in
            let property = try Gens.element(of: f.properties + ["", "t1", "T9", "cli-options", "T1 ", "ünï"]).generate(s)
            let effort = try Gens.element(of: ["1", "2", "1", "0", "-1", "100000001", "99999999999999999999", "1.5", "", "x", "16", "3"]).generate(s)
            let threshold = try Gens.element(of: ["0.0", "0", "1e-4", "nan", "inf", "-0", "2", "1e-320", "", "0.5"]).generate(s)
            let n = try Gens.int(in: 0...12).generate(s)
            let choices = try Gens.array(choice, count: n).generate(s)
            return ("ggd1:\(property):\(effort):\(threshold):\(choiceField(choices))", "random token for \(property.isEmpty ? "''" : property)")
        }
        let mutatedToken: Gen<(String, String)> = Gen { s in
            let token = try Gens.element(of: f.tokens).generate(s)
            var fields = token.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            switch try Gens.int(in: 0...6).generate(s) {
            case 0:
                return (token, "valid")
            case 6:
                let i = try Gens.int(in: 0...4).generate(s)
                let v = try Gens.element(of: ["", "ggd2", "GGD1", "T1-vjp", "S0-law", "0", "-1", "1e400", "nan", "999999999", "AA==", "A=A", "+/+/",
                                              "😀", "x y", "_________8", "gICAgICAgICAgAE", String(repeating: "A", count: 100_000)]).generate(s)
                fields[i] = v
                return (fields.joined(separator: ":"), "field \(i) = \(v.prefix(40))")
            case 1:
                let extra = try Gens.element(of: [":", "::", ":x", " ", "\n", "\t", "\u{FEFF}", "\u{200B}"]).generate(s)
                return (token + extra, "followed by \(extra.debugDescription)")
            case 2:
                let (bytes, notes) = try byteEdits(Array(token.utf8), most: 3, zip: false).generate(s)
                return (String(decoding: bytes.filter { $0 != 0 }, as: UTF8.self), "bytes: " + notes.joined(separator: ", "))
            case 3:
                let n = try Gens.int(in: 0...12).generate(s)
                fields[4] = choiceField(try Gens.array(choice, count: n).generate(s))
                return (fields.joined(separator: ":"), "\(n) random choices")
            case 4:
                return (String(token.dropLast(try Gens.int(in: 1...10).generate(s))), "truncated")
            default:
                return (fields.dropLast().joined(separator: ":"), "choices field missing")
            }
        }
        let garbage: Gen<(String, String)> = Gens.element(of: ["", "ggd1", "ggd1::::", "ggd1:T1:1:0.0:", "-", "--", "--help", "ggd1:T1:1:0.0:AA:BB",
                                                               "ggd1:T1:1:0.0:" + String(repeating: "_", count: 200)]).map { ($0, "garbage") }
        return Gen { s in
            let (token, note) = try Gens.oneOf([mutatedToken, randomToken, garbage]).generate(s)
            let layouts: [[String]] = [
                ["check", "--replay", token, "--no-regressions", "--quiet"] + memoryFlags,
                ["check", "--replay", token, "--no-regressions", "--out", "r.json", "--quiet"] + memoryFlags,
                ["check", "--replay=" + token, "--regressions", "reg", "--out", "r.json", "--quiet"] + memoryFlags,
                ["check", "--replay", token, "--replay", f.tokens[0], "--no-regressions", "--quiet"] + memoryFlags,
                ["check", "--replay", token, "--property", "T1", "--budget", "T1=1,1", "--no-regressions", "--quiet"] + memoryFlags,
                ["check", "--replay", token, "--shard", "0/2", "--no-regressions", "--out", "r.json", "--quiet"] + memoryFlags,
            ]
            let arguments = try Gens.element(of: layouts).generate(s)
            let before = arguments.contains("--out") ? try preexisting.generate(s) : .absent
            return Case(family: .tokens, arguments: arguments, preexisting: before, notes: [note])
        }
    }

    // MARK: Options

    enum ValueClass {
        case int, double, seed, memory, inPath, outPath, choice([String])
    }

    /// A command's valid tiny invocation and the options an edit may set.
    struct OptionBase {
        var arguments: [String]
        var files: [String]
        var options: [(String, ValueClass)]
        var flags: [String]
    }

    static let settingOptions: [(String, ValueClass)] = [
        ("--setting", .inPath), ("--T", .int), ("--schedule", .choice(["cosine", "linear", "", "COSINE", "cosine "])), ("--sigma", .double),
        ("--beta-rule", .choice(["code", "theory", "constant", "", "magic"])), ("--beta", .double), ("--beta-coef", .double),
        ("--paper-variant", .choice(["f1-theta1", "f1-theta2", "f2-b1", "f2-b2", "sphere", "f3", ""])), ("--seed", .seed), ("--max-memory", .memory),
    ]
    static let samplerOptions: [(String, ValueClass)] = [
        ("--score", .choice(["exact", "linear", "network", ""])), ("--pretraining-size", .int), ("--network", .inPath), ("--threads", .int),
        ("--out", .outPath),
    ]

    static var optionBases: [OptionBase] {
        let settingFlags = ["--quiet", "--force", "--paper-setting"]
        return [
            OptionBase(arguments: ["sample", "--setting", "setting.json", "--count", "8", "--out", "out", "--quiet"] + memoryFlags, files: ["setting.json"],
                       options: settingOptions + samplerOptions + [("--count", .int), ("--sampler", .choice(["ddpm", "continuous", "euler"])),
                                                                   ("--method", .choice(["exponential", "euler-maruyama", "rk4"])),
                                                                   ("--guidance", .choice(["lookahead", "naive", "both"])), ("--delta", .double)],
                       flags: settingFlags + ["--guided"]),
            OptionBase(arguments: ["optimize", "--setting", "setting.json", "--rounds", "2", "--batch-size", "4", "--out", "out", "--quiet"] + memoryFlags,
                       files: ["setting.json"],
                       options: settingOptions + samplerOptions + [("--algorithm", .choice(["1", "2", "3", "0", ""])), ("--rounds", .int), ("--batch-size", .int),
                                                                   ("--delta", .double), ("--guidance", .choice(["lookahead", "naive"])),
                                                                   ("--gradient-point", .choice(["per-sample", "batch-mean", "x"])),
                                                                   ("--preset", .choice(["practice", "theory", "x"])), ("--lambda", .double),
                                                                   ("--fine-tune-start", .int), ("--fine-tune-lr", .double),
                                                                   ("--fine-tune-mode", .choice(["reference", "weighted", "x"])), ("--fine-tune-weight", .double),
                                                                   ("--sampler", .choice(["ddpm", "continuous", "x"]))],
                       flags: settingFlags),
            OptionBase(arguments: ["optimize", "--setting", "setting.json", "--algorithm", "2", "--rounds", "2", "--batch-size", "4", "--fine-tune-start", "1",
                                   "--network", "net.npz", "--out", "out", "--quiet"] + memoryFlags,
                       files: ["setting.json", "net.npz"],
                       options: settingOptions + samplerOptions + [("--rounds", .int), ("--batch-size", .int), ("--fine-tune-start", .int),
                                                                   ("--fine-tune-lr", .double), ("--fine-tune-mode", .choice(["reference", "weighted", "x"])),
                                                                   ("--fine-tune-weight", .double), ("--preset", .choice(["practice", "theory"]))],
                       flags: settingFlags),
            OptionBase(arguments: ["law", "--setting", "setting.json", "--guided", "--out", "out", "--quiet"] + memoryFlags, files: ["setting.json"],
                       options: settingOptions + samplerOptions + [("--guidance", .choice(["lookahead", "naive", "x"])), ("--delta", .double)],
                       flags: settingFlags + ["--guided"]),
            OptionBase(arguments: ["train", "--setting", "setting.json", "--points", "64", "--epochs", "1", "--width", "8", "--blocks", "1", "--batch-size", "16",
                                   "--threads", "1", "--checkpoint", "net-new.npz", "--quiet"] + memoryFlags,
                       files: ["setting.json", "net.npz"],
                       options: settingOptions + [("--points", .int), ("--epochs", .int), ("--batch-size", .int), ("--lr", .double), ("--width", .int),
                                                  ("--blocks", .int), ("--checkpoint", .outPath), ("--threads", .int),
                                                  ("--backend", .choice(["openblas-float", "cuda-float", "tpu", ""]))],
                       flags: settingFlags + ["--resume"]),
            OptionBase(arguments: ["check", "--property", "T1", "--budget", "T1=1,1", "--no-regressions", "--out", "r.json", "--quiet"] + memoryFlags,
                       files: [],
                       options: [("--profile", .choice(["ci", "full", "", "CI"])), ("--seed", .seed),
                                 ("--property", .choice(["T1", "T1-vjp", "L3-beta", "P1", "S0-support", "", "t1", "T9", "all", "T1,T2"])),
                                 ("--shard", .choice(["0/2", "1/2", "0/1", "1/1", "2/2", "-1/2", "0/0", "a/b", "1/0", "0/9223372036854775807", "", "0/2/3"])),
                                 ("--budget", .choice(["T1=1,1", "T1=0,0", "T1=-1,1", "T1=1,-1", "T1=1,99999999999", "T1=1e3,1", "=1,1", "T1", "T1=1",
                                                       "nope=1,1", "T1=1,1,1", "T1=2147483648,1", "T1=1,2147483648", "T1-vjp=1,1", "T1=,", "T1=1.5,1"])),
                                 ("--mutant", .choice(["naive-in-place-of-lookahead", "noise-at-last-step", "", "nope"])), ("--regressions", .outPath), ("--out", .outPath),
                                 ("--max-memory", .memory)],
                       flags: ["--quiet", "--force", "--no-regressions"]),
            OptionBase(arguments: ["merge", "s0.json", "s1.json", "--out", "merged.json", "--regressions", "reg", "--quiet"] + memoryFlags,
                       files: ["s0.json", "s1.json"],
                       options: [("--out", .outPath), ("--mutant", .choice(["naive-in-place-of-lookahead", "noise-at-last-step", "", "nope"])), ("--regressions", .outPath),
                                 ("--max-memory", .memory)],
                       flags: ["--quiet", "--force"]),
            OptionBase(arguments: ["compare", "base.json", "new.json"], files: ["base.json", "new.json"], options: [], flags: []),
        ]
    }

    static func hostileValue(_ c: ValueClass) -> Gen<String> {
        switch c {
        case .int: return Gens.element(of: hostileInts)
        case .double: return Gens.element(of: hostileDoubles)
        case .seed: return Gens.element(of: hostileSeeds)
        case .memory: return Gens.element(of: hostileMemory)
        case .inPath: return Gens.element(of: hostileInputPaths)
        case .outPath: return Gens.element(of: hostileOutputPaths)
        case .choice(let values): return Gens.element(of: values)
        }
    }

    static func optionCases(_ f: Fixtures) -> Gen<Case> {
        Gen { s in
            let base = try Gens.element(of: optionBases).generate(s)
            var args = base.arguments
            var notes = [String]()
            for _ in 0..<(try editCount(3).generate(s)) {
                switch try Gens.int(in: 0...5).generate(s) {
                case 0 where !base.options.isEmpty:
                    let (option, valueClass) = base.options[try position(base.options.count).generate(s)]
                    let value = try hostileValue(valueClass).generate(s)
                    let joined = try Gens.bool.generate(s)
                    if let i = args.lastIndex(of: option), i + 1 < args.count, !joined {
                        args[i + 1] = value
                    } else if joined {
                        args.removeAll { $0.hasPrefix(option + "=") }
                        if let i = args.lastIndex(of: option), i + 1 < args.count { args.removeSubrange(i...(i + 1)) }
                        args.append(option + "=" + value)
                    } else {
                        args += [option, value]
                    }
                    notes.append("\(option) \(shellQuoted(value))")
                case 1:
                    let flag = try Gens.element(of: unknownFlags).generate(s)
                    let at = try Gens.int(in: 1...args.count).generate(s)
                    args.insert(flag, at: at)
                    notes.append("\(flag) inserted at \(at)")
                case 2 where !base.flags.isEmpty:
                    let flag = try Gens.element(of: base.flags).generate(s)
                    args.append(flag)
                    notes.append("\(flag) added")
                case 3 where args.count > 1:
                    // A positional file argument (merge, compare) replaced by a hostile path.
                    let positional = args.indices.filter { $0 > 0 && args[$0].hasSuffix(".json") && !args[$0 - 1].hasPrefix("--") }
                    guard !positional.isEmpty else { break }
                    let i = positional[try position(positional.count).generate(s)]
                    let path = try Gens.element(of: hostileInputPaths).generate(s)
                    args[i] = path
                    notes.append("argument \(i) = \(shellQuoted(path))")
                case 4:
                    // The last option left without its value.
                    if let i = args.lastIndex(where: { $0.hasPrefix("--") && !base.flags.contains($0) && $0 != "--no-regressions" }), i + 1 < args.count {
                        args.remove(at: i + 1)
                        notes.append("\(args[i]) without its value")
                    }
                case 5:
                    let n = try Gens.int(in: 2...3).generate(s)
                    if let i = args.indices.dropFirst().first(where: { args[$0].hasPrefix("--") && args[$0] != "--quiet" }), i + 1 < args.count {
                        for _ in 1..<n { args += [args[i], args[i + 1]] }
                        notes.append("\(args[i]) given \(n) times")
                    }
                default:
                    break
                }
            }
            let before = try preexisting.generate(s)
            var files = [InputFile]()
            for name in base.files {
                switch name {
                case "setting.json": files.append(InputFile(path: name, bytes: f.tinySetting))
                case "net.npz": files.append(InputFile(path: name, bytes: f.checkpointBytes))
                case "s0.json": files.append(InputFile(path: name, bytes: Array(f.shards[0].text.utf8)))
                case "s1.json": files.append(InputFile(path: name, bytes: Array(f.shards[1].text.utf8)))
                default: files.append(InputFile(path: name, bytes: Array(f.report.text.utf8)))
                }
            }
            return Case(family: .options, arguments: args, files: files, preexisting: before, notes: notes)
        }
    }
}
