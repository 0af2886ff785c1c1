/// How many draws a case of a law test needs to see a given error, and what a given number of draws
/// sees: the power functions of the tests a statistical property combines (Hotelling's T² for the
/// mean, the χ² variance test on a projection, the projected Kolmogorov–Smirnov test), each at its
/// Bonferroni share of the case's false-fail rate.
///
/// A property states its minimum detectable effect with it (TensorFlow Probability's
/// `statistical_testing` in spirit): what a passing verdict rules out, with probability 1 − β, rather
/// than only that nothing was seen.
public struct LawTestDesign: Sendable, Equatable {
    /// The false-fail rate of one case (the property's share of the run's, over its cases).
    public var caseLevel: Double
    /// Tests Bonferroni-combined within a case.
    public var tests: Int
    /// 1 − power (0.05: an effect at the stated size is missed at most 5% of the time).
    public var falsePassRate: Double
    /// The mean test's dimension (the largest a case may have).
    public var dimension: Int
    /// Directions of the projected KS test.
    public var directions: Int

    public init(caseLevel: Double, tests: Int, falsePassRate: Double = 0.05, dimension: Int, directions: Int) {
        self.caseLevel = caseLevel
        self.tests = tests
        self.falsePassRate = falsePassRate
        self.dimension = dimension
        self.directions = directions
    }

    /// What n draws detect with probability 1 − β.
    public struct Detectable: Sendable, Equatable {
        /// Relative error of a standard deviation along a tested direction (0.01 = 1%), either way.
        public var standardDeviation: Double
        /// A mean shift as a Mahalanobis distance (along one direction: in standard deviations).
        public var mean: Double
        /// Kolmogorov distance of a projected CDF.
        public var cdfDistance: Double
    }

    /// Each test's level.
    public var testLevel: Double { caseLevel / Double(max(1, tests)) }

    public func detectable(draws n: Int) throws -> Detectable {
        let a = testLevel, b = falsePassRate
        // Two-sided: every variance ratio outside [1/r, r] is detected; as a standard deviation, √r − 1.
        let r = try VarianceTest.minimumDetectableRatio(n: n, falseFailRate: a, falsePassRate: b, alternative: .twoSided)
        let mean = n > dimension ? try HotellingT2.minimumDetectableDistance(n: n, dimension: dimension, falseFailRate: a, falsePassRate: b) : .infinity
        let cdf = try ProjectedKS.minimumDetectableDistance(n: n, directionCount: directions, falseFailRate: a, falsePassRate: b,
                                                            method: n > 2000 ? .asymptotic : .automatic)
        return Detectable(standardDeviation: r.squareRoot() - 1, mean: mean, cdfDistance: cdf)
    }

    /// The fewest draws that detect a standard deviation off by `standardDeviation` (relative, either way)
    /// and a mean shifted by `mean` (Mahalanobis distance), each with probability 1 − β.
    public func draws(standardDeviation e: Double, mean delta: Double) throws -> Int {
        try Detectability.validateDiscrepancy(e, "standardDeviation")
        let a = testLevel, b = falsePassRate
        let up = try VarianceTest.requiredSampleSize(varianceRatio: (1 + e) * (1 + e), falseFailRate: a, falsePassRate: b)
        let down = try VarianceTest.requiredSampleSize(varianceRatio: 1 / ((1 + e) * (1 + e)), falseFailRate: a, falsePassRate: b)
        let mean = try HotellingT2.requiredSampleSize(mahalanobisDistance: delta, dimension: dimension, falseFailRate: a, falsePassRate: b)
        return max(up, down, mean)
    }
}
