import Foundation
import Randomness
import Testing
@testable import TheoryReport

/// Hostile `results.json` for `ggd compare` (issue 7): every input either decodes — and then compares
/// and prints without trouble — or throws a one-line `ReportError` naming the source; never a trap, a stack
/// overflow or a hang.
@Suite struct ResultsFuzzTests {
    /// A valid results file with a NaN and an infinite metric (written as strings).
    static func validJSON() throws -> [UInt8] {
        var r = ResultsComparisonTests.sample()
        r.metrics.append(Metric(name: "nan", value: .nan, tolerance: .measurement, meaning: "m"))
        r.metrics.append(Metric(name: "inf", value: -.infinity, tolerance: .roundOff(1), meaning: "m"))
        r.claims[1].failureTokens = ["ggd1:L3-rate:5:1e-05:AgM"]
        return [UInt8](try r.encoded())
    }

    /// Decodes `bytes`; if they decode, compares both ways against the sample and renders the table.
    /// Returns whether they decoded.
    @discardableResult
    static func exercise(_ bytes: [UInt8], _ what: @autoclosure () -> String) -> Bool {
        do {
            let results = try ReportResults.decoded(Data(bytes), source: "fuzz.json")
            let sample = ResultsComparisonTests.sample()
            _ = ResultsComparison(base: sample, new: results).table()
            _ = ResultsComparison(base: results, new: sample).table()
            _ = ResultsComparison(base: results, new: results).hasRegression
            return true
        } catch let error as ReportError {
            let text = error.description
            #expect(text.hasPrefix("cannot read fuzz.json: "), "\(what()): \(text)")
            #expect(!text.contains("\n"), "\(what()): not one line: \(text)")
            return false
        } catch {
            Issue.record("\(what()): threw \(type(of: error)) instead of ReportError: \(error)")
            return false
        }
    }

    /// Input class: every truncation of a valid results file.
    @Test func everyTruncationIsAnError() throws {
        let valid = try Self.validJSON()
        #expect(Self.exercise(valid, "valid"))
        for length in 0..<valid.count {
            // Only the closing brace and trailing whitespace can go without breaking the JSON.
            let decoded = Self.exercise(Array(valid.prefix(length)), "prefix \(length)")
            #expect(!decoded, "prefix of \(length) bytes decoded")
        }
    }

    /// Input class: 1500 seeded sets of 1–4 byte edits (flips, random or JSON-significant characters,
    /// inserted and deleted runs, duplicated slices).
    @Test func randomByteMutations() throws {
        let valid = try Self.validJSON()
        let significant = Array("{}[]\":,-+.eE0123456789 tfn\\".utf8)
        var rng = SequentialGenerator(StreamKey(seed: 7003, purpose: .generation, index: 0))
        for trial in 0..<1500 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let n = bytes.count
                let at = Int.random(in: 0..<max(n, 1), using: &rng)
                switch Int.random(in: 0..<5, using: &rng) {
                case 0 where n > 0: bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                case 1 where n > 0: bytes[at] = significant[Int.random(in: 0..<significant.count, using: &rng)]
                case 2: bytes.insert(contentsOf: (0..<Int.random(in: 1...6, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: min(at, n))
                case 3 where n > 0: bytes.removeSubrange(at..<min(n, at + Int.random(in: 1...12, using: &rng)))
                case 4 where n > 0: bytes.insert(contentsOf: bytes[at..<min(n, at + Int.random(in: 1...40, using: &rng))], at: Int.random(in: 0...n, using: &rng))
                default: break
                }
            }
            Self.exercise(bytes, "mutation \(trial)")
        }
    }

    /// Input class: values replaced by hostile ones — wrong types, huge and out-of-range numbers, NaN
    /// strings, negative counts, empty containers, nulls — at every value position of the file.
    @Test func hostileValuesAtEveryPosition() throws {
        let text = String(decoding: try Self.validJSON(), as: UTF8.self)
        let hostile = ["null", "true", "[]", "{}", "\"\"", "\"nan\"", "\"NaN\"", "\"inf\"", "\"-inf\"", "-1", "0", "1e400", "-1e400",
                       "18446744073709551616", "-9223372036854775809", "1e-400", "123456789012345678901234567890", "0.5",
                       "\"\\ud800\"", "[[[[[[[[[[]]]]]]]]]]", "\"fail\"", "\"pass\""]
        // Each value follows `": `; replace it up to the next `,` / newline (strings, numbers, literals; whole
        // arrays and objects are only replaced when they fit on the line).
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var decodedCount = 0
        for (i, line) in lines.enumerated() {
            guard let colon = line.range(of: "\" : ") ?? line.range(of: "\": ") else { continue }
            let prefix = line[..<colon.upperBound]
            let trailingComma = line.hasSuffix(",") ? "," : ""
            for value in hostile {
                var edited = lines
                edited[i] = prefix + value + trailingComma
                if Self.exercise(Array(edited.joined(separator: "\n").utf8), "line \(i + 1) := \(value)") { decodedCount += 1 }
            }
        }
        #expect(decodedCount > 0)
    }

    /// Input class: deeply nested JSON (arrays and objects, 10⁵ levels, at the top and inside a field),
    /// huge documents of one long string, and non-JSON bytes.
    @Test func deepNestingAndOddDocuments() throws {
        let depth = 100_000
        let cases: [(String, [UInt8])] = [
            ("arrays", Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)),
            ("open arrays", Array(String(repeating: "[", count: depth).utf8)),
            ("objects", Array((String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)).utf8)),
            ("inside schema", Array(("{\"schema\": " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}").utf8)),
            ("long string", Array(("{\"schema\": \"" + String(repeating: "x", count: 1 << 20) + "\"}").utf8)),
            ("BOM and NUL", [0xEF, 0xBB, 0xBF, 0x7B, 0x00, 0x7D]),
            ("UTF-16", Array("{\"schema\": 1}".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
            ("lone surrogate", Array("{\"schema\": \"\\udc00\"}".utf8)),
            ("number only", Array("1e999999999".utf8)),
        ]
        for (what, bytes) in cases {
            #expect(!Self.exercise(bytes, what), "\(what) decoded")
        }
    }
}
