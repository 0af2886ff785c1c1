/// The exact null distribution of the two-sample Kolmogorov–Smirnov (Smirnov)
/// statistic D = supₓ |Fₙ(x) − Gₘ(x)| for samples of sizes n and m without ties.
///
/// Under H₀ (same continuous distribution) the merged order of the two samples is a
/// uniformly random lattice path from (0, 0) to (n, m); D ≥ d exactly when the path
/// touches a point (i, j) with |i·m − j·n| ≥ d·n·m. The probability is found by dynamic
/// programming over the (n + 1)(m + 1) lattice points, pushing probability mass forward
/// (step to (i+1, j) with probability (n−i)/(n−i+m−j)) and *summing the mass that first
/// reaches the boundary*, so that small p-values keep full relative accuracy instead of
/// being formed as 1 − (something near 1). The statistic is handled as the integer
/// D·n·m, which makes the boundary test exact. Cost O(n·m) time and O(m) memory.
/// Matches scipy's `ks_2samp(method='exact')`, two-sided.
///
/// With ties in the data the permutation distribution differs; this p-value is then
/// conservative (ties can only lower the attainable D).
public enum TwoSampleKSDistribution {
    /// P(D ≥ scaledStatistic/(n·m)) where `scaledStatistic` = D·n·m is an integer.
    public static func survival(n: Int, m: Int, scaledStatistic: Int) throws -> Double {
        guard n >= 1, m >= 1 else {
            throw StatisticsError.invalidArgument("sample sizes must be at least 1 (got \(n), \(m))")
        }
        if scaledStatistic <= 0 { return 1 }
        if scaledStatistic > n * m { return 0 }
        var row = [Double](repeating: 0, count: m + 1)   // mass at (i, j) for the current i
        var exited = 0.0
        for i in 0...n {
            for j in 0...m {
                var mass: Double
                if i == 0 && j == 0 {
                    mass = 1
                } else {
                    mass = 0
                    if i > 0 {
                        // from (i − 1, j): row[j] still holds row i − 1
                        let remainingX = Double(n - i + 1), remainingY = Double(m - j)
                        mass += row[j] * remainingX / (remainingX + remainingY)
                    }
                    if j > 0 {
                        // from (i, j − 1): row[j − 1] already holds row i
                        let remainingX = Double(n - i), remainingY = Double(m - j + 1)
                        mass += row[j - 1] * remainingY / (remainingX + remainingY)
                    }
                }
                if abs(i * m - j * n) >= scaledStatistic {
                    exited += mass
                    mass = 0
                }
                row[j] = mass
            }
        }
        return min(1, exited)
    }
}
