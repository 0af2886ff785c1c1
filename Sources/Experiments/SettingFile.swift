import Foundation
import LinearAlgebra
import NumPyIO

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
/// linear_latent_hyperparameters.npz is also accepted (θ₂ and f₁ unless `theta_1` alone is present).
public enum SettingFile {
    public static func load(path: String) throws -> ExperimentSetting {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw SettingError("setting file '\(path)' does not exist or cannot be read")
        }
        if path.lowercased().hasSuffix(".npz") {
            let arrays: [String: NumPyArray]
            do { arrays = try NPZArchive.read(contentsOf: path) } catch { throw SettingError("\(path): \(error)") }
            return try fromNPZ(arrays, origin: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw SettingError("cannot read setting file '\(path)'") }
        let object: Any
        do { object = try JSONValue.parse(data).plain } catch {
            throw SettingError("\(path): not valid JSON (\(JSONErrorDescription.describe(error)))")
        }
        guard let dict = object as? [String: Any] else { throw SettingError("\(path): the top level must be a JSON object") }
        do { return try fromJSON(dict, origin: path) } catch let e as SettingError { throw SettingError("\(path): \(e.description)") }
    }

    // MARK: JSON

    public static func fromJSON(_ root: [String: Any], origin: String) throws -> ExperimentSetting {
        try checkKeys(root, allowed: ["data", "objective", "guidance", "diffusion", "origin"], in: "top level")
        let dataSection = try section(root, "data")
        let objSection = try section(root, "objective")
        let guideSection = try section(root, "guidance")
        let diffSection = try section(root, "diffusion")
        try checkKeys(dataSection, allowed: ["kind", "D", "d", "A", "basis_seed", "mu_u", "Sigma_u", "mixture"], in: "data")
        try checkKeys(objSection, allowed: ["kind", "theta", "b", "c", "Q", "target", "peak"], in: "objective")
        try checkKeys(guideSection, allowed: ["sigma", "beta_rule", "beta", "beta_coef", "g", "y"], in: "guidance")
        try checkKeys(diffSection, allowed: ["schedule", "T"], in: "diffusion")

        let kindName = try string(dataSection, "kind") ?? "subspace"
        guard let kind = ExperimentSetting.DataKind(rawValue: kindName) else {
            throw SettingError("data.kind must be 'subspace' or 'sphere', got '\(kindName)'")
        }
        let basis = try matrix(dataSection, "A")
        var D = try integer(dataSection, "D")
        var d = try integer(dataSection, "d")
        if let basis {
            let (r, c) = (basis.count, basis.first?.count ?? 0)
            if let D0 = D, D0 != r { throw SettingError("data.A has \(r) rows but data.D = \(D0)") }
            if let d0 = d, d0 != c { throw SettingError("data.A has \(c) columns but data.d = \(d0)") }
            D = r
            d = c
        }
        var data = ExperimentSetting.Data(
            kind: kind, ambientDimension: D ?? 64, latentDimension: kind == .subspace ? (d ?? 16) : nil,
            basis: basis, basisSeed: try integer(dataSection, "basis_seed").map { UInt64($0) },
            latentMean: try vector(dataSection, "mu_u"), latentCovariance: try matrix(dataSection, "Sigma_u"),
            mixtureWeights: nil, mixtureMeans: nil, mixtureCovariances: nil)
        if let mix = dataSection["mixture"] {
            guard let m = mix as? [String: Any] else { throw SettingError("data.mixture must be an object") }
            try checkKeys(m, allowed: ["weights", "means", "covariances"], in: "data.mixture")
            data.mixtureWeights = try vector(m, "weights")
            data.mixtureMeans = try matrix(m, "means")
            guard let covs = m["covariances"] as? [Any] else { throw SettingError("data.mixture.covariances must be a list of matrices") }
            data.mixtureCovariances = try covs.enumerated().map { i, c in
                guard let rows = try numberMatrix(c) else { throw SettingError("data.mixture.covariances[\(i)] must be a matrix") }
                return rows
            }
        }
        let objective = ExperimentSetting.Objective(
            kind: try string(objSection, "kind") ?? (kind == .sphere ? "linear" : "f1"),
            theta: try vector(objSection, "theta"), center: try vector(objSection, "b") ?? vector(objSection, "c"),
            curvature: try matrix(objSection, "Q"), target: try number(objSection, "target"), peak: try number(objSection, "peak"))
        let guidance = ExperimentSetting.Guidance(
            sigma: try number(guideSection, "sigma") ?? 0.1, betaRule: try string(guideSection, "beta_rule") ?? "code",
            beta: try number(guideSection, "beta"), betaCoefficient: try number(guideSection, "beta_coef") ?? 1,
            gradient: try vector(guideSection, "g"), target: try number(guideSection, "y"))
        let diffusion = ExperimentSetting.Diffusion(schedule: try string(diffSection, "schedule") ?? "cosine",
                                                    steps: try integer(diffSection, "T") ?? 200)
        let setting = ExperimentSetting(data: data, objective: objective, guidance: guidance, diffusion: diffusion, origin: origin)
        _ = try ResolvedExperiment(setting)           // validate now, with the file named
        return setting
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

    public static func fromNPZ(_ arrays: [String: NumPyArray], origin: String) throws -> ExperimentSetting {
        if arrays["theta_2"] != nil || arrays["theta_1"] != nil {
            // The paper's own file.
            var s = try PaperSetting.linear(objective: "f1", variant: arrays["theta_2"] != nil ? .two : .one)
            let a = try requireMatrix(arrays, "A")
            s.data.basis = orient(a).rowVectors
            s.data.ambientDimension = s.data.basis!.count
            s.data.latentDimension = s.data.basis!.first?.count
            s.objective.theta = arrays[arrays["theta_2"] != nil ? "theta_2" : "theta_1"]!.doubles
            s.origin = origin
            _ = try ResolvedExperiment(s)
            return s
        }
        let known: Set<String> = ["A", "D", "d", "basis_seed", "mu_u", "Sigma_u", "mixture_weights", "mixture_means", "mixture_covariances",
                                  "theta", "b", "c", "Q", "target", "peak", "sigma", "beta", "beta_coef", "g", "y", "T",
                                  "objective_code", "beta_rule_code", "schedule_code", "sphere"]
        if let unknown = arrays.keys.sorted().first(where: { !known.contains($0) }) {
            throw SettingError("unknown array '\(unknown)' in setting (known: \(known.sorted().joined(separator: ", ")))")
        }
        func scalar(_ k: String) throws -> Double? {
            guard let a = arrays[k] else { return nil }
            guard let v = a.scalar else { throw SettingError("'\(k)' must be a scalar, got shape \(a.shape)") }
            guard v.isFinite else { throw SettingError("'\(k)' is NaN or infinite") }
            return v
        }
        func vec(_ k: String) throws -> [Double]? {
            guard let a = arrays[k] else { return nil }
            guard a.shape.count == 1 || (a.shape.count == 2 && a.shape[1] == 1) else { throw SettingError("'\(k)' must be a vector, got shape \(a.shape)") }
            return a.doubles
        }
        let sphere = (try scalar("sphere") ?? 0) != 0
        var basis: [[Double]]?
        if arrays["A"] != nil { basis = orient(try requireMatrix(arrays, "A")).rowVectors }
        let scalarD = try scalar("D"), scalarSmallD = try scalar("d")
        let D = basis?.count ?? scalarD.map { Int($0) } ?? 64
        let d = basis?.first?.count ?? scalarSmallD.map { Int($0) } ?? 16
        var data = ExperimentSetting.Data(
            kind: sphere ? .sphere : .subspace, ambientDimension: D, latentDimension: sphere ? nil : d, basis: basis,
            basisSeed: try scalar("basis_seed").map { UInt64($0) }, latentMean: try vec("mu_u"),
            latentCovariance: arrays["Sigma_u"] != nil ? try requireMatrix(arrays, "Sigma_u").rowVectors : nil,
            mixtureWeights: nil, mixtureMeans: nil, mixtureCovariances: nil)
        if let w = try vec("mixture_weights") {
            data.mixtureWeights = w
            data.mixtureMeans = try requireMatrix(arrays, "mixture_means").rowVectors
            guard let covs = arrays["mixture_covariances"], covs.shape.count == 3 else {
                throw SettingError("'mixture_covariances' must be a K×d×d array")
            }
            let (K, r, c) = (covs.shape[0], covs.shape[1], covs.shape[2])
            let flat = covs.doubles
            data.mixtureCovariances = (0..<K).map { k in (0..<r).map { i in Array(flat[(k * r * c + i * c)..<(k * r * c + (i + 1) * c)]) } }
        }
        let codes = [1: "f1", 2: "f2", 3: "linear", 4: "quadratic"]
        let kind: String
        if let code = try scalar("objective_code") {
            guard let k = codes[Int(code)] else { throw SettingError("objective_code must be 1 (f1), 2 (f2), 3 (linear) or 4 (quadratic), got \(code)") }
            kind = k
        } else {
            kind = arrays["Q"] != nil ? "quadratic" : arrays["b"] != nil ? "f2" : sphere ? "linear" : "f1"
        }
        let objective = ExperimentSetting.Objective(
            kind: kind, theta: try vec("theta"), center: try vec("b") ?? vec("c"),
            curvature: arrays["Q"] != nil ? try requireMatrix(arrays, "Q").rowVectors : nil,
            target: try scalar("target"), peak: try scalar("peak"))
        let rules = [0: "code", 1: "theory", 2: "constant"]
        let ruleCode = Int(try scalar("beta_rule_code") ?? 0)
        guard let rule = rules[ruleCode] else { throw SettingError("beta_rule_code must be 0 (code), 1 (theory) or 2 (constant), got \(ruleCode)") }
        let guidance = ExperimentSetting.Guidance(sigma: try scalar("sigma") ?? 0.1, betaRule: rule, beta: try scalar("beta"),
                                                  betaCoefficient: try scalar("beta_coef") ?? 1, gradient: try vec("g"), target: try scalar("y"))
        let scheduleCode = Int(try scalar("schedule_code") ?? 0)
        guard scheduleCode == 0 || scheduleCode == 1 else { throw SettingError("schedule_code must be 0 (cosine) or 1 (linear), got \(scheduleCode)") }
        let diffusion = ExperimentSetting.Diffusion(schedule: scheduleCode == 0 ? "cosine" : "linear", steps: Int(try scalar("T") ?? 200))
        let s = ExperimentSetting(data: data, objective: objective, guidance: guidance, diffusion: diffusion, origin: origin)
        _ = try ResolvedExperiment(s)
        return s
    }

    /// A 2-D array as a matrix; `orient` then puts the longer side first.
    private static func requireMatrix(_ arrays: [String: NumPyArray], _ key: String) throws -> Matrix<Double> {
        guard let a = arrays[key] else { throw SettingError("missing array '\(key)'") }
        guard a.shape.count == 2 else { throw SettingError("'\(key)' must be 2-D, got shape \(a.shape)") }
        let m = Matrix(rows: a.shape[0], columns: a.shape[1], elements: a.doubles)
        guard m.isFinite else { throw SettingError("'\(key)' contains NaN or infinity") }
        return m
    }

    private static func orient(_ a: Matrix<Double>) -> Matrix<Double> { a.rows >= a.columns ? a : a.transposed }

    // MARK: JSON value helpers

    /// A JSON number as Double (booleans are not numbers).
    private static func jsonNumber(_ v: Any) -> Double? {
        if type(of: v) == Bool.self { return nil }
        if let d = v as? Double { return d }
        if let i = v as? Int { return Double(i) }
        return nil
    }

    private static func checkKeys(_ dict: [String: Any], allowed: Set<String>, in place: String) throws {
        if let bad = dict.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw SettingError("unknown key '\(bad)' in \(place) (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    private static func section(_ root: [String: Any], _ key: String) throws -> [String: Any] {
        guard let v = root[key] else { return [:] }
        guard let d = v as? [String: Any] else { throw SettingError("'\(key)' must be a JSON object") }
        return d
    }

    private static func number(_ d: [String: Any], _ key: String) throws -> Double? {
        guard let v = d[key], !(v is NSNull) else { return nil }
        guard let x = jsonNumber(v) else { throw SettingError("'\(key)' must be a number") }
        guard x.isFinite else { throw SettingError("'\(key)' is NaN or infinite") }
        return x
    }

    private static func integer(_ d: [String: Any], _ key: String) throws -> Int? {
        guard let x = try number(d, key) else { return nil }
        guard x == x.rounded(), abs(x) < 1e15 else { throw SettingError("'\(key)' must be an integer, got \(x)") }
        return Int(x)
    }

    private static func string(_ d: [String: Any], _ key: String) throws -> String? {
        guard let v = d[key], !(v is NSNull) else { return nil }
        guard let s = v as? String else { throw SettingError("'\(key)' must be a string") }
        return s
    }

    private static func vector(_ d: [String: Any], _ key: String) throws -> [Double]? {
        guard let v = d[key], !(v is NSNull) else { return nil }
        guard let list = v as? [Any] else { throw SettingError("'\(key)' must be a list of numbers") }
        return try list.map { e in
            guard let x = jsonNumber(e) else { throw SettingError("'\(key)' must be a list of numbers") }
            guard x.isFinite else { throw SettingError("'\(key)' contains NaN or infinity") }
            return x
        }
    }

    private static func numberMatrix(_ v: Any) throws -> [[Double]]? {
        guard let rows = v as? [Any] else { return nil }
        return try rows.map { r in
            guard let row = r as? [Any] else { throw SettingError("a matrix must be a list of rows") }
            return try row.map { e in
                guard let x = jsonNumber(e), x.isFinite else { throw SettingError("matrix entries must be finite numbers") }
                return x
            }
        }
    }

    private static func matrix(_ d: [String: Any], _ key: String) throws -> [[Double]]? {
        guard let v = d[key], !(v is NSNull) else { return nil }
        guard let m = try numberMatrix(v) else { throw SettingError("'\(key)' must be a matrix (a list of rows)") }
        guard Set(m.map(\.count)).count <= 1 else { throw SettingError("'\(key)' has rows of different lengths") }
        return m
    }
}

/// A one-line description of a JSON decoding error.
enum JSONErrorDescription {
    static func describe(_ error: Error) -> String {
        if case let DecodingError.dataCorrupted(context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return (underlying ?? context.debugDescription).replacingOccurrences(of: "\n", with: " ")
        }
        return "\(error)".replacingOccurrences(of: "\n", with: " ")
    }
}
