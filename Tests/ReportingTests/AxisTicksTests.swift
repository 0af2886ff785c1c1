import Testing
@testable import Reporting

@Suite struct AxisTicksTests {
    @Test func unitIntervalGetsSteps0point2() {
        let ticks = AxisTicks.linear(lower: 0, upper: 1)
        #expect(ticks.major.map(\.value) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(ticks.major.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func smallRangeGetsClean4DecimalLabels() {
        let ticks = AxisTicks.linear(lower: 0.0013, upper: 0.0047)
        #expect(ticks.major.map(\.label) == ["0.0015", "0.0020", "0.0025", "0.0030", "0.0035", "0.0040", "0.0045"])
        // Values are the doubles nearest the decimal ticks, not accumulated sums.
        #expect(ticks.major[2].value == 0.0025)
    }

    @Test func wideRangeCrossingZeroUsesCompactScientific() {
        let ticks = AxisTicks.linear(lower: -3, upper: 1e5)
        #expect(ticks.major.map(\.value) == [0, 2e4, 4e4, 6e4, 8e4, 1e5])
        #expect(ticks.major.map(\.label) == ["0", "2e4", "4e4", "6e4", "8e4", "1e5"])
    }

    @Test func tinyMagnitudesUseScientific() {
        let ticks = AxisTicks.linear(lower: 1e-4, upper: 4.5e-4)
        #expect(ticks.major.map(\.label) == ["1e-4", "1.5e-4", "2e-4", "2.5e-4", "3e-4", "3.5e-4", "4e-4", "4.5e-4"])
    }

    @Test func noLabelShowsFloatingPointNoise() {
        for (lo, hi) in [(0.0, 0.7), (0.1, 0.9), (-0.35, 0.35), (1.0, 1.3), (0.29, 0.31)] {
            let ticks = AxisTicks.linear(lower: lo, upper: hi)
            #expect((3...9).contains(ticks.major.count), "\(lo)…\(hi): \(ticks.major.count) ticks")
            for t in ticks.major {
                #expect(t.label.count <= 6, "label \(t.label) for \(t.value)")
                #expect(t.value >= lo && t.value <= hi)
            }
        }
    }

    @Test func negativeZeroIsWrittenAsZero() {
        let ticks = AxisTicks.linear(lower: -1, upper: 1)
        #expect(ticks.major.contains { $0.label == "0.0" || $0.label == "0" })
        #expect(!ticks.major.contains { $0.label.hasPrefix("-0") && Double($0.label) == 0 })
    }

    @Test func logRangeOverDecadesTicksAtDecades() {
        let ticks = AxisTicks.log10(lower: 1e-4, upper: 1e-1)
        #expect(ticks.major.map(\.value) == [1e-4, 1e-3, 1e-2, 1e-1])
        #expect(ticks.major.map(\.label) == ["10⁻⁴", "10⁻³", "10⁻²", "10⁻¹"])
        #expect(ticks.minor.contains(2e-4) && ticks.minor.contains(9e-2))
    }

    @Test func manyDecadesAreThinnedToAtMostNine() {
        let ticks = AxisTicks.log10(lower: 1e-12, upper: 1e12)
        #expect(ticks.major.count <= 9 && ticks.major.count >= 3)
        #expect(ticks.major.contains { $0.value == 1 })
    }

    @Test func narrowLogRangeFallsBackToOneTwoFive() {
        let ticks = AxisTicks.log10(lower: 0.015, upper: 0.6)
        #expect(ticks.major.map(\.label) == ["0.02", "0.05", "0.1", "0.2", "0.5"])
    }

    @Test func degenerateRangesGiveNoTicksRatherThanCrash() {
        #expect(AxisTicks.linear(lower: 1, upper: 1).major.isEmpty)
        #expect(AxisTicks.linear(lower: .nan, upper: 1).major.isEmpty)
        #expect(AxisTicks.log10(lower: -1, upper: 1).major.isEmpty)
        #expect(AxisTicks.linear(lower: -.greatestFiniteMagnitude, upper: .greatestFiniteMagnitude).major.isEmpty)
    }

    @Test func paddedRangesAroundSingleValues() {
        let single = AxisRange.padded([2, 2], scale: .linear)
        #expect(abs(single.lower - 1.8) < 1e-12 && abs(single.upper - 2.2) < 1e-12)
        #expect(AxisRange.padded([0], scale: .linear) == (-1, 1))
        let log = AxisRange.padded([100], scale: .log10)
        #expect(abs(log.lower - 100 / 10.0.squareRoot()) < 1e-9 && abs(log.upper - 100 * 10.0.squareRoot()) < 1e-9)
        #expect(AxisRange.padded([], scale: .log10) == (1, 10))
    }
}

@Suite struct NumberFormattingTests {
    @Test func coordinatesAreShortAndNeverNegativeZero() {
        #expect(NumberFormatting.coordinate(12.5) == "12.5")
        #expect(NumberFormatting.coordinate(3) == "3")
        #expect(NumberFormatting.coordinate(-0.001) == "0")
        #expect(NumberFormatting.coordinate(1.005) == "1" || NumberFormatting.coordinate(1.005) == "1.01")
        #expect(NumberFormatting.coordinate(.nan) == "0")
    }

    @Test func scientificIsCompact() {
        #expect(NumberFormatting.scientific(1e-4) == "1e-4")
        #expect(NumberFormatting.scientific(2500) == "2.5e3")
        #expect(NumberFormatting.scientific(-1.25e-7) == "-1.25e-7")
        #expect(NumberFormatting.scientific(0) == "0")
    }

    @Test func powersUseSuperscripts() {
        #expect(NumberFormatting.power(base: "10", exponent: -12) == "10⁻¹²")
        #expect(NumberFormatting.power(base: "10", exponent: 0) == "10⁰")
    }
}
