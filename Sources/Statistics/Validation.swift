/// Input checks shared by every entry point. Each throws a `StatisticsError` that
/// names the offending argument, so that a malformed experiment never traps.
enum Validate {
    static func finite(_ values: [Double], _ name: String) throws {
        for v in values where !v.isFinite { throw StatisticsError.nonFiniteInput(name) }
    }

    static func finite(_ value: Double, _ name: String) throws {
        guard value.isFinite else { throw StatisticsError.nonFiniteInput(name) }
    }

    /// Every row finite and of the same length `dimension` (the first row's when nil).
    /// Returns the common dimension.
    @discardableResult
    static func matrix(_ rows: [[Double]], _ name: String, dimension: Int? = nil) throws -> Int {
        let d = dimension ?? rows.first?.count ?? 0
        for row in rows {
            guard row.count == d else { throw StatisticsError.lengthMismatch("a row of \(name)", expected: d, actual: row.count) }
            try finite(row, name)
        }
        return d
    }

    static func count(_ values: [Double], atLeast required: Int, _ name: String) throws {
        guard values.count >= required else {
            throw StatisticsError.tooFewPoints(name, required: required, actual: values.count)
        }
    }

    static func sameLength(_ a: [Double], _ b: [Double], _ nameB: String) throws {
        guard a.count == b.count else { throw StatisticsError.lengthMismatch(nameB, expected: a.count, actual: b.count) }
    }

    /// A probability in the open interval (0, 1): α, β, a confidence level.
    static func probability(_ p: Double, _ name: String) throws {
        guard p > 0, p < 1 else { throw StatisticsError.invalidProbability(name, value: p) }
    }

    static func positive(_ value: Double, _ name: String) throws {
        guard value.isFinite, value > 0 else {
            throw StatisticsError.invalidArgument("\(name) must be positive and finite (got \(value))")
        }
    }

    static func positive(_ value: Int, _ name: String) throws {
        guard value > 0 else { throw StatisticsError.invalidArgument("\(name) must be positive (got \(value))") }
    }
}

/// Two-pass sample moments (the second pass removes the mean before squaring, which
/// keeps the variance accurate when the mean is large compared with the spread).
enum Moments {
    static func mean(_ x: [Double]) -> Double {
        var s = 0.0
        for v in x { s += v }
        let m = s / Double(x.count)
        var correction = 0.0
        for v in x { correction += v - m }
        return m + correction / Double(x.count)
    }

    /// Unbiased sample variance (divisor n − 1); needs n ≥ 2.
    static func variance(_ x: [Double], mean m: Double) -> Double {
        var s = 0.0, c = 0.0
        for v in x {
            let d = v - m
            s += d * d
            c += d
        }
        let n = Double(x.count)
        return (s - c * c / n) / (n - 1)
    }
}
