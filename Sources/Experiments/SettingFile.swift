import Foundation
import LinearAlgebra
import NumPyIO
import StrictJSON

/// Reads and writes settings files: JSON (documented in README, "Settings files") or NumPy .npz.
///
/// JSON layout (every section and most keys optional; defaults in brackets):
///
///     { "data": { "kind": "subspace" | "sphere", "D": 64, "d": 16,
///                 "A": [[…D rows of d…]] | "basis_seed": 7,        [Haar A from seed 0]
///                 "mu_u": […], "Sigma_u": [[…]],                    [0, I]
///                 "mixture": { "weights": […], "means": [[…]], "covariances": [[[…]]] } },
///       "objective": { "kind": "f1" | "f2" | "linear" | "quadratic",
///                      "theta": […], "b": […], "c": […], "Q": [[…]], "target": 3, "peak": 10 },
///       "guidance": { "sigma": 0.1, "beta_rule": "code" | "theory" | "constant", "beta": 1,
///                     "beta_coef": 1, "g": […], "y": 1.5 },
///       "diffusion": { "schedule": "cosine" | "linear", "T": 200 } }
///
/// .npz layout: the same names as flat numeric arrays (`A` may be stored D×d or d×D: the longer side is
/// D), strings as codes (`objective_code` 1 f1, 2 f2, 3 linear, 4 quadratic; `beta_rule_code` 0 code,
/// 1 theory, 2 constant; `schedule_code` 0 cosine, 1 linear; `sphere` 1 for sphere data). The paper's own
/// linear_latent_hyperparameters.npz is also accepted (θ₂ and f₁ unless `theta_1` alone is present; see
/// `fromNPZ` for what else it may hold).
///
/// The result.json of `ggd sample`, `optimize` and `law` is also a setting file: its recorded "setting"
/// is read (see `fromJSON`), so every output replays. The top-level "origin" that `jsonObject` writes is
/// informational: the setting read records the file it came from instead.
///
/// Every setting passes `SettingValidation` before anything is built from it: a field that the setting
/// would ignore is refused (a mixture without weights; `mu_u`/`Sigma_u` beside a mixture; `d`, `A`,
/// `basis_seed`, `mu_u`, `Sigma_u` or a mixture for sphere data; `A` with `basis_seed`; `b` for a quadratic
/// or `c` for f2; an objective key its kind does not read; `beta` without `beta_rule` "constant"), integers
/// are checked rather than converted (`basis_seed` in [0, 2^53)), Σ_u, the mixture covariances and Q must
/// be symmetric up to round-off and the covariances positive definite, and the memory of resolving the
/// setting is held against a `MemoryPolicy`. Errors are one line: the file once, then the field path.
public enum SettingFile {
    /// Reads the setting at `path` (.npz by its extension, JSON otherwise). A missing, unreadable or
    /// oversized file is an `InputFileError`; bad contents a one-line `SettingError` that names the file
    /// once and the field; a setting too large for `memory` a `ResourceLimitError`, before anything is built.
    public static func load(path: String, memory: MemoryPolicy = .standard) throws -> ExperimentSetting {
        if FilePaths.pathExtension(path) == "npz" {
            try InputFiles.requireReadableFile(path)
            let arrays: [String: NumPyArray]
            // A setting is kilobytes; its members may inflate to at most a quarter of the memory limit (and 1 GiB).
            let bound = max(1 << 20, min(1 << 30, Int(memory.limitBytes / 4)))
            let limits = NPZLimits(maxFileBytes: 256 << 20, maxTotalBytes: bound, maxEntryBytes: bound)
            do { arrays = try NPZArchive.read(contentsOf: path, limits: limits) } catch let e as NumPyIOError {
                // The error names the path itself; put it in front exactly once.
                if e.kind == .io { throw InputFileError(path: path, reason: e.descriptionWithoutPath) }
                throw SettingError("\(path): \(e.descriptionWithoutPath)")
            }
            return try fromNPZ(arrays, origin: path, memory: memory)
        }
        let data = try InputFiles.read(path)
        let object: Any
        do { object = try JSONParser.parse(data).plain } catch {
            throw SettingError("\(path): not valid JSON (\(JSONErrorDescription.describe(error)))")
        }
        guard let dict = object as? [String: Any] else { throw SettingError("\(path): the top level must be a JSON object") }
        return try fromJSON(dict, origin: path, memory: memory)
    }

    // MARK: JSON

    /// The setting in a parsed JSON document. Errors name `origin` (the file) once, then the field.
    ///
    /// A `result.json` of `ggd sample`, `optimize` or `law` replays: a top level that has "setting" together
    /// with "command" or "tool_version" is read through its recorded "setting" object (what `jsonObject`
    /// wrote), and fields are then named "setting.data.D" and so on. The results.json of `ggd reproduce` or
    /// `ggd report`, and other outputs without a setting, are refused with a message that says so.
    public static func fromJSON(_ root: [String: Any], origin: String, memory: MemoryPolicy = .standard) throws -> ExperimentSetting {
        try located(origin) {
            let (object, layout) = try recordedSetting(root)
            return try parseJSON(object, origin: origin, memory: memory, layout: layout)
        }
    }

    /// The setting object inside `root` (itself, or a recorded output's "setting"), and how to name its fields.
    private static func recordedSetting(_ root: [String: Any]) throws -> ([String: Any], SettingLayout) {
        let settingKeys: Set<String> = ["data", "objective", "guidance", "diffusion"]
        let isOutput = root["command"] != nil || root["tool_version"] != nil || root["toolVersion"] != nil
        if let recorded = root["setting"], isOutput {
            guard let object = recorded as? [String: Any] else {
                throw SettingError("this ggd output's 'setting' must be a JSON object, got \(jsonTypeName(recorded))")
            }
            return (object, SettingLayout(format: .json, prefix: "setting."))
        }
        if settingKeys.isDisjoint(with: root.keys) {
            let reread = "give a settings file, or the result.json of ggd sample, optimize or law, which records its setting"
            if root["provenance"] != nil && (root["numbers"] != nil || root["figures"] != nil) && root["claims"] == nil {
                throw SettingError("this is a ggd reproduce results file; it records no setting (\(reread))")
            }
            if root["schema"] != nil || root["claims"] != nil {
                throw SettingError("this is a ggd report results file; it records no setting (\(reread))")
            }
            if isOutput {
                let which = (root["command"] as? String).map { "ggd \($0)" } ?? "ggd"
                throw SettingError("this is an output of \(which) that records no setting (\(reread))")
            }
        }
        return (root, .json)
    }

    private static func parseJSON(_ root: [String: Any], origin: String, memory: MemoryPolicy, layout: SettingLayout) throws -> ExperimentSetting {
        let n = layout.name
        try checkKeys(root, allowed: ["data", "objective", "guidance", "diffusion", "origin"],
                      in: layout.prefix.isEmpty ? "the top level" : "'\(layout.prefix.dropLast())'")
        let dataSection = try section(root, "data", n("data"))
        let objSection = try section(root, "objective", n("objective"))
        let guideSection = try section(root, "guidance", n("guidance"))
        let diffSection = try section(root, "diffusion", n("diffusion"))
        try checkKeys(dataSection, allowed: ["kind", "D", "d", "A", "basis_seed", "mu_u", "Sigma_u", "mixture"], in: n("data"))
        try checkKeys(objSection, allowed: ["kind", "theta", "b", "c", "Q", "target", "peak"], in: n("objective"))
        try checkKeys(guideSection, allowed: ["sigma", "beta_rule", "beta", "beta_coef", "g", "y"], in: n("guidance"))
        try checkKeys(diffSection, allowed: ["schedule", "T"], in: n("diffusion"))

        let kindName = try string(dataSection, "kind", n("data.kind")) ?? "subspace"
        guard let kind = ExperimentSetting.DataKind(rawValue: kindName) else {
            throw SettingError("\(n("data.kind")) must be 'subspace' or 'sphere', got '\(kindName)'")
        }
        let basis = try matrix(dataSection, "A", n("data.A"))
        let largest = SettingValidation.largestExactInteger
        var D = try integer(dataSection, "D", n("data.D"), atLeast: 1, atMost: largest, hiText: "2^53")
        var d = try integer(dataSection, "d", n("data.d"), atLeast: 1, atMost: largest, hiText: "2^53")
        if let basis, kind == .subspace {
            guard let first = basis.first, !first.isEmpty else { throw SettingError("\(n("data.A")) is empty") }
            let (r, c) = (basis.count, first.count)
            if let D0 = D, D0 != r { throw SettingError("\(n("data.A")) has \(r) rows, but \(n("data.D")) = \(D0)") }
            if let d0 = d, d0 != c { throw SettingError("\(n("data.A")) has \(c) columns, but \(n("data.d")) = \(d0)") }
            D = r
            d = c
        }
        var data = ExperimentSetting.Data(
            kind: kind, ambientDimension: D ?? basis?.count ?? 64, latentDimension: kind == .subspace ? (d ?? 16) : d,
            basis: basis, basisSeed: try number(dataSection, "basis_seed", n("data.basis_seed")).map { try SettingNumbers.seed($0, n("data.basis_seed")) },
            latentMean: try vector(dataSection, "mu_u", n("data.mu_u")), latentCovariance: try matrix(dataSection, "Sigma_u", n("data.Sigma_u")),
            mixtureWeights: nil, mixtureMeans: nil, mixtureCovariances: nil)
        if let mix = dataSection["mixture"], !(mix is NSNull) {
            guard let m = mix as? [String: Any] else {
                throw SettingError("\(n("data.mixture")) must be an object with weights, means and covariances, got \(jsonTypeName(mix))")
            }
            try checkKeys(m, allowed: ["weights", "means", "covariances"], in: n("data.mixture"))
            guard !m.isEmpty else { throw SettingError("\(n("data.mixture")) is empty; give weights, means and covariances, or remove it") }
            data.mixtureWeights = try vector(m, "weights", n("data.mixture.weights"))
            data.mixtureMeans = try matrix(m, "means", n("data.mixture.means"))
            if let covs = m["covariances"], !(covs is NSNull) {
                guard let list = covs as? [Any] else {
                    throw SettingError("\(n("data.mixture.covariances")) must be a list of matrices, got \(jsonTypeName(covs))")
                }
                data.mixtureCovariances = try list.enumerated().map { i, c in try matrixValue(c, "\(n("data.mixture.covariances"))[\(i)]") }
            }
        }
        let objectiveKind = try string(objSection, "kind", n("objective.kind")) ?? (kind == .sphere ? "linear" : "f1")
        let objective = ExperimentSetting.Objective(
            kind: objectiveKind, theta: try vector(objSection, "theta", n("objective.theta")),
            center: try center(kind: objectiveKind, b: try vector(objSection, "b", n("objective.b")), c: try vector(objSection, "c", n("objective.c")), layout),
            curvature: try matrix(objSection, "Q", n("objective.Q")),
            target: try number(objSection, "target", n("objective.target")), peak: try number(objSection, "peak", n("objective.peak")))
        let guidance = ExperimentSetting.Guidance(
            sigma: try number(guideSection, "sigma", n("guidance.sigma")) ?? 0.1,
            betaRule: try string(guideSection, "beta_rule", n("guidance.beta_rule")) ?? "code",
            beta: try number(guideSection, "beta", n("guidance.beta")),
            betaCoefficient: try number(guideSection, "beta_coef", n("guidance.beta_coef")) ?? 1,
            gradient: try vector(guideSection, "g", n("guidance.g")), target: try number(guideSection, "y", n("guidance.y")))
        let diffusion = ExperimentSetting.Diffusion(
            schedule: try string(diffSection, "schedule", n("diffusion.schedule")) ?? "cosine",
            steps: try integer(diffSection, "T", n("diffusion.T"), atLeast: 1, atMost: Double(SettingValidation.maximumSteps)) ?? 200)
        let setting = ExperimentSetting(data: data, objective: objective, guidance: guidance, diffusion: diffusion, origin: origin)
        try SettingValidation.check(setting, memory: memory, layout: layout)
        _ = try ResolvedExperiment(setting, memory: memory, layout: layout, validated: true)   // the checks that need the built objects
        return setting
    }

    /// The objective's center from the keys "b" (f2) and "c" (quadratic): the key the kind does not read,
    /// or both keys, are refused rather than silently taken for the other.
    static func center(kind: String, b: [Double]?, c: [Double]?, _ layout: SettingLayout) throws -> [Double]? {
        let n = layout.name
        if b != nil && c != nil {
            throw SettingError("\(n("objective.b")) and \(n("objective.c")) are both given; objective 'f2' reads b and 'quadratic' reads c, so give only the one objective '\(kind)' reads")
        }
        switch kind {
        case "f2":
            if c != nil { throw SettingError("\(n("objective.c")) is given, but objective 'f2' reads its center from \(n("objective.b")); rename it") }
        case "quadratic":
            if b != nil { throw SettingError("\(n("objective.b")) is given, but objective 'quadratic' reads its center from \(n("objective.c")); rename it") }
        case "f1", "linear":
            if b != nil || c != nil {
                throw SettingError("\(n(b != nil ? "objective.b" : "objective.c")) is given, but objective '\(kind)' has no center and does not read it; remove it")
            }
        default: break   // an unknown kind: validation names the kind
        }
        return b ?? c
    }

    /// Runs `body`, putting `origin` in front of its `SettingError`s (the only place the file is named).
    static func located<T>(_ origin: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as SettingError {
            throw origin.isEmpty ? e : SettingError("\(origin): \(e.description)")
        }
    }

    /// The setting in the JSON layout `fromJSON` reads, so every output can be fed back as `--setting`.
    public static func jsonObject(_ s: ExperimentSetting) -> [String: Any] {
        var data: [String: Any] = ["kind": s.data.kind.rawValue, "D": s.data.ambientDimension]
        if let d = s.data.latentDimension { data["d"] = d }
        if let a = s.data.basis { data["A"] = a }
        if let seed = s.data.basisSeed { data["basis_seed"] = seed }
        if let m = s.data.latentMean { data["mu_u"] = m }
        if let c = s.data.latentCovariance { data["Sigma_u"] = c }
        if let w = s.data.mixtureWeights {
            data["mixture"] = ["weights": w, "means": s.data.mixtureMeans ?? [], "covariances": s.data.mixtureCovariances ?? []] as [String: Any]
        }
        var objective: [String: Any] = ["kind": s.objective.kind]
        if let t = s.objective.theta { objective["theta"] = t }
        if let c = s.objective.center { objective[s.objective.kind == "f2" ? "b" : "c"] = c }
        if let q = s.objective.curvature { objective["Q"] = q }
        if let t = s.objective.target { objective["target"] = t }
        if let p = s.objective.peak { objective["peak"] = p }
        var guidance: [String: Any] = ["sigma": s.guidance.sigma, "beta_rule": s.guidance.betaRule, "beta_coef": s.guidance.betaCoefficient]
        if let b = s.guidance.beta { guidance["beta"] = b }
        if let g = s.guidance.gradient { guidance["g"] = g }
        if let y = s.guidance.target { guidance["y"] = y }
        return ["data": data, "objective": objective, "guidance": guidance,
                "diffusion": ["schedule": s.diffusion.schedule, "T": s.diffusion.steps] as [String: Any], "origin": s.origin]
    }

    // MARK: NPZ

    /// The setting in a .npz archive's arrays. Errors name `origin` (the file) once, then the array.
    ///
    /// Every integer (D, d, T, basis_seed, the codes, sphere) must be finite, integral and in range: 4.7
    /// is refused, not truncated. `D`/`d` beside `A` must agree with its shape.
    ///
    /// The paper's own format (it has `theta_1` or `theta_2`) holds exactly the arrays of
    /// linear_latent_hyperparameters.npz: `A` (d×D), `theta_1`, `theta_2`, `b_1`, `b_2`, `d_inner`, `d_outer`.
    /// It gives f₁ with θ₂ (θ₁ when `theta_2` is absent); `d_outer`/`d_inner` must agree with A's shape;
    /// `b_1`/`b_2` belong to the paper's f₂ settings (`--paper-variant f2-b1`/`f2-b2`) and are not read here.
    /// Any other array beside them is refused, naming it: write a plain .npz or a JSON setting to change
    /// anything else.
    public static func fromNPZ(_ arrays: [String: NumPyArray], origin: String, memory: MemoryPolicy = .standard) throws -> ExperimentSetting {
        try located(origin) {
            if arrays["theta_2"] != nil || arrays["theta_1"] != nil {
                return try paperNPZ(NPZFields(arrays: arrays), origin: origin, memory: memory)
            }
            return try plainNPZ(NPZFields(arrays: arrays), origin: origin, memory: memory)
        }
    }

    /// The arrays of the paper's linear_latent_hyperparameters.npz.
    static let paperArrays: Set<String> = ["A", "theta_1", "theta_2", "b_1", "b_2", "d_inner", "d_outer"]

    private static func paperNPZ(_ f: NPZFields, origin: String, memory: MemoryPolicy) throws -> ExperimentSetting {
        let extra = f.arrays.keys.filter { !paperArrays.contains($0) }.sorted()
        guard extra.isEmpty else {
            throw SettingError("the paper-format setting (it has theta_1/theta_2) holds \(extra.count == 1 ? "an array" : "arrays") this format does not read: "
                               + extra.map { "'\($0)'" }.joined(separator: ", ")
                               + "; it reads only \(paperArrays.sorted().joined(separator: ", ")). Write a plain .npz setting (A, theta, sigma, …) or a JSON setting to change anything else")
        }
        let variant: PaperSetting.Variant = f.arrays["theta_2"] != nil ? .two : .one
        let thetaName = variant == .two ? "theta_2" : "theta_1"
        var s = try PaperSetting.linear(objective: "f1", variant: variant)
        guard let a = try f.matrix("A") else { throw SettingError("the paper-format setting needs the array 'A' (d×D)") }
        guard let first = a.first, !first.isEmpty else { throw SettingError("A is empty") }
        let basis = orient(a)
        let (D, d) = (basis.count, basis[0].count)
        let largest = SettingValidation.largestExactInteger
        if let outer = try f.integer("d_outer", atLeast: 1, atMost: largest, hiText: "2^53"), outer != D {
            throw SettingError("d_outer = \(outer), but A has shape \(f.shape("A")), i.e. D = \(D)")
        }
        if let inner = try f.integer("d_inner", atLeast: 1, atMost: largest, hiText: "2^53"), inner != d {
            throw SettingError("d_inner = \(inner), but A has shape \(f.shape("A")), i.e. d = \(d)")
        }
        s.data.basis = basis
        s.data.ambientDimension = D
        s.data.latentDimension = d
        s.objective.theta = try f.vector(thetaName)
        s.origin = origin
        let layout = SettingLayout(format: .npz, renames: ["objective.theta": thetaName, "data.D": "d_outer", "data.d": "d_inner"])
        try SettingValidation.check(s, memory: memory, layout: layout)
        _ = try ResolvedExperiment(s, memory: memory, layout: layout, validated: true)
        return s
    }

    /// The array names of the plain .npz layout.
    static let npzArrays: Set<String> = [
        "A", "D", "d", "basis_seed", "mu_u", "Sigma_u", "mixture_weights", "mixture_means", "mixture_covariances",
        "theta", "b", "c", "Q", "target", "peak", "sigma", "beta", "beta_coef", "g", "y", "T",
        "objective_code", "beta_rule_code", "schedule_code", "sphere",
    ]

    private static func plainNPZ(_ f: NPZFields, origin: String, memory: MemoryPolicy) throws -> ExperimentSetting {
        let layout = SettingLayout.npz
        let unknown = f.arrays.keys.filter { !npzArrays.contains($0) }.sorted()
        if !unknown.isEmpty {
            var message = "unknown \(unknown.count == 1 ? "array" : "arrays") " + unknown.map { "'\($0)'" }.joined(separator: ", ")
                + " in the setting (known: \(npzArrays.sorted().joined(separator: ", ")))"
            if f.arrays["d_outer"] != nil && f.arrays["theta"] != nil {
                message += "; this looks like the paper's unit_ball_hyperparameters.npz, which is --paper-setting --paper-variant sphere"
            }
            throw SettingError(message)
        }
        let largest = SettingValidation.largestExactInteger
        let sphere = try f.integer("sphere", atLeast: 0, atMost: 1) == 1
        let basis = try f.matrix("A").map(orient)
        let scalarD = try f.integer("D", atLeast: 1, atMost: largest, hiText: "2^53")
        let scalarSmallD = try f.integer("d", atLeast: 1, atMost: largest, hiText: "2^53")
        if let basis, !sphere {
            guard let first = basis.first, !first.isEmpty else { throw SettingError("A is empty") }
            if let D0 = scalarD, D0 != basis.count {
                throw SettingError("D = \(D0), but A has shape \(f.shape("A")), i.e. D = \(basis.count) (the longer side)")
            }
            if let d0 = scalarSmallD, d0 != first.count {
                throw SettingError("d = \(d0), but A has shape \(f.shape("A")), i.e. d = \(first.count) (the shorter side)")
            }
        }
        let D = (sphere ? nil : basis?.count) ?? scalarD ?? basis?.count ?? 64
        let d = sphere ? scalarSmallD : (basis?.first?.count ?? scalarSmallD ?? 16)
        var data = ExperimentSetting.Data(
            kind: sphere ? .sphere : .subspace, ambientDimension: D, latentDimension: d, basis: basis,
            basisSeed: try f.scalar("basis_seed").map { try SettingNumbers.seed($0, "basis_seed") },
            latentMean: try f.vector("mu_u"), latentCovariance: try f.matrix("Sigma_u"),
            mixtureWeights: try f.vector("mixture_weights"), mixtureMeans: try f.matrix("mixture_means"), mixtureCovariances: nil)
        if let covs = f.arrays["mixture_covariances"] {
            guard covs.shape.count == 3 else { throw SettingError("mixture_covariances must be a K×d×d array, got shape \(f.shape("mixture_covariances"))") }
            let (K, r, c) = (covs.shape[0], covs.shape[1], covs.shape[2])
            let flat = covs.doubles
            data.mixtureCovariances = (0..<K).map { k in (0..<r).map { i in Array(flat[(k * r * c + i * c)..<(k * r * c + (i + 1) * c)]) } }
        }
        let kind: String
        if let code = try f.scalar("objective_code") {
            let codes: [(Double, String)] = [(1, "f1"), (2, "f2"), (3, "linear"), (4, "quadratic")]
            guard let k = codes.first(where: { $0.0 == code }) else {
                throw SettingError("objective_code must be 1 (f1), 2 (f2), 3 (linear) or 4 (quadratic), got \(SettingNumbers.text(code))")
            }
            kind = k.1
        } else {
            kind = f.arrays["Q"] != nil ? "quadratic" : f.arrays["b"] != nil ? "f2" : sphere ? "linear" : "f1"
        }
        let objective = ExperimentSetting.Objective(
            kind: kind, theta: try f.vector("theta"), center: try center(kind: kind, b: try f.vector("b"), c: try f.vector("c"), layout),
            curvature: try f.matrix("Q"), target: try f.scalar("target"), peak: try f.scalar("peak"))
        let rule: String
        if let code = try f.scalar("beta_rule_code") {
            let rules: [(Double, String)] = [(0, "code"), (1, "theory"), (2, "constant")]
            guard let r = rules.first(where: { $0.0 == code }) else {
                throw SettingError("beta_rule_code must be 0 (code), 1 (theory) or 2 (constant), got \(SettingNumbers.text(code))")
            }
            rule = r.1
        } else {
            rule = "code"
        }
        let guidance = ExperimentSetting.Guidance(sigma: try f.scalar("sigma") ?? 0.1, betaRule: rule, beta: try f.scalar("beta"),
                                                  betaCoefficient: try f.scalar("beta_coef") ?? 1, gradient: try f.vector("g"), target: try f.scalar("y"))
        var schedule = "cosine"
        if let code = try f.scalar("schedule_code") {
            guard code == 0 || code == 1 else { throw SettingError("schedule_code must be 0 (cosine) or 1 (linear), got \(SettingNumbers.text(code))") }
            schedule = code == 0 ? "cosine" : "linear"
        }
        let steps = try f.integer("T", atLeast: 1, atMost: Double(SettingValidation.maximumSteps)) ?? 200
        let diffusion = ExperimentSetting.Diffusion(schedule: schedule, steps: steps)
        let s = ExperimentSetting(data: data, objective: objective, guidance: guidance, diffusion: diffusion, origin: origin)
        try SettingValidation.check(s, memory: memory, layout: layout)
        _ = try ResolvedExperiment(s, memory: memory, layout: layout, validated: true)
        return s
    }

    /// A D×d basis from a matrix stored either way round: the longer side is D.
    private static func orient(_ rows: [[Double]]) -> [[Double]] {
        let (r, c) = (rows.count, rows.first?.count ?? 0)
        guard r < c else { return rows }
        return (0..<c).map { j in rows.map { $0[j] } }
    }

    /// Typed, checked access to a .npz's arrays; every error names the array.
    struct NPZFields {
        let arrays: [String: NumPyArray]

        func shape(_ key: String) -> String {
            guard let s = arrays[key]?.shape else { return "()" }
            return s.count == 1 ? "(\(s[0]),)" : "(" + s.map(String.init).joined(separator: ", ") + ")"
        }

        /// A one-element array (any shape) as a finite Double.
        func scalar(_ key: String) throws -> Double? {
            guard let a = arrays[key] else { return nil }
            guard a.count == 1, let v = a.scalar else { throw SettingError("\(key) must be a single number, got shape \(shape(key))") }
            guard v.isFinite else { throw SettingError("\(key) is \(v); it must be finite") }
            return v
        }

        /// A one-element array as an Int: finite, integral and in lo...hi, or an error naming the value.
        func integer(_ key: String, atLeast lo: Int, atMost hi: Double, hiText: String? = nil) throws -> Int? {
            guard let a = arrays[key] else { return nil }
            guard a.count == 1, let v = a.scalar else { throw SettingError("\(key) must be a single integer, got shape \(shape(key))") }
            return try SettingNumbers.integer(v, key, atLeast: lo, atMost: hi, hiText: hiText)
        }

        /// A vector: shape (n,), (n, 1) or (1, n). Finiteness is checked by `SettingValidation`, by index.
        func vector(_ key: String) throws -> [Double]? {
            guard let a = arrays[key] else { return nil }
            guard a.shape.count == 1 || (a.shape.count == 2 && (a.shape[1] == 1 || a.shape[0] == 1)) else {
                throw SettingError("\(key) must be a vector (shape (n,) or (n, 1)), got shape \(shape(key))")
            }
            return a.doubles
        }

        /// A 2-D array as rows.
        func matrix(_ key: String) throws -> [[Double]]? {
            guard let a = arrays[key] else { return nil }
            guard a.shape.count == 2 else { throw SettingError("\(key) must be a 2-D array, got shape \(shape(key))") }
            let (r, c) = (a.shape[0], a.shape[1])
            let flat = a.doubles
            return (0..<r).map { i in Array(flat[(i * c)..<((i + 1) * c)]) }
        }
    }

    // MARK: JSON value helpers

    /// A JSON number as Double (booleans are not numbers).
    private static func jsonNumber(_ v: Any) -> Double? {
        if type(of: v) == Bool.self { return nil }
        if let d = v as? Double { return d }
        if let i = v as? any BinaryInteger { return Double(i) }   // Int, UInt64 (a seed) from values built in code
        return nil
    }

    /// "a string", "a list", … for messages.
    static func jsonTypeName(_ v: Any) -> String {
        if v is NSNull { return "null" }
        if type(of: v) == Bool.self { return "a boolean" }
        if jsonNumber(v) != nil { return "a number" }
        if v is String { return "a string" }
        if v is [Any] { return "a list" }
        if v is [String: Any] { return "an object" }
        return "\(type(of: v))"
    }

    private static func checkKeys(_ dict: [String: Any], allowed: Set<String>, in place: String) throws {
        if let bad = dict.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw SettingError("unknown key '\(bad)' in \(place) (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    private static func section(_ root: [String: Any], _ key: String, _ field: String) throws -> [String: Any] {
        guard let v = root[key], !(v is NSNull) else { return [:] }
        guard let d = v as? [String: Any] else { throw SettingError("\(field) must be a JSON object, got \(jsonTypeName(v))") }
        return d
    }

    private static func numberValue(_ v: Any, _ field: String) throws -> Double {
        guard let x = jsonNumber(v) else { throw SettingError("\(field) must be a number, got \(jsonTypeName(v))") }
        guard x.isFinite else { throw SettingError("\(field) is \(x); it must be finite") }
        return x
    }

    private static func number(_ d: [String: Any], _ key: String, _ field: String) throws -> Double? {
        guard let v = d[key], !(v is NSNull) else { return nil }
        return try numberValue(v, field)
    }

    /// A number that must be an integer in lo...hi: checked, never truncated or trapped on.
    private static func integer(_ d: [String: Any], _ key: String, _ field: String, atLeast lo: Int, atMost hi: Double,
                                hiText: String? = nil) throws -> Int? {
        guard let x = try number(d, key, field) else { return nil }
        return try SettingNumbers.integer(x, field, atLeast: lo, atMost: hi, hiText: hiText)
    }

    private static func string(_ d: [String: Any], _ key: String, _ field: String) throws -> String? {
        guard let v = d[key], !(v is NSNull) else { return nil }
        guard let s = v as? String else { throw SettingError("\(field) must be a string, got \(jsonTypeName(v))") }
        return s
    }

    private static func vector(_ d: [String: Any], _ key: String, _ field: String) throws -> [Double]? {
        guard let v = d[key], !(v is NSNull) else { return nil }
        guard let list = v as? [Any] else { throw SettingError("\(field) must be a list of numbers, got \(jsonTypeName(v))") }
        return try list.enumerated().map { i, e in try numberValue(e, "\(field)[\(i)]") }
    }

    /// A list of rows of numbers. Rows of different lengths are left to `SettingValidation`, which names the shape.
    private static func matrixValue(_ v: Any, _ field: String) throws -> [[Double]] {
        guard let rows = v as? [Any] else { throw SettingError("\(field) must be a matrix (a list of rows), got \(jsonTypeName(v))") }
        return try rows.enumerated().map { i, r in
            guard let row = r as? [Any] else { throw SettingError("\(field)[\(i)] must be a row (a list of numbers), got \(jsonTypeName(r))") }
            return try row.enumerated().map { j, e in try numberValue(e, "\(field)[\(i)][\(j)]") }
        }
    }

    private static func matrix(_ d: [String: Any], _ key: String, _ field: String) throws -> [[Double]]? {
        guard let v = d[key], !(v is NSNull) else { return nil }
        return try matrixValue(v, field)
    }
}

/// A one-line description of a JSON parse error: `StrictJSON`'s `line L, column C (path): message`.
enum JSONErrorDescription {
    static func describe(_ error: Error) -> String {
        if let error = error as? JSONParseError { return error.description }
        return "\(error)".replacingOccurrences(of: "\n", with: " ")
    }
}
