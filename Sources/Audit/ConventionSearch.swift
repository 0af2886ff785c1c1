import Diffusion
import LinearAlgebra

/// How well one convention's exact law explains a set of samples.
public struct LawFit: Codable, Sendable, Equatable {
    public var convention: SamplerConvention
    /// Whether the samples pass the whole audit against this convention's law.
    public var passes: Bool
    /// The 2-Wasserstein distance between the samples' Gaussian fit N(x̄, S) and the convention's law.
    public var wasserstein: Double
}

/// Names the convention error behind failed samples: each recognised convention's exact law is audited
/// against the same samples, with the same tests at the same rate. A convention is named only when its
/// law passes; the distances rank the rest.
public enum ConventionSearch {
    public static func fits(_ x: Matrix<Double>, case c: AuditCase, options: SampleAudit.Options) throws -> [LawFit] {
        let fit = try gaussianFit(x)
        return try ([SamplerConvention.reference] + SamplerConvention.variants(for: c)).map { convention in
            let law = try convention == .reference ? c.law() : convention.law(c)
            let verdict = try SampleAudit.judge(x, law: law, gradient: c.gradient, geometry: c.geometry, options: options)
            return LawFit(convention: convention, passes: verdict.passed, wasserstein: try wasserstein(fit, law))
        }
    }

    /// The sample mean and covariance (divisor n − 1).
    static func gaussianFit(_ x: Matrix<Double>) throws -> GaussianLaw {
        let n = Double(x.rows)
        var mean = [Double](repeating: 0, count: x.columns)
        for i in 0..<x.rows { for j in 0..<x.columns { mean[j] += x[i, j] / n } }
        var centered = x
        centered.addToEachRow(mean, scaledBy: -1)
        var cov = centered.matmul(centered, transposeSelf: true)
        cov = (1 / max(n - 1, 1)) * cov
        return GaussianLaw(mean: mean, covariance: cov.symmetrized)
    }

    /// W₂(N(m₁, C₁), N(m₂, C₂))² = ‖m₁ − m₂‖² + tr(C₁ + C₂ − 2(C₂^½ C₁ C₂^½)^½), square-rooted.
    public static func wasserstein(_ a: GaussianLaw, _ b: GaussianLaw) throws -> Double {
        guard a.mean.allSatisfy(\.isFinite), a.covariance.isFinite, b.mean.allSatisfy(\.isFinite), b.covariance.isFinite else { return .infinity }
        let rootB = try SymmetricEigendecomposition(b.covariance).applying { max($0, 0).squareRoot() }
        let middle = rootB.matmul(a.covariance).matmul(rootB).symmetrized
        let cross = try SymmetricEigendecomposition(middle).eigenvalues.reduce(0) { $0 + max($1, 0).squareRoot() }
        let d = Vectors.add(a.mean, b.mean, scaledBy: -1)
        return max(0, Vectors.dot(d, d) + a.covariance.trace + b.covariance.trace - 2 * cross).squareRoot()
    }
}
