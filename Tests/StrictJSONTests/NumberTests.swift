import Foundation
import StrictJSON
import Testing

/// Numbers read exactly as `Double(String)` reads them (correctly rounded), so settings recorded with 17
/// significant digits replay bit for bit.
@Suite struct NumberTests {
    static func bits(_ text: String) throws -> UInt64? {
        guard case let .number(d) = try JSONParser.parse(text) else { return nil }
        return d.bitPattern
    }

    @Test(arguments: [
        "0", "-0", "0.0", "-0.0", "1", "-1", "0.1", "0.2", "0.30000000000000004", "1e22", "1e23", "9007199254740992",
        "9007199254740993", "9007199254740995", "123456789012345", "1234567890123456", "12345678901234567", "-999999999999999",
        "18446744073709551615", "123456789012345678901234567890", "5e-324", "4.9406564584124654e-324", "2.4703282292062328e-324",
"2.2250738585072009e-308", "2.2250738585072014e-308", "2.225073858507201e-308",
        "1.7976931348623157e308", "1.7976931348623158e308", "-1.7976931348623157E+308", "0.1e1", "100e-2", "3.14159265358979323846264338327950288",
        "0.000000000000000000000000000000000000000000001", "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124", "1.00000000000000011102230246251565404236316680908203126",
        "7.038531e-26", "8.988465674311579e307", "4.35679e-321",
    ])
    func trickyLiteralsReadAsDoubleStringDoes(_ text: String) throws {
        let expected = try #require(Double(text))
        #expect(try Self.bits(text) == expected.bitPattern, "\(text)")
        #expect(try Self.bits("[\(text)]") == nil)
        if case let .array(a) = try JSONParser.parse("[\(text)]"), case let .number(d) = a[0] {
            #expect(d.bitPattern == expected.bitPattern)
        } else {
            Issue.record("not an array of one number")
        }
    }

    @Test func negativeZeroKeepsItsSign() throws {
        #expect(try Self.bits("-0") == (-0.0 as Double).bitPattern)
        #expect(try Self.bits("-0.0") == (-0.0 as Double).bitPattern)
        #expect(try Self.bits("-0e10") == (-0.0 as Double).bitPattern)
        #expect(try Self.bits("0") == (0.0 as Double).bitPattern)
    }

    @Test func randomDoublesRoundTripBitForBit() throws {
        var rng = SplitMix64(seed: 20240917)
        for _ in 0..<20_000 {
            let d = Double(bitPattern: rng.next())
            guard d.isFinite else { continue }
            for text in ["\(d)", String(format: "%.17g", d), String(format: "%.17e", d)] {
                #expect(try Self.bits(text) == d.bitPattern, "\(text)")
            }
        }
        // Subnormals and values near powers of two, where rounding is most delicate.
        for e in stride(from: -1074, through: 1023, by: 7) {
            for d in [Foundation.pow(2.0, Double(e)), Foundation.pow(2.0, Double(e)).nextUp, Foundation.pow(2.0, Double(e)).nextDown] where d > 0 && d.isFinite {
                let text = String(format: "%.17g", d)
                #expect(try Self.bits(text) == Double(text)!.bitPattern, "\(text)")
                #expect(try Self.bits(text) == d.bitPattern, "\(text)")
            }
        }
    }

    @Test func shortIntegersAreExact() throws {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<5_000 {
            let n = Int.random(in: -999_999_999_999_999...999_999_999_999_999, using: &rng)
            #expect(try Self.bits("\(n)") == Double("\(n)")!.bitPattern)
        }
    }
}
