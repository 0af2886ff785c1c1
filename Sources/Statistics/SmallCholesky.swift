/// The Cholesky factor of a small symmetric positive definite matrix (rows of [Double]), for the tests
/// that whiten with one (Hotelling's T², the covariance likelihood ratio): a few dimensions, no LAPACK.
enum SmallCholesky {
    /// Lower-triangular L with LLᵀ = a; a pivot at or below `minimumPivot` (or not finite) throws the
    /// error `failure(coordinate, pivot)` makes.
    static func lower(_ a: [[Double]], minimumPivot: Double, failure: (Int, Double) -> StatisticsError) throws -> [[Double]] {
        let p = a.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for j in 0..<p {
            var pivot = a[j][j]
            for k in 0..<j { pivot -= l[j][k] * l[j][k] }
            guard pivot > minimumPivot, pivot.isFinite else { throw failure(j, pivot) }
            let d = pivot.squareRoot()
            l[j][j] = d
            for i in (j + 1)..<p {
                var s = a[i][j]
                for k in 0..<j { s -= l[i][k] * l[j][k] }
                l[i][j] = s / d
            }
        }
        return l
    }
}
