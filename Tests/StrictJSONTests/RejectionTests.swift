import Foundation
import StrictJSON
import Testing

/// Every class of non-RFC-8259 input is rejected with its exact position (line, column, byte offset),
/// the path of the enclosing value and a one-line message.
@Suite struct RejectionTests {
    /// Checks the whole error: position, path and (a fragment of) the message.
    static func expectError(_ text: String, line: Int, column: Int, offset: Int, path: String = "", message: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        expectError(Array(text.utf8), line: line, column: column, offset: offset, path: path, message: message,
                    sourceLocation: sourceLocation)
    }

    static func expectError(_ bytes: [UInt8], line: Int, column: Int, offset: Int, path: String = "", message: String,
                            limits: JSONLimits = .default, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let e = parseError(bytes, limits: limits) else {
            Issue.record("accepted: \(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
            return
        }
        #expect(e.line == line, "\(e)", sourceLocation: sourceLocation)
        #expect(e.column == column, "\(e)", sourceLocation: sourceLocation)
        #expect(e.byteOffset == offset, "\(e)", sourceLocation: sourceLocation)
        #expect(e.path == path, "\(e)", sourceLocation: sourceLocation)
        #expect(e.message.contains(message), "\(e)", sourceLocation: sourceLocation)
        #expect(!e.description.contains("\n") && !e.description.contains("\r"), "\(e)", sourceLocation: sourceLocation)
    }

    @Test func descriptionIsOneLineWithPositionAndPath() throws {
        let e = parseError("{\"data\": {\n  \"T\": 1e400}}")
        #expect(e?.description == "line 2, column 8 (data.T): number 1e400 is out of range for a 64-bit float")
        #expect(parseError("[1,]")?.description == "line 1, column 3: trailing comma before ']'")
        #expect(e == parseError("{\"data\": {\n  \"T\": 1e400}}"))
        #expect(e != parseError("{\"data\": {\n  \"T\": 2e400}}"))
    }

    @Test func invalidUTF8NamesTheByteOffset() throws {
        // A Latin-1 é (0xE9) inside a string.
        Self.expectError([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x20, 0x22, 0x63, 0x61, 0x66, 0xE9, 0x22, 0x7D], line: 1, column: 11, offset: 10,
                         path: "a", message: "invalid UTF-8 at byte offset 10: byte 0xE9 starts a 3-byte sequence but is followed by 0x22")
        // A stray 0xFF between values, a lone continuation byte, an overlong '/', an encoded surrogate, a code point past U+10FFFF.
        Self.expectError([0x5B, 0x31, 0x2C, 0x20, 0xFF, 0x5D], line: 1, column: 5, offset: 4, path: "[1]",
                         message: "invalid UTF-8 at byte offset 4: byte 0xFF never occurs in UTF-8")
        Self.expectError([0x22, 0x80, 0x22], line: 1, column: 2, offset: 1, message: "unexpected continuation byte 0x80")
        Self.expectError([0x22, 0xC0, 0xAF, 0x22], line: 1, column: 2, offset: 1, message: "byte 0xC0 never occurs in UTF-8")
        Self.expectError([0x22, 0xE0, 0x80, 0xAF, 0x22], line: 1, column: 2, offset: 1, message: "overlong encoding")
        Self.expectError([0x22, 0xED, 0xA0, 0x80, 0x22], line: 1, column: 2, offset: 1, message: "encoded UTF-16 surrogate")
        Self.expectError([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], line: 1, column: 2, offset: 1, message: "beyond U+10FFFF")
        Self.expectError([0x22, 0x61, 0xE2, 0x82], line: 1, column: 3, offset: 2, message: "the input ends inside the 3-byte sequence")
        // Multi-byte characters before the error count as one column each; the offset counts bytes.
        Self.expectError(Array("[\"é€😀\", ".utf8) + [0xFE], line: 1, column: 9, offset: 14, path: "[1]",
                         message: "invalid UTF-8 at byte offset 14")
        // Well-formed multi-byte text is accepted.
        #expect(try JSONParser.parse("[\"é€😀\"]") == .array([.string("é€😀")]))
    }

    @Test func truncatedInputNamesTheUnclosedContainer() throws {
        let text = "{\n  \"data\": {\n    \"D\": 4,\n    \"A\": [1, 2"
        Self.expectError(text, line: 4, column: 15, offset: text.utf8.count, path: "data.A",
                         message: "unexpected end of input (expected ',' or ']'): the array opened at line 4 column 10 is not closed")
        Self.expectError("{\n  \"data\": {\n    \"D\": 4,\n", line: 4, column: 1, offset: 26, path: "data",
                         message: "unexpected end of input (expected a key in double quotes): the object opened at line 2 column 11 is not closed")
        Self.expectError("{\"a\": [1, 2,", line: 1, column: 13, offset: 12, path: "a[2]",
                         message: "unexpected end of input (expected a value): the array opened at line 1 column 7 is not closed")
        Self.expectError("{\"a\"", line: 1, column: 5, offset: 4, message: "(expected ':' after the key): the object opened at line 1 column 1")
        Self.expectError("[\"abc", line: 1, column: 6, offset: 5, path: "[0]",
                         message: "unexpected end of input inside the string that starts at line 1 column 2: the array opened at line 1 column 1 is not closed")
        Self.expectError("[\"ab\\u00", line: 1, column: 9, offset: 8, path: "[0]", message: "inside the string that starts at line 1 column 2")
        Self.expectError("-", line: 1, column: 2, offset: 1, message: "unexpected end of input (expected a digit after '-')")
        Self.expectError("[1.", line: 1, column: 4, offset: 3, path: "[0]", message: "(expected a digit after the decimal point): the array")
        Self.expectError("", line: 1, column: 1, offset: 0, message: "unexpected end of input: the input is empty")
        Self.expectError(" \n\t", line: 2, column: 2, offset: 3, message: "the input holds only whitespace")
    }

    @Test func everyProperPrefixOfADocumentIsTruncated() throws {
        let text = #"{"data": {"kind": "subspace", "D": 64, "A": [[1, 2.5e-3], [-0, true]], "x": null, "s": "a\"b\u00e9"}, "T": [false]}"#
        _ = try JSONParser.parse(text)
        let bytes = Array(text.utf8)
        for n in 0..<bytes.count {
            let e = parseError(Array(bytes.prefix(n)))
            #expect(e?.message.hasPrefix("unexpected end of input") == true, "prefix \(n): \(String(describing: e))")
            #expect(e?.byteOffset == n)
        }
    }

    @Test func nonFiniteLiteralsAreRejected() throws {
        Self.expectError("{\"sigma\": NaN}", line: 1, column: 11, offset: 10, path: "sigma", message: "numbers must be finite: 'NaN' is not a JSON number")
        Self.expectError("[Infinity]", line: 1, column: 2, offset: 1, path: "[0]", message: "numbers must be finite: 'Infinity'")
        Self.expectError("[1, -Infinity]", line: 1, column: 5, offset: 4, path: "[1]", message: "numbers must be finite: '-Infinity'")
        Self.expectError("nan", line: 1, column: 1, offset: 0, message: "numbers must be finite")
        Self.expectError("-inf", line: 1, column: 1, offset: 0, message: "numbers must be finite")
    }

    @Test func numbersBeyondADoubleAreRejected() throws {
        Self.expectError("{\"data\": {\"T\": 1e400}}", line: 1, column: 16, offset: 15, path: "data.T",
                         message: "number 1e400 is out of range for a 64-bit float")
        Self.expectError("[-1.8e308]", line: 1, column: 2, offset: 1, path: "[0]", message: "number -1.8e308 is out of range")
        Self.expectError("1" + String(repeating: "0", count: 400), line: 1, column: 1, offset: 0, message: "number 100000000000000000000000…000000000000 is out of range")
        Self.expectError("[1e-400]", line: 1, column: 2, offset: 1, path: "[0]", message: "number 1e-400 is too small for a 64-bit float (it would read as 0)")
        Self.expectError("2.4703282292062327e-324", line: 1, column: 1, offset: 0, message: "is too small for a 64-bit float")
        // Zero written any way is zero, and the largest double and the smallest subnormal are in range.
        #expect(try JSONParser.parse("[0e-400, 0.000e999, -0.0e5, 1.7976931348623157e308, 5e-324, 2.4703282292062328e-324]")
                == .array([.number(0), .number(0), .number(-0.0), .number(.greatestFiniteMagnitude),
                           .number(.leastNonzeroMagnitude), .number(.leastNonzeroMagnitude)]))
    }

    @Test func malformedNumbersAreRejected() throws {
        Self.expectError("[01]", line: 1, column: 2, offset: 1, path: "[0]", message: "numbers must not have leading zeros: '01'")
        Self.expectError("{\"T\": -0012}", line: 1, column: 7, offset: 6, path: "T", message: "leading zeros: '-0012'")
        Self.expectError("[+1]", line: 1, column: 2, offset: 1, path: "[0]", message: "numbers must not start with '+'")
        Self.expectError("[.5]", line: 1, column: 2, offset: 1, path: "[0]", message: "numbers must start with a digit")
        Self.expectError("[1.]", line: 1, column: 4, offset: 3, path: "[0]", message: "expected a digit after the decimal point in '1.', found ']'")
        Self.expectError("[1e]", line: 1, column: 4, offset: 3, path: "[0]", message: "expected a digit after the exponent in '1e', found ']'")
        Self.expectError("[1e+]", line: 1, column: 5, offset: 4, path: "[0]", message: "after the exponent in '1e+'")
        Self.expectError("[-a]", line: 1, column: 3, offset: 2, path: "[0]", message: "expected a digit after '-', found 'a'")
        Self.expectError("[0x10]", line: 1, column: 3, offset: 2, message: "expected ',' or ']' after an array element, found 'x'")
        Self.expectError("[1 2]", line: 1, column: 4, offset: 3, message: "expected ',' or ']' after an array element, found '2'")
        #expect(try JSONParser.parse("[0, -0, 0.5, 1e+5, 1E-5, 10]") == .array([0, -0.0, 0.5, 1e5, 1e-5, 10].map(JSONValue.number)))
    }

    @Test func trailingCommasAreRejectedAtTheComma() throws {
        Self.expectError("[1, 2,]", line: 1, column: 6, offset: 5, message: "trailing comma before ']'")
        Self.expectError("{\"a\": {\"b\": 1,\n}}", line: 1, column: 14, offset: 13, path: "a", message: "trailing comma before '}'")
        Self.expectError("[,]", line: 1, column: 2, offset: 1, path: "[0]", message: "expected a value, found ','")
        Self.expectError("{,}", line: 1, column: 2, offset: 1, message: "expected a key in double quotes, found ','")
    }

    @Test func commentsAreRejected() throws {
        Self.expectError("// settings\n{}", line: 1, column: 1, offset: 0, message: "comments are not allowed in JSON")
        Self.expectError("{\"a\": 1 /* one */}", line: 1, column: 9, offset: 8, message: "comments are not allowed in JSON")
        Self.expectError("[1,\n  // two\n  2]", line: 2, column: 3, offset: 6, path: "[1]", message: "comments are not allowed in JSON")
        Self.expectError("{} // end", line: 1, column: 4, offset: 3, message: "comments are not allowed in JSON")
        Self.expectError("[# no]", line: 1, column: 2, offset: 1, path: "[0]", message: "expected a value, found '#'")
    }

    @Test func controlCharactersInStringsAreRejected() throws {
        Self.expectError("{\"a\": \"x\ty\"}", line: 1, column: 9, offset: 8, path: "a", message: "unescaped control character U+0009 (tab) in a string (write it as \\t)")
        Self.expectError("[\"line\nnext\"]", line: 1, column: 7, offset: 6, path: "[0]", message: "unescaped line break in a string")
        Self.expectError([0x22, 0x01, 0x22], line: 1, column: 2, offset: 1, message: "unescaped control character U+0001 in a string (write it as \\u0001)")
        Self.expectError("{\"k\u{1F}\": 1}", line: 1, column: 4, offset: 3, message: "unescaped control character U+001F")
        // Escaped, they are fine; DEL (0x7F) needs no escape.
        #expect(try JSONParser.parse(#"["\t\u0001\n\u0000", "\#u{7F}"]"#) == .array([.string("\t\u{1}\n\u{0}"), .string("\u{7F}")]))
    }

    @Test func badEscapesAreRejected() throws {
        Self.expectError(#"{"a": "\x41"}"#, line: 1, column: 8, offset: 7, path: "a", message: "invalid escape '\\x' in a string")
        Self.expectError(#"["\U0041"]"#, line: 1, column: 3, offset: 2, path: "[0]", message: "invalid escape '\\U'")
        Self.expectError(#"["\u12G4"]"#, line: 1, column: 3, offset: 2, path: "[0]", message: "invalid \\u escape in a string: expected four hex digits, found 'G'")
        Self.expectError(#"["\u12"]"#, line: 1, column: 3, offset: 2, path: "[0]", message: "expected four hex digits, found '\"'")
        Self.expectError("[\"\\\n\"]", line: 1, column: 3, offset: 2, path: "[0]", message: "invalid escape: a backslash followed by U+000A (line feed)")
        Self.expectError("[\"\\'\"]", line: 1, column: 3, offset: 2, path: "[0]", message: "invalid escape '\\''")
        #expect(try JSONParser.parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC""#) == .string("\"\\/\u{8}\u{C}\n\r\tAé€"))
    }

    @Test func loneSurrogatesAreRejected() throws {
        Self.expectError(#"["\uD800"]"#, line: 1, column: 3, offset: 2, path: "[0]", message: "lone high surrogate \\uD800 in a string")
        Self.expectError(#"["x\uDBFFy"]"#, line: 1, column: 4, offset: 3, path: "[0]", message: "lone high surrogate \\uDBFF")
        Self.expectError(#"["\uD800\u0041"]"#, line: 1, column: 3, offset: 2, path: "[0]", message: "it is followed by \\u0041, not a \\uDC00–\\uDFFF low surrogate")
        Self.expectError(#"["\uD800\uD800"]"#, line: 1, column: 3, offset: 2, path: "[0]", message: "lone high surrogate")
        Self.expectError(#"{"k": "a\udc00"}"#, line: 1, column: 9, offset: 8, path: "k", message: "lone low surrogate \\uDC00")
        Self.expectError(#"{"\uDFFF": 1}"#, line: 1, column: 3, offset: 2, message: "lone low surrogate \\uDFFF")
        #expect(try JSONParser.parse(#""\uD83D\uDE00\ud834\udd1e""#) == .string("😀𝄞"))
    }

    @Test func trailingContentIsRejected() throws {
        Self.expectError("{} {}", line: 1, column: 4, offset: 3, message: "unexpected '{' after the JSON value (a document holds exactly one value)")
        Self.expectError("1 2", line: 1, column: 3, offset: 2, message: "unexpected '2' after the JSON value")
        Self.expectError("[]\n]", line: 2, column: 1, offset: 3, message: "unexpected ']' after the JSON value")
        Self.expectError("\"a\"\u{0}", line: 1, column: 4, offset: 3, message: "unexpected U+0000 (NUL) after the JSON value")
        Self.expectError("truex", line: 1, column: 1, offset: 0, message: "unexpected word 'truex'")
        #expect(try JSONParser.parse(" \r\n\t{}\r\n\t ") == .object(JSONObject()))
    }

    @Test func byteOrderMarksAreRejected() throws {
        Self.expectError([0xEF, 0xBB, 0xBF] + Array("{}".utf8), line: 1, column: 1, offset: 0,
                         message: "the input starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow")
        Self.expectError([0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00], line: 1, column: 1, offset: 0, message: "UTF-16 byte order mark")
        Self.expectError([0xFE, 0xFF, 0x00, 0x7B, 0x00, 0x7D], line: 1, column: 1, offset: 0, message: "UTF-16 byte order mark")
        Self.expectError("[\"a\", \u{FEFF}1]", line: 1, column: 7, offset: 6, path: "[1]", message: "found U+FEFF (zero-width no-break space / byte order mark)")
    }

    @Test func wordsAndQuotesThatAreNotJSON() throws {
        Self.expectError("[True]", line: 1, column: 2, offset: 1, path: "[0]", message: "'True' is not a JSON literal: the literals are true, false and null")
        Self.expectError("{\"x\": None}", line: 1, column: 7, offset: 6, path: "x", message: "'None' is not a JSON literal")
        Self.expectError("{\"kind\": subspace}", line: 1, column: 10, offset: 9, path: "kind", message: "unexpected word 'subspace': strings must be in double quotes")
        Self.expectError("['a']", line: 1, column: 2, offset: 1, path: "[0]", message: "strings must be in double quotes, not single quotes")
        Self.expectError("{D: 64}", line: 1, column: 2, offset: 1, message: "object keys must be strings in double quotes, found 'D'")
        Self.expectError("{'D': 64}", line: 1, column: 2, offset: 1, message: "object keys must be in double quotes, not single quotes")
        Self.expectError("{1: 64}", line: 1, column: 2, offset: 1, message: "object keys must be strings in double quotes, found '1'")
        Self.expectError("{\"D\" 64}", line: 1, column: 6, offset: 5, message: "expected ':' after key 'D', found '6'")
        Self.expectError("{\"D\": 64 \"d\": 16}", line: 1, column: 10, offset: 9, message: "expected ',' or '}' after an object member, found '\"'")
        Self.expectError("[1}", line: 1, column: 3, offset: 2, message: "expected ',' or ']' after an array element, found '}'")
        Self.expectError("{\"a\": 1]", line: 1, column: 8, offset: 7, message: "expected ',' or '}' after an object member, found ']'")
        Self.expectError("{\"a\":}", line: 1, column: 6, offset: 5, path: "a", message: "expected a value, found '}'")
        Self.expectError("[\u{A0}1]", line: 1, column: 2, offset: 1, path: "[0]", message: "expected a value, found U+00A0 (no-break space)")
        Self.expectError("[é]", line: 1, column: 2, offset: 1, path: "[0]", message: "expected a value, found 'é' (U+00E9)")
    }

    @Test func duplicateKeysAreRejected() throws {
        let text = "{\n    \"D\": 64,\n    \"d\": 16,\n    \"D\": 32\n}"
        Self.expectError(text, line: 4, column: 5, offset: 32, message: "duplicate key 'D' at line 4 column 5 (first at line 2 column 5)")
        #expect(parseError(text)?.description == "line 4, column 5: duplicate key 'D' at line 4 column 5 (first at line 2 column 5)")
        // Keys equal after unescaping, or canonically equivalent (as a Swift dictionary would merge them).
        Self.expectError(#"{"a": 1, "\u0061": 2}"#, line: 1, column: 10, offset: 9, message: "duplicate key 'a' at line 1 column 10 (first at line 1 column 2)")
        Self.expectError("{\"\u{E9}\": 1, \"e\u{301}\": 2}", line: 1, column: 10, offset: 10, message: "duplicate key 'e\u{301}' at line 1 column 10 (first at line 1 column 2)")
        // Case and whitespace make different keys.
        #expect(try JSONParser.parse(#"{"d": 1, "D": 2, "d ": 3}"#)["D"] == .number(2))
    }

    @Test func duplicateKeysAtNestedLevelsNameThePath() throws {
        let text = """
        {"data": {"D": 4, "mixture": {"weights": [0.5, {"w": 1,
                                                        "w": 2}]}}}
        """
        Self.expectError(text, line: 2, column: 49, offset: 104, path: "data.mixture.weights[1]",
                         message: "duplicate key 'w' at line 2 column 49 (first at line 1 column 49)")
        Self.expectError(#"{"a b": {"x": [{"k\n": 1, "k\n": 2}]}}"#, line: 1, column: 27, offset: 26, path: #"["a b"].x[0]"#,
                         message: #"duplicate key 'k\n'"#)
        Self.expectError(#"[[], [{}, {"a": {"b": 1}, "c": {"b": 1, "b": 2}}]]"#, line: 1, column: 41, offset: 40, path: "[1][1].c",
                         message: "duplicate key 'b' at line 1 column 41 (first at line 1 column 33)")
        // The same key in sibling or nested objects is fine.
        #expect(parseError(#"{"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2}]}"#) == nil)
    }

    @Test func duplicateKeysInLargeObjects() throws {
        // Past the linear-search size the parser indexes keys; the first position must still be right.
        let keys = (0..<100).map { "\"k\($0)\": \($0)" }
        let text = "{" + keys.joined(separator: ", ") + ", \"k37\": 0}"
        let firstOffset = Array(text.utf8).firstRange(of: Array("\"k37\"".utf8))!.lowerBound
        let lastOffset = text.utf8.count - 9
        Self.expectError(text, line: 1, column: lastOffset + 1, offset: lastOffset,
                         message: "duplicate key 'k37' at line 1 column \(lastOffset + 1) (first at line 1 column \(firstOffset + 1))")
        let value = try? JSONParser.parse("{" + keys.joined(separator: ", ") + "}")
        #expect(value?["k99"] == .number(99))
        #expect(value?["k100"] == nil)
    }

    @Test func inputSizeLimit() throws {
        let limits = JSONLimits(maxDepth: 256, maxInputBytes: 10)
        Self.expectError(Array("[1,2,3,4,5]".utf8), line: 1, column: 1, offset: 0,
                         message: "the input is 11 bytes, more than the limit of 10 bytes", limits: limits)
        #expect(parseError("[1,2,3,45]", limits: limits) == nil)
        #expect(JSONLimits.default == JSONLimits(maxDepth: 256, maxInputBytes: 256 * 1024 * 1024))
    }

    @Test func pathsOfKeysThatAreNotIdentifiers() throws {
        #expect(parseError(#"{"mu_u": [1, {"a-b": {"x1": [NaN]}}]}"#)?.path == #"mu_u[1]["a-b"].x1[0]"#)
        #expect(parseError(#"[[0, [1, 2, +3]]]"#)?.path == "[0][1][2]")
        #expect(parseError(#"{"": x}"#)?.path == #"[""]"#)
        #expect(parseError(#"{"\"q\"": x}"#)?.path == #"["\"q\""]"#)
    }
}
