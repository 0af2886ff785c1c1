import Foundation
import StrictJSON
import Testing

/// The parsed value: member order, lookup, `plain` values, and `StrictJSON.validate`.
@Suite struct ValueTests {
    @Test func objectsKeepTheirOrderAndLookUpByKey() throws {
        let v = try JSONParser.parse(#"{"z": 1, "a": [true, null], "m": {"k": "v"}}"#)
        guard case let .object(o) = v else { Issue.record("not an object"); return }
        #expect(o.keys == ["z", "a", "m"])
        #expect(o["a"] == .array([.bool(true), .null]))
        #expect(v["m"]?["k"]?.stringValue == "v")
        #expect(v["a"]?[1] == .null)
        #expect(v["a"]?[2] == nil)
        #expect(v["missing"] == nil)
        #expect(v["z"]?.doubleValue == 1)
        // Equality ignores member order, as for JSON objects.
        #expect(v == (try JSONParser.parse(#"{"m": {"k": "v"}, "a": [true, null], "z": 1}"#)))
        #expect(JSONObject([(key: "a", value: .null), (key: "a", value: .null)]) == nil)
    }

    @Test func plainValuesHaveFoundationShapes() throws {
        let plain = try JSONParser.parse(#"{"n": null, "b": false, "x": 2.5, "s": "é", "a": [1, "2"], "o": {"k": [] }}"#).plain
        let dict = try #require(plain as? [String: Any])
        #expect(dict["n"] is NSNull)
        #expect(dict["b"] as? Bool == false)
        #expect(dict["x"] as? Double == 2.5)
        #expect(dict["s"] as? String == "é")
        #expect((dict["a"] as? [Any])?.count == 2)
        #expect((dict["a"] as? [Any])?.first as? Double == 1)
        #expect(((dict["o"] as? [String: Any])?["k"] as? [Any])?.isEmpty == true)
    }

    @Test func validateChecksDataForDecoders() throws {
        try StrictJSON.validate(Data(#"{"a": [1, 2]}"#.utf8))
        try StrictJSON.validate(Array("[]".utf8))
        #expect(throws: JSONParseError.self) { try StrictJSON.validate(Data(#"{"a": 1, "a": 2}"#.utf8)) }
        #expect(throws: JSONParseError.self) { try StrictJSON.validate(Data()) }
        do {
            try StrictJSON.validate(Data("[1, 2]".utf8), limits: JSONLimits(maxDepth: 256, maxInputBytes: 4))
            Issue.record("accepted input over the size limit")
        } catch let e as JSONParseError {
            #expect(e.message.contains("more than the limit of 4 bytes"))
        }
    }

    @Test func lineBreaksOfEveryKindCountAsLines() {
        #expect(parseError("[\n1,\r\n2,\r3,\r\n x]").map { [$0.line, $0.column] } == [5, 2])
        #expect(parseError("[1,\r\n\r\n\tx]").map { [$0.line, $0.column] } == [3, 2])
    }
}
