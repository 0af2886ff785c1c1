import Foundation
import Diffusion
import LinearAlgebra
import Randomness
import Statistics

/// One check of an audit: a statistical test (with its p-value and its share of the false-fail rate) or
/// a deterministic bound (a statistic against a threshold).
public struct AuditCheck: Codable, Sendable, Equatable {
    /// Short name: "mean", "covariance", "spread along g", "projected CDFs", "r_off", "support".
    public var name: String
    /// What departs when it fails, in words.
    public var quantity: String
    public var statistic: Double
    /// The test's p-value (nil for a deterministic check).
    public var pValue: Double?
    /// The level it is judged at (its share of the false-fail rate), or the threshold of a deterministic check.
    public var threshold: Double
    public var passed: Bool
    public var detail: String

    /// How far past its threshold a failed check is (p-value over level for a test, the ratio inverted for a
    /// bound): smaller is a clearer failure, so a verdict names the clearest first.
    var severity: Double {
        if let p = pValue { return p / threshold }
        return statistic > 0 ? threshold / statistic : 1
    }
}

/// What an audit of n draws could see: effects it detects with probability 1 − β at its false-fail rate.
public struct AuditPower: Codable, Sendable, Equatable {
    /// A mean shift as a Mahalanobis distance in the law's support.
    public var meanShift: Double
    /// A standard deviation along the spread test's direction off by this share, either way.
    public var standardDeviation: Double
    /// A projected CDF off by this Kolmogorov distance.
    public var cdfDistance: Double
    /// 1 − power.
    public var falsePassRate: Double
}

/// The verdict on samples judged against a law.
public struct SampleVerdict: Codable, Sendable, Equatable {
    public var draws: Int
    public var dimension: Int
    /// The rank of the law's covariance (the support's dimension).
    public var support: Int
    public var falseFailRate: Double
    public var checks: [AuditCheck]
    public var power: AuditPower
    /// Mean r_off = ‖x⊥‖/‖x∥‖ of the draws and of the law (subspace settings).
    public var rOffSamples: Double?
    public var rOffLaw: Double?
    public var passed: Bool { checks.allSatisfy(\.passed) }
    /// The clearest failure, or nil.
    public var departure: AuditCheck? { checks.filter { !$0.passed }.min { $0.severity < $1.severity } }
}

/// Samples judged against an exact Gaussian law N(m, C) that may be singular (the DDPM output of a
/// subspace model lives on span(A)): in the support of C, whitened to N(0, I_r), Hotelling's T² for the
/// mean, the likelihood-ratio test for the covariance, the χ² test of the spread along g, and
/// Kolmogorov–Smirnov on projections (along g, off span(A) where the law reaches there, and random
/// directions), Bonferroni-combined at the stated false-fail rate; r_off against the law's; and, outside
/// the support, a deterministic bound: no draw may leave it beyond round-off.
public enum SampleAudit {
    public struct Options: Sendable, Equatable {
        /// The whole audit's false-fail rate (Bonferroni over its statistical tests).
        public var falseFailRate: Double
        /// 1 − the power the stated detectable effects have.
        public var falsePassRate: Double
        /// Random projection directions of the KS family.
        public var randomDirections: Int
        /// The largest ‖x outside the support‖ relative to max(‖x‖, ‖m‖, √tr C) allowed: float32 round-off passes (about 1e-7), a
        /// convention error's noise or drift (1e-3 and up) does not.
        public var supportTolerance: Double
        /// The seed of the audit's own draws (random directions, the law's r_off by Monte Carlo).
        public var seed: UInt64
        /// Draws of the Monte Carlo estimate of the law's r_off.
        public var lawDraws: Int

        public init(falseFailRate: Double = 1e-3, falsePassRate: Double = 0.05, randomDirections: Int = 4,
                    supportTolerance: Double = 1e-4, seed: UInt64 = 0, lawDraws: Int = 200_000) {
            self.falseFailRate = falseFailRate
            self.falsePassRate = falsePassRate
            self.randomDirections = randomDirections
            self.supportTolerance = supportTolerance
            self.seed = seed
            self.lawDraws = lawDraws
        }
    }

    /// The law's support: eigenvalues above this share of the largest.
    static let supportThreshold = 1e-9

    public static func judge(_ x: Matrix<Double>, law: GaussianLaw, gradient: [Double]?, geometry: SubspaceGeometry?,
                             options: Options = Options()) throws -> SampleVerdict {
        let D = law.mean.count, n = x.rows
        guard x.columns == D else { throw AuditError("the samples have \(x.columns) columns, the case has D = \(D)") }
        try requireFinite(x, what: "the samples")
        let eig = try SymmetricEigendecomposition(law.covariance)
        let largest = max(eig.eigenvalues.last ?? 0, 0)
        let inSupport = (0..<D).filter { eig.eigenvalues[$0] > supportThreshold * largest && largest > 0 }
        let outside = (0..<D).filter { !inSupport.contains($0) }
        let r = inSupport.count
        guard n >= r + 2 else {
            throw AuditError("\(n) samples cannot judge a law whose support has dimension \(r): give at least \(r + 2) (the case asks for its --count)")
        }
        // Draws far beyond the law's scale would overflow the tests' sums of squares: they are judged by
        // their size alone (a Gaussian draw 10⁶⁰ standard deviations out has probability below 10⁻¹⁰⁰⁰).
        let lawScale = max(Vectors.norm(law.mean), law.covariance.trace.squareRoot(), 1)
        let largestValue = x.elements.reduce(0) { max($0, abs($1)) }
        if largestValue > 1e60 * lawScale {
            let design = LawTestDesign(caseLevel: options.falseFailRate, tests: 4, falsePassRate: options.falsePassRate,
                                       dimension: max(r, 1), directions: options.randomDirections + 1)
            let d = try design.detectable(draws: n)
            let check = AuditCheck(name: "scale", quantity: "the scale of the draws", statistic: largestValue / lawScale, pValue: nil, threshold: 1e60,
                                   passed: false, detail: String(format: "a coordinate of %.3g where the law's scale is %.3g: no draw of the law comes near", largestValue, lawScale))
            return SampleVerdict(draws: n, dimension: D, support: r, falseFailRate: options.falseFailRate, checks: [check],
                                 power: AuditPower(meanShift: d.mean, standardDeviation: d.standardDeviation, cdfDistance: d.cdfDistance,
                                                   falsePassRate: options.falsePassRate), rOffSamples: nil, rOffLaw: nil)
        }
        var centered = x
        centered.addToEachRow(law.mean, scaledBy: -1)
        let vr = eig.eigenvectors.columns(inSupport)
        let scales = inSupport.map { 1 / eig.eigenvalues[$0].squareRoot() }
        var w = centered.matmul(vr)
        w.scaleColumns(by: scales)
        let rows = w.rowVectors
        var checks: [AuditCheck] = []

        // Outside the support: deterministic.
        let scale = max(Vectors.norm(law.mean), law.covariance.trace.squareRoot(), 1e-300)
        var worstOutside = 0.0
        if !outside.isEmpty {
            let residual = centered.matmul(eig.eigenvectors.columns(outside)).rowNorms
            for (i, e) in residual.enumerated() { worstOutside = max(worstOutside, e / max(scale, Vectors.norm(x.row(i)))) }
        }
        checks.append(AuditCheck(
            name: "support", quantity: "x outside the exact law's support (off span(A) for a subspace score)", statistic: worstOutside, pValue: nil,
            threshold: options.supportTolerance, passed: worstOutside <= options.supportTolerance,
            detail: String(format: "largest ‖x outside the support‖ relative to max(‖x‖, ‖m‖, √tr C) = %.3g (support of dimension %d in D = %d; bound %.0e)",
                           worstOutside, r, D, options.supportTolerance)))

        // r_off: against the law's (0 when the law stays on span(A)).
        var rOffSamples: Double?, rOffLaw: Double?
        var rOffStatistical = false
        var rOffDraws: (mean: Double, variance: Double)?
        if let geometry {
            let ratios = geometry.offSupportRatio(x).map { $0.isFinite ? $0 : 0 }
            rOffSamples = ratios.reduce(0, +) / Double(n)
            let offMean = Vectors.norm(geometry.offSupport(Matrix(rows: 1, columns: D, elements: law.mean)).elements)
            let offTrace = law.covariance.trace - geometry.basis.matmul(law.covariance.matmul(geometry.basis), transposeSelf: true).trace
            if offMean <= 1e-12 * scale && offTrace <= 1e-12 * law.covariance.trace {
                rOffLaw = 0
            } else {
                let draws = drawLaw(law, support: inSupport, eig: eig, count: options.lawDraws, seed: options.seed)
                let lawRatios = geometry.offSupportRatio(draws).map { $0.isFinite ? $0 : 0 }
                let m = lawRatios.reduce(0, +) / Double(lawRatios.count)
                rOffLaw = m
                rOffStatistical = true
                let vs = ratios.reduce(0) { $0 + ($1 - rOffSamples!) * ($1 - rOffSamples!) } / Double(max(1, n - 1))
                let vl = lawRatios.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, lawRatios.count - 1))
                rOffDraws = (m, vs / Double(n) + vl / Double(lawRatios.count))
            }
        }

        // Statistical tests in the support.
        let g = gradient.flatMap { v -> [Double]? in Vectors.norm(v) > 0 ? v : nil }
        let randomDirections = (0..<options.randomDirections).map {
            RandomStream(StreamKey(seed: options.seed, purpose: .audit, index: UInt64($0))).normals(row: 0, count: max(r, 1))
        }
        let whitenedG = g.map { whiten($0, vr: vr, eig: eig, support: inSupport) }.flatMap { Vectors.norm($0) > 1e-12 ? $0 : nil }
        var offDirection: [Double]?
        if let geometry, let g {
            let gOff = Vectors.add(g, geometry.project(g), scaledBy: -1)
            if Vectors.norm(gOff) > 1e-9 * Vectors.norm(g) {
                offDirection = whiten(gOff, vr: vr, eig: eig, support: inSupport)
                if Vectors.norm(offDirection!) <= 1e-9 * Vectors.norm(whitenedG ?? [1]) { offDirection = nil }
            }
        }
        let ksDirections = [whitenedG, offDirection].compactMap { $0 } + randomDirections
        let tests = (r > 0 ? 4 : 0) + (rOffStatistical ? 1 : 0)
        let level = options.falseFailRate / Double(max(tests, 1))
        if r > 0 {
            // Draws with no spread along a direction where the law has some cannot come from it: p = 0.
            let collapsed = "the draws have no spread along a direction of the law's support (their covariance there is singular)"
            do {
                let hotelling = try HotellingT2.oneSample(rows, nullMean: [Double](repeating: 0, count: r))
                checks.append(AuditCheck(name: "mean", quantity: "the mean", statistic: hotelling.mahalanobisDistanceSquared.squareRoot(),
                                         pValue: hotelling.pValue, threshold: level, passed: hotelling.pValue > level,
                                         detail: String(format: "Hotelling's T² in the %d-dimensional support: Mahalanobis distance of the mean %.3g, p = %.3g", r,
                                                        hotelling.mahalanobisDistanceSquared.squareRoot(), hotelling.pValue)))
            } catch StatisticsError.singularCovariance, StatisticsError.degenerateData {
                checks.append(AuditCheck(name: "mean", quantity: "the covariance (collapsed)", statistic: .infinity, pValue: 0, threshold: level, passed: false,
                                         detail: "Hotelling's T² cannot run: \(collapsed)"))
            }
            do {
                let identity = (0..<r).map { i in (0..<r).map { $0 == i ? 1.0 : 0 } }
                let covariance = try CovarianceTest.likelihoodRatio(rows, nullCovariance: identity)
                checks.append(AuditCheck(name: "covariance", quantity: "the covariance", statistic: covariance.estimate, pValue: covariance.pValue,
                                         threshold: level, passed: covariance.pValue > level,
                                         detail: String(format: "likelihood-ratio test: tr(C⁻¹S)/r = %.4g (1 under the law), p = %.3g", covariance.estimate, covariance.pValue)))
            } catch StatisticsError.singularCovariance, StatisticsError.degenerateData {
                checks.append(AuditCheck(name: "covariance", quantity: "the covariance (collapsed)", statistic: 0, pValue: 0, threshold: level, passed: false,
                                         detail: "the likelihood-ratio test cannot run: \(collapsed)"))
            }
            let spreadDirection = whitenedG ?? randomDirections[0]
            let unit = Vectors.scale(spreadDirection, by: 1 / Vectors.norm(spreadDirection))
            let spread = try VarianceTest.chiSquare(w.times(unit), nullVariance: 1)
            let along = whitenedG != nil ? "g" : "a random direction"
            checks.append(AuditCheck(name: "spread along \(along)", quantity: "the spread along \(along)", statistic: spread.estimate.squareRoot(),
                                     pValue: spread.pValue, threshold: level, passed: spread.pValue > level,
                                     detail: String(format: "χ² test: standard deviation along %@ is %.4g× the law's, p = %.3g", along, spread.estimate.squareRoot(), spread.pValue)))
            let ks = try ProjectedKS.oneSample(rows, directions: ksDirections, projectedCDF: { _ in { 0.5 * erfc(-$0 / 2.0.squareRoot()) } },
                                               alpha: level, method: n > 2000 ? .asymptotic : .automatic)
            let names = (whitenedG != nil ? ["g"] : []) + (offDirection != nil ? ["off span(A)"] : []) + randomDirections.indices.map { "random \($0 + 1)" }
            let worst = ks.perDirection[ks.worstDirection]
            checks.append(AuditCheck(name: "projected CDFs", quantity: "the law of the projection along \(names[ks.worstDirection])", statistic: worst.statistic,
                                     pValue: ks.pValue, threshold: level, passed: !ks.rejected,
                                     detail: String(format: "Kolmogorov–Smirnov on %d projections (%@): largest distance %.3g along %@, Bonferroni p = %.3g",
                                                    ksDirections.count, names.joined(separator: ", "), worst.statistic, names[ks.worstDirection], ks.pValue)))
        }
        if let (m, v) = rOffDraws, let s = rOffSamples {
            let z = (s - m) / max(v.squareRoot(), 1e-300)
            let p = erfc(abs(z) / 2.0.squareRoot())
            checks.append(AuditCheck(name: "r_off", quantity: "r_off, the off/on-span ratio", statistic: s, pValue: p, threshold: level, passed: p > level,
                                     detail: String(format: "mean r_off %.4g against the law's %.4g (Monte Carlo of %d draws), z = %.2f, p = %.3g", s, m, options.lawDraws, z, p)))
        } else if let s = rOffSamples {
            checks.append(AuditCheck(name: "r_off", quantity: "r_off, the off/on-span ratio", statistic: s, pValue: nil, threshold: options.supportTolerance,
                                     passed: s <= options.supportTolerance,
                                     detail: String(format: "mean r_off %.3g; the law stays on span(A), so r_off is 0 up to round-off (bound %.0e)", s, options.supportTolerance)))
        }

        let design = LawTestDesign(caseLevel: options.falseFailRate, tests: max(tests, 1), falsePassRate: options.falsePassRate,
                                   dimension: max(r, 1), directions: max(ksDirections.count, 1))
        let d = try design.detectable(draws: n)
        return SampleVerdict(draws: n, dimension: D, support: r, falseFailRate: options.falseFailRate, checks: checks,
                             power: AuditPower(meanShift: d.mean, standardDeviation: d.standardDeviation, cdfDistance: d.cdfDistance,
                                               falsePassRate: options.falsePassRate),
                             rOffSamples: rOffSamples, rOffLaw: rOffLaw)
    }

    /// Λ^{1/2}Vᵣᵀa: the direction in whitened coordinates whose projection is aᵀ(x − m), up to scale.
    static func whiten(_ a: [Double], vr: Matrix<Double>, eig: SymmetricEigendecomposition<Double>, support: [Int]) -> [Double] {
        let coords = vr.times(a, transposed: true)
        return zip(coords, support).map { $0 * eig.eigenvalues[$1].squareRoot() }
    }

    /// `count` draws of the law, m + Vᵣ Λ^{1/2} ξ, from the audit's own stream.
    static func drawLaw(_ law: GaussianLaw, support: [Int], eig: SymmetricEigendecomposition<Double>, count: Int, seed: UInt64,
                        index: UInt64 = 1 << 20) -> Matrix<Double> {
        var xi = NoiseFill.normals(rows: count, columns: max(support.count, 1), key: StreamKey(seed: seed, purpose: .audit, index: (1 << 32) | index))
        if support.isEmpty { xi.scaleColumns(by: [0]) }
        var factor = eig.eigenvectors.columns(support.isEmpty ? [0] : support)
        factor.scaleColumns(by: support.isEmpty ? [0] : support.map { eig.eigenvalues[$0].squareRoot() })
        var x = xi.matmul(factor, transposeOther: true)
        x.addToEachRow(law.mean)
        return x
    }

    /// Names the first NaN or infinity of an input.
    static func requireFinite(_ x: Matrix<Double>, what: String) throws {
        guard !x.isFinite else { return }
        let index = x.elements.firstIndex { !$0.isFinite }!
        throw AuditError("\(what) hold \(x.elements[index]) at row \(index / max(x.columns, 1)), column \(index % max(x.columns, 1)): every value must be finite")
    }
}
