import StrictJSON
import Testing

/// Nesting up to the depth limit parses; one level more is an error at the bracket that goes too deep,
/// and hostile depths (far beyond any stack) fail cleanly because the parser does not recurse.
@Suite struct NestingTests {
    static func nestedArrays(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }

    @Test func arraysAtTheLimitParse() throws {
        var value = try JSONParser.parse(Self.nestedArrays(256))
        var depth = 0
        while case let .array(a) = value {
            depth += 1
            value = a.first ?? .null
        }
        #expect(depth == 256)
    }

    @Test func oneLevelBeyondTheLimitIsRejected() {
        let e = parseError(Self.nestedArrays(257))
        #expect(e?.byteOffset == 256)
        #expect(e?.column == 257)
        #expect(e?.message == "nesting is deeper than the limit of 256 levels")
        #expect(e?.path == String(repeating: "[0]", count: 256))
    }

    @Test func objectsCountTowardsTheDepth() {
        let limits = JSONLimits(maxDepth: 3)
        #expect(parseError(#"{"a": [{"b": 1}]}"#, limits: limits) == nil)
        let e = parseError(#"{"a": [{"b": [1]}]}"#, limits: limits)
        #expect(e?.description == "line 1, column 14 (a[0].b): nesting is deeper than the limit of 3 levels")
        #expect(parseError("[]", limits: JSONLimits(maxDepth: 0))?.message == "nesting is deeper than the limit of 0 levels")
        #expect(parseError("1", limits: JSONLimits(maxDepth: 0)) == nil)
    }

    @Test func hostileDepthFailsWithoutOverflowingTheStack() {
        // A million open brackets under a limit that allows them all: parsed iteratively to the end of the
        // input (a recursive parser would overflow its stack long before).
        let open = String(repeating: "[", count: 1_000_000)
        let e = parseError(open, limits: JSONLimits(maxDepth: 1_000_000))
        #expect(e?.message == "unexpected end of input (expected a value): the array opened at line 1 column 1000000 is not closed")
        #expect(e?.path == String(repeating: "[0]", count: 1_000_000))
        #expect(parseError(String(repeating: "{\"a\":", count: 200_000) + "x", limits: JSONLimits(maxDepth: 1_000_000))?.byteOffset == 1_000_000)
        // With the default limit it stops at level 257, closed or not.
        #expect(parseError(open)?.byteOffset == 256)
        #expect(parseError(open + String(repeating: "]", count: 1_000_000))?.byteOffset == 256)
    }
}
