import Foundation
import LinearAlgebra

/// The cheap checks every setting passes before anything is built from it: shapes, ranges, fields that
/// would be ignored, symmetry and positive definiteness of the small latent covariances, and a
/// `MemoryEstimate` of resolving the setting held against a `MemoryPolicy`.
///
/// It allocates nothing proportional to D² and draws no basis: the largest work is AᵀA (d×d) for a given
/// basis A (to check its columns are orthonormal) and a d×d Cholesky factorisation per latent covariance.
/// `SettingFile.fromJSON`, `SettingFile.fromNPZ` and `ResolvedExperiment.init` run it first, so an absurd
/// `D` fails in milliseconds with a `ResourceLimitError`, and "objective 'f1' needs theta" is found
/// before the Haar basis (a QR of a D×d matrix) is drawn. The one check left to resolution is that the
/// quadratic objective's Q is positive semi-definite, which needs an eigendecomposition of Q (D×D).
///
/// Errors are `SettingError`s naming the field by its path in the JSON layout ("data.mixture.
/// covariances[1]") or, for a setting read from .npz, by its array name ("mixture_covariances[1]").
/// They do not name the file: `SettingFile` puts the file in front, once.
///
/// Symmetric matrices (Σ_u, the mixture covariances, Q) must be symmetric up to round-off:
/// |aᵢⱼ − aⱼᵢ| ≤ 1e-12 · maxₖₗ |aₖₗ| (plus the smallest normal double, so a zero matrix passes). A matrix
/// written by `SettingFile.jsonObject` (17 significant digits) or computed as BBᵀ in NumPy meets this;
/// one with a typo does not, and is refused with its first offending pair (0-based indices, as NumPy's)
/// instead of being silently symmetrised.
public enum SettingValidation {
    /// The largest D or d accepted before the memory estimate: integers a JSON number (a double) holds exactly.
    public static let largestExactInteger: Double = 9_007_199_254_740_992   // 2^53
    /// The most diffusion steps T.
    public static let maximumSteps = 100_000
    /// How far from orthonormal the columns of a given basis A may be: max |AᵀA − I| (as `SubspaceDataModel`).
    public static let orthonormalityTolerance = 1e-8
    /// The relative tolerance of the symmetry check (round-off only).
    public static let symmetryTolerance = 1e-12

    /// Checks `s` (see the type's documentation); throws `SettingError` or `ResourceLimitError`.
    public static func check(_ s: ExperimentSetting, memory: MemoryPolicy = .standard) throws {
        try check(s, memory: memory, layout: .json)
    }

    static func check(_ s: ExperimentSetting, memory: MemoryPolicy, layout: SettingLayout) throws {
        let n = layout.name
        let objectiveKinds = ["f1", "f2", "linear", "quadratic"]

        // 1. Names and small integers.
        guard ["cosine", "linear"].contains(s.diffusion.schedule) else {
            throw SettingError("\(n("diffusion.schedule")) must be 'cosine' or 'linear', got '\(s.diffusion.schedule)'")
        }
        guard s.diffusion.steps >= 1 && s.diffusion.steps <= maximumSteps else {
            throw SettingError("\(n("diffusion.T")) (the number of diffusion steps) must be at least 1 and at most \(maximumSteps), got \(s.diffusion.steps)")
        }
        guard ["code", "theory", "constant"].contains(s.guidance.betaRule) else {
            throw SettingError("\(n("guidance.beta_rule")) must be 'code', 'theory' or 'constant', got '\(s.guidance.betaRule)'")
        }
        guard objectiveKinds.contains(s.objective.kind) else {
            throw SettingError("\(n("objective.kind")) must be f1, f2, linear or quadratic, got '\(s.objective.kind)'")
        }

        // 2. Dimensions.
        let D = s.data.ambientDimension
        switch s.data.kind {
        case .sphere:
            guard D >= 2 else { throw SettingError("\(n("data.D")) must be at least 2 for sphere data, got \(D)") }
            if let d = s.data.latentDimension {
                throw SettingError("\(n("data.d")) = \(d) is given, but sphere data have no latent dimension; remove it")
            }
        case .subspace:
            guard D >= 1 else { throw SettingError("\(n("data.D")) (the ambient dimension) must be at least 1, got \(D)") }
            let d = s.data.latentDimension ?? 16
            guard d >= 1 else { throw SettingError("\(n("data.d")) (the latent dimension) must be at least 1, got \(d)") }
            guard d <= D else {
                throw SettingError("\(n("data.d")) = \(d)\(s.data.latentDimension == nil ? " (the default)" : "") exceeds ambient dimension \(n("data.D")) = \(D)")
            }
        }

        // 3. Memory, before any check that walks a D-sized field.
        try memory.require(resolvingEstimate(s))

        // 4. The data law.
        let data = s.data
        let mixtureGiven = data.mixtureWeights != nil || data.mixtureMeans != nil || data.mixtureCovariances != nil
        switch data.kind {
        case .sphere:
            let unread: [(String, Bool)] = [
                ("data.A", data.basis != nil), ("data.basis_seed", data.basisSeed != nil), ("data.mu_u", data.latentMean != nil),
                ("data.Sigma_u", data.latentCovariance != nil), ("data.mixture", mixtureGiven),
            ]
            if let (field, _) = unread.first(where: { $0.1 }) {
                let name = field == "data.mixture" ? layout.mixtureName : n(field)
                throw SettingError("\(name) is given, but sphere data (x = z/‖z‖) have no basis or latent law, so it would be ignored; remove it")
            }
        case .subspace:
            let d = data.latentDimension ?? 16
            if let seed = data.basisSeed {
                guard data.basis == nil else {
                    throw SettingError("\(n("data.basis_seed")) is given together with \(n("data.A")); the seed draws a basis only when A is absent, so give one of them")
                }
                guard Double(seed) < largestExactInteger else {
                    throw SettingError("\(n("data.basis_seed")) must be an integer at least 0 and below 2^53 (JSON numbers are doubles, so a larger seed would not survive a round trip), got \(seed)")
                }
            }
            if let a = data.basis {
                try requireShape(a, rows: D, columns: d, n("data.A"), "D×d")
                try requireFinite(a, n("data.A"))
                let m = Matrix(stacking: a, columns: d)
                let err = (m.matmul(m, transposeSelf: true) - .identity(d)).maxAbs
                guard err <= orthonormalityTolerance else {
                    throw SettingError("\(n("data.A")) must have orthonormal columns (AᵀA = I), but max |AᵀA − I| = \(SettingNumbers.text(err))")
                }
            }
            if mixtureGiven {
                let parts: [(String, Bool)] = [("data.mixture.weights", data.mixtureWeights != nil), ("data.mixture.means", data.mixtureMeans != nil),
                                               ("data.mixture.covariances", data.mixtureCovariances != nil)]
                if let (missing, _) = parts.first(where: { !$0.1 }) {
                    let given = parts.filter(\.1).map { n($0.0) }.joined(separator: " and ")
                    throw SettingError("\(n(missing)) is missing: a mixture needs weights, means and covariances, and without it \(given) would be ignored")
                }
                for (field, given) in [("data.mu_u", data.latentMean != nil), ("data.Sigma_u", data.latentCovariance != nil)] where given {
                    throw SettingError("\(n(field)) is given together with a mixture; the mixture's means and covariances replace it, so it would be ignored; remove it")
                }
                let w = data.mixtureWeights!, means = data.mixtureMeans!, covs = data.mixtureCovariances!
                guard !w.isEmpty else { throw SettingError("\(n("data.mixture.weights")) is empty: a mixture needs at least one component") }
                guard means.count == w.count else {
                    throw SettingError("\(n("data.mixture.means")) has \(means.count) means for \(w.count) weights")
                }
                guard covs.count == w.count else {
                    throw SettingError("\(n("data.mixture.covariances")) has \(covs.count) covariances for \(w.count) weights")
                }
                if let k = w.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
                    throw SettingError("\(n("data.mixture.weights"))[\(k)] must be positive and finite, got \(SettingNumbers.text(w[k]))")
                }
                let total = w.reduce(0, +)
                guard abs(total - 1) < 1e-9 else {
                    throw SettingError("\(n("data.mixture.weights")) must sum to 1 (within 1e-9), got sum \(SettingNumbers.text(total))")
                }
                for (k, m) in means.enumerated() {
                    try requireVector(m, count: d, "\(n("data.mixture.means"))[\(k)]", "d")
                }
                for (k, c) in covs.enumerated() {
                    try requireCovariance(c, d, "\(n("data.mixture.covariances"))[\(k)]")
                }
            } else {
                if let mean = data.latentMean { try requireVector(mean, count: d, n("data.mu_u"), "d") }
                if let cov = data.latentCovariance { try requireCovariance(cov, d, n("data.Sigma_u")) }
            }
        }

        // 5. The objective: what each kind reads (see `ResolvedExperiment`).
        let o = s.objective
        let centerField = o.kind == "f2" ? "objective.b" : "objective.c"
        let reads: [String: Set<String>] = [
            "f1": ["theta", "target", "peak"], "f2": ["center", "peak"], "linear": ["theta"], "quadratic": ["center", "Q"],
        ]
        let needs: [String: [String]] = ["f1": ["theta"], "f2": ["center"], "linear": ["theta"], "quadratic": ["center", "Q"]]
        let read = reads[o.kind]!
        let present: [(String, String, Bool)] = [
            ("theta", "objective.theta", o.theta != nil), ("center", centerField, o.center != nil), ("Q", "objective.Q", o.curvature != nil),
            ("target", "objective.target", o.target != nil), ("peak", "objective.peak", o.peak != nil),
        ]
        for (key, field, given) in present where given && !read.contains(key) {
            throw SettingError("\(n(field)) is given, but objective '\(o.kind)' does not read it (it reads \(read.sorted().map { n($0 == "center" ? centerField : "objective." + $0) }.joined(separator: ", "))); remove it")
        }
        for key in needs[o.kind]! where !present.contains(where: { $0.0 == key && $0.2 }) {
            let field = key == "center" ? centerField : "objective." + key
            throw SettingError("objective '\(o.kind)' needs \(n(field))")
        }
        if let theta = o.theta { try requireVector(theta, count: D, n("objective.theta"), "D") }
        if let c = o.center { try requireVector(c, count: D, n(centerField), "D") }
        if let q = o.curvature {
            try requireShape(q, rows: D, columns: D, n("objective.Q"), "D×D")
            try requireFinite(q, n("objective.Q"))
            try requireSymmetric(q, n("objective.Q"))
        }
        for (field, value) in [("objective.target", o.target), ("objective.peak", o.peak)] {
            if let value, !value.isFinite { throw SettingError("\(n(field)) must be finite, got \(value)") }
        }

        // 6. The guidance.
        let g = s.guidance
        guard g.sigma > 0, g.sigma.isFinite else {
            throw SettingError("\(n("guidance.sigma")): σ must be positive and finite, got \(SettingNumbers.text(g.sigma))")
        }
        guard g.betaCoefficient.isFinite else { throw SettingError("\(n("guidance.beta_coef")) must be finite, got \(g.betaCoefficient)") }
        if g.betaRule == "constant" {
            guard let b = g.beta else { throw SettingError("\(n("guidance.beta_rule")) 'constant' needs \(n("guidance.beta"))") }
            guard b.isFinite else { throw SettingError("\(n("guidance.beta")) must be finite, got \(b)") }
        } else if g.beta != nil {
            throw SettingError("\(n("guidance.beta")) is given, but it is read only with \(n("guidance.beta_rule")) 'constant' (the rule is '\(g.betaRule)'); remove it or set the rule to 'constant'")
        }
        if let grad = g.gradient { try requireVector(grad, count: D, n("guidance.g"), "D") }
        if let y = g.target, !y.isFinite { throw SettingError("\(n("guidance.y")) must be finite, got \(y)") }
    }

    // MARK: Field checks

    static func requireVector(_ v: [Double], count: Int, _ field: String, _ what: String) throws {
        guard v.count == count else { throw SettingError("\(field) has \(v.count) entries, but \(what) = \(count)") }
        if let i = v.firstIndex(where: { !$0.isFinite }) { throw SettingError("\(field)[\(i)] is \(v[i]); entries must be finite") }
    }

    static func shapeText(_ m: [[Double]]) -> String {
        let lengths = Set(m.map(\.count))
        if lengths.count > 1, let i = m.firstIndex(where: { $0.count != m[0].count }) {
            return "a ragged matrix (row 0 has \(m[0].count) entries, row \(i) has \(m[i].count))"
        }
        return "\(m.count)×\(m.first?.count ?? 0)"
    }

    static func requireShape(_ m: [[Double]], rows: Int, columns: Int, _ field: String, _ what: String) throws {
        guard m.count == rows, m.allSatisfy({ $0.count == columns }) else {
            throw SettingError("\(field) must be \(rows)×\(columns) (\(what)), got \(shapeText(m))")
        }
    }

    static func requireFinite(_ m: [[Double]], _ field: String) throws {
        for (i, row) in m.enumerated() {
            if let j = row.firstIndex(where: { !$0.isFinite }) { throw SettingError("\(field) entry (\(i), \(j)) is \(row[j]); entries must be finite") }
        }
    }

    /// The first pair (i < j, row by row) whose entries differ by more than round-off, or nil.
    static func firstAsymmetry(_ m: [[Double]]) -> (i: Int, j: Int, upper: Double, lower: Double)? {
        let scale = m.reduce(0) { max($0, $1.reduce(0) { max($0, abs($1)) }) }
        let tolerance = symmetryTolerance * scale + Double.leastNormalMagnitude
        for i in 0..<m.count {
            for j in (i + 1)..<max(m.count, i + 1) where abs(m[i][j] - m[j][i]) > tolerance {
                return (i, j, m[i][j], m[j][i])
            }
        }
        return nil
    }

    static func requireSymmetric(_ m: [[Double]], _ field: String) throws {
        if let (i, j, a, b) = firstAsymmetry(m) {
            throw SettingError("\(field) is not symmetric: entry (\(i), \(j)) = \(SettingNumbers.text(a)) but (\(j), \(i)) = \(SettingNumbers.text(b))")
        }
    }

    /// d×d, finite, symmetric and positive definite (a Cholesky factorisation succeeds).
    static func requireCovariance(_ m: [[Double]], _ d: Int, _ field: String) throws {
        try requireShape(m, rows: d, columns: d, field, "d×d")
        try requireFinite(m, field)
        try requireSymmetric(m, field)
        do { _ = try Cholesky(Matrix(stacking: m, columns: d)) } catch let LinearAlgebraError.notPositiveDefinite(k) {
            throw SettingError("\(field) is not positive definite: its Cholesky factorisation fails at the leading \(k)×\(k) minor (a covariance needs positive eigenvalues)")
        } catch {
            throw SettingError("\(field) cannot be factorised: \(error)")
        }
    }

    // MARK: Memory estimates

    /// What `ResolvedExperiment.init` (and `scoreModel(.exact)` right after it) holds at its peak, in bytes:
    /// - subspace data: the basis A (D×d) three times over (the Gaussian draw, the QR's work copy and Q with
    ///   its signs folded in; or, for a given A, the setting's rows, the matrix and the AᵀA check's copy), and
    ///   the exact score's A·U (D×d). The exact score holds no D×D matrix: a Gaussian latent gives
    ///   `GaussianScore` with a D×d basis, a mixture `MixtureScore` with A and K small d×d factors;
    /// - the latent covariances: five d×d matrices per component (the setting's, the matrix, the factor,
    ///   the eigenvectors, the check's Cholesky factor);
    /// - the quadratic objective's Q: seven D×D matrices (the setting's rows, the matrix, the symmetrised
    ///   copy, LAPACKE's row-major copy and `dsyevd`'s workspace of 2·D², and the symmetrised Q kept);
    /// - the vectors θ, b or c, g (D each) and the noise schedule (a few arrays of T + 1).
    public static func resolvingEstimate(_ s: ExperimentSetting) -> MemoryEstimate {
        let D = Double(s.data.ambientDimension)
        let dims = s.data.kind == .subspace ? "D = \(s.data.ambientDimension), d = \(s.data.latentDimension ?? 16)" : "D = \(s.data.ambientDimension)"
        var e = MemoryEstimate("resolving the setting from \(s.origin) (\(dims))")
        if s.data.kind == .subspace {
            let d = Double(s.data.latentDimension ?? 16)
            e.add("basis A (D×d = \(s.data.ambientDimension)×\(s.data.latentDimension ?? 16)) with its QR work, 3 copies", elements: 3 * D * d)
            e.add("exact score A·U (D×d)", elements: D * d)
            let components = Double(max(1, s.data.mixtureWeights?.count ?? 1))
            e.add("latent covariances (d×d, 5 per component)", elements: 5 * components * d * d)
        }
        if s.objective.kind == "quadratic" {
            e.add("objective Q (D×D = \(s.data.ambientDimension)×\(s.data.ambientDimension)) and its eigendecomposition, 7 copies", elements: 7 * D * D)
        }
        e.add("vectors θ, b or c, g (D each)", elements: 3 * D)
        e.add("noise schedule (T + 1 each)", elements: 6 * (Double(max(0, s.diffusion.steps)) + 1))
        return e
    }

    /// What `DDPMSampler` (or `ContinuousSampler`) holds while drawing `count` points, with the outputs
    /// `ggd sample` writes, in bytes (n = count):
    /// - the sampler: x (the samples), the noise z and x̂₀ (the score model's output), three n×D arrays,
    ///   and the score model's coordinates Bᵀx, n×r (r = d for the exact score of a Gaussian latent, D for
    ///   the linear class); a mixture's posterior instead holds (2K + 4) n×d arrays and the n×K
    ///   responsibilities (its denoiser and its vector–Jacobian product each build K latent means);
    /// - `guided`: the guidance's per-sample gradients g (n×D), the vector–Jacobian product (n×D) and the
    ///   term made from it (n×D), and the VJP's own n×r coordinates: six work copies of the samples in all;
    /// - the score model itself: the exact score's A·U (D×d), or the linear class's eigenvectors (D×D);
    /// - `outputs`: samples.csv as text, about 25 bytes per number, held twice (the string and its UTF-8
    ///   bytes), and samples.npy, 8 bytes per number, held twice (the array's copy and the file's bytes).
    /// The resolved setting itself is `resolvingEstimate`; fitting the linear class is `pretrainingEstimate`.
    public static func samplingEstimate(_ s: ExperimentSetting, count: Int, score: ScoreChoice = .exact, guided: Bool = true,
                                        outputs: Bool = true, work: String? = nil) -> MemoryEstimate {
        let n = Double(max(0, count)), D = Double(s.data.ambientDimension)
        let d = Double(s.data.latentDimension ?? 16)
        var e = MemoryEstimate(work ?? "sampling \(count) points of dimension D = \(s.data.ambientDimension)")
        e.add("samples, noise and x̂₀ (count×D = \(count)×\(s.data.ambientDimension), 3 copies)", elements: 3 * n * D)
        let linear = score == .linear || s.data.kind == .sphere
        if !linear, let k = s.data.mixtureWeights.map({ Double($0.count) }) {
            e.add("mixture posterior ((2K + 4) count×d arrays and count×K responsibilities)", elements: (2 * k + 4) * n * d + n * k)
        } else {
            let r = linear ? D : d
            e.add("score model coordinates (count×r, r = \(linear ? "D" : "d"))", elements: (guided ? 2 : 1) * n * r)
        }
        if guided { e.add("guidance gradients, vector–Jacobian product and term (count×D, 3 copies)", elements: 3 * n * D) }
        if linear {
            e.add("linear score class eigenvectors (D×D)", elements: D * D + D)
        } else {
            e.add("exact score A·U (D×d)", elements: D * d)
        }
        if outputs {
            e.add("samples.csv text (about 25 bytes per number, held twice)", elements: 2 * n * D, bytesEach: 25)
            e.add("samples.npy (8 bytes per number, held twice)", elements: 2 * n * D)
        }
        return e
    }

    /// What drawing `count` pre-training points (D₀) holds, and with `fitsLinearScore` fitting the linear
    /// score class to them (`scoreModel(.linear)`), in bytes (n = count):
    /// - D₀ itself, n×D, and for subspace data the latent draws z and u, two n×d arrays;
    /// - the fit (`EmpiricalMoments`, `GaussianScore.fromCovariance`): the centred and the weighted copy of
    ///   D₀ (two n×D), and six D×D matrices (the covariance, its symmetrised copy, the eigendecomposition's
    ///   copy, LAPACKE's row-major copy and `dsyevd`'s workspace of 2·D²). The fitted score keeps one D×D.
    public static func pretrainingEstimate(_ s: ExperimentSetting, count: Int, fitsLinearScore: Bool = true,
                                           work: String? = nil) -> MemoryEstimate {
        let n = Double(max(0, count)), D = Double(s.data.ambientDimension)
        var e = MemoryEstimate(work ?? "drawing \(count) pre-training points of dimension D = \(s.data.ambientDimension)")
        e.add("pre-training data D₀ (count×D = \(count)×\(s.data.ambientDimension))", elements: n * D)
        if s.data.kind == .subspace {
            e.add("latent draws z and u (count×d, 2 copies)", elements: 2 * n * Double(s.data.latentDimension ?? 16))
        }
        if fitsLinearScore {
            e.add("centred and weighted copies of D₀ (count×D, 2 copies)", elements: 2 * n * D)
            e.add("covariance Σ̄ (D×D = \(s.data.ambientDimension)×\(s.data.ambientDimension)) and its eigendecomposition, 6 copies", elements: 6 * D * D)
        }
        return e
    }

    /// What `DDPMExactLaw.output` holds for this setting, and with `outputs` the result.json of `ggd law`,
    /// in bytes: the recursion's D×D matrices (the denoiser's Jacobian, the guidance's linear term, the
    /// step matrix F, the covariance C, F·C, F·C·Fᵀ and its symmetrised copy: seven), and the covariance
    /// written as JSON (D² numbers: the rows as doubles, 8 bytes, as JSON values, about 32 bytes, and as
    /// text, about 25 bytes, held twice).
    public static func lawEstimate(_ s: ExperimentSetting, outputs: Bool = true, work: String? = nil) -> MemoryEstimate {
        let D = Double(s.data.ambientDimension)
        var e = MemoryEstimate(work ?? "the exact law of dimension D = \(s.data.ambientDimension)")
        e.add("exact-law recursion (D×D = \(s.data.ambientDimension)×\(s.data.ambientDimension), 7 copies)", elements: 7 * D * D)
        if outputs { e.add("covariance in result.json (D×D numbers, about 90 bytes each)", elements: D * D, bytesEach: 8 + 32 + 50) }
        return e
    }
}

/// Checked conversions of numbers read from a file, and numbers for messages.
enum SettingNumbers {
    /// `x` as written in a message: an integral value without ".0" when it is small, else Swift's shortest
    /// round-trip form ("0.3", "1e+30").
    static func text(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }

    /// `x` as an Int when it is finite, integral and within lo...hi; otherwise a `SettingError` naming
    /// `field`, the range and the value (never a trap, never a truncation).
    static func integer(_ x: Double, _ field: String, atLeast lo: Int, atMost hi: Double, hiText: String? = nil, note: String = "") throws -> Int {
        guard x.isFinite, x == x.rounded(), x >= Double(lo), x <= hi else {
            let bound = hiText ?? text(hi)
            throw SettingError("\(field) must be an integer at least \(lo) and at most \(bound)\(note), got \(text(x))")
        }
        return Int(x)
    }

    /// A basis seed: an integer in [0, 2^53).
    static func seed(_ x: Double, _ field: String) throws -> UInt64 {
        guard x.isFinite, x == x.rounded(), x >= 0, x < SettingValidation.largestExactInteger else {
            throw SettingError("\(field) must be an integer at least 0 and below 2^53 (JSON numbers are doubles, so a larger seed would not survive a round trip), got \(text(x))")
        }
        return UInt64(x)
    }
}

/// How fields are named in messages: by their path in the JSON layout, inside a recorded output's
/// `setting` object, or by their .npz array names.
struct SettingLayout: Sendable {
    enum Format: Sendable { case json, npz }
    var format: Format
    /// Put in front of every JSON path ("setting." for a setting recorded in a result.json).
    var prefix: String = ""
    /// Paths with a name of their own (the paper file's "theta_2" for objective.theta).
    var renames: [String: String] = [:]

    static let json = SettingLayout(format: .json)
    static let npz = SettingLayout(format: .npz)

    /// The field at JSON path `path` ("data.mixture.covariances[1]"), as this layout names it.
    func name(_ path: String) -> String {
        if let r = renames[path] { return r }
        switch format {
        case .json: return prefix + path
        case .npz:
            let special = ["data.kind": "sphere", "objective.kind": "objective_code", "guidance.beta_rule": "beta_rule_code",
                           "diffusion.schedule": "schedule_code", "diffusion.T": "T"]
            if let s = special[path] { return s }
            var rest = Substring(path)
            if let dot = rest.firstIndex(of: ".") { rest = rest[rest.index(after: dot)...] }
            if rest.hasPrefix("mixture.") { return "mixture_" + rest.dropFirst("mixture.".count) }
            return String(rest)
        }
    }

    /// The mixture as a whole.
    var mixtureName: String { format == .npz ? "mixture_weights/mixture_means/mixture_covariances" : prefix + "data.mixture" }
}
