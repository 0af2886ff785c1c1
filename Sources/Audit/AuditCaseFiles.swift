import Foundation
import Diffusion
import Experiments
import LinearAlgebra
import NumPyIO
import StrictJSON

/// An audit case on disk: `case.json` (the manifest: the setting with its guidance query, the guidance
/// kind, the seed, the counts, and what each array means) and `case.npz` (float64 arrays an external
/// implementation reads with `numpy.load`). `case.json` is also a setting file (`--setting case.json`).
public enum AuditCaseFiles {
    public static let manifestName = "case.json"
    public static let arraysName = "case.npz"
    /// The manifest's format; a case written by another format is refused by name.
    public static let format = "ggd-audit-case/1"

    /// What each array of case.npz holds (also written into the manifest, for the external side).
    public static let arrayDescriptions: [(String, String)] = [
        ("A", "D×d basis of the data subspace (orthonormal columns)"),
        ("mu", "D, the data mean μ = A μ_u"),
        ("basis", "D×r, orthonormal eigenvectors B of the data covariance Σ = B diag(λ) Bᵀ"),
        ("variances", "r, the eigenvalues λ of Σ"),
        ("alpha_bar", "T+1, ᾱ_t for t = 0 … T (ᾱ_0 = 1)"),
        ("beta", "T+1, β_t for t = 0 … T (β_0 = 0 is unused)"),
        ("posterior_variance", "T+1, β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t), the variance of step t's noise (none at t = 1)"),
        ("g", "D, the guidance gradient (zeros when unguided)"),
        ("y", "scalar, the guidance target"),
        ("sigma", "scalar, σ of the observation model"),
        ("beta_coef", "scalar, the multiplier β_coef"),
        ("x_T", "N×D, the shared starting noise of N trajectories (absent when N = 0)"),
        ("noise", "T×N×D, noise[t−1] is the z of step t for t = 1 … T (step 1 draws none in a correct sampler)"),
        ("law_mean", "D, the exact mean of the output"),
        ("law_covariance", "D×D, the exact covariance of the output"),
    ]

    /// The formulas, in the manifest: enough to write the sampler without this tool.
    public static let conventions: [String: String] = [
        "epsilon_model": "x̂₀(x, t) = μ + B diag(α_t λ / (α_t² λ + h_t)) Bᵀ (x − α_t μ), ε̂(x, t) = (x − α_t x̂₀) / √h_t, α_t = √ᾱ_t, h_t = 1 − ᾱ_t",
        "vjp": "(∂x̂₀/∂x)ᵀ g = B diag(α_t λ / (α_t² λ + h_t)) Bᵀ g",
        "step": "for t = T … 1: x̂₀ ← x̂₀(x, t) + (h_t/α_t) G(x, t); x ← c₁ x̂₀ + c₂ x + √β̃_t z_t (no noise at t = 1), c₁ = β_t √ᾱ_{t−1}/(1 − ᾱ_t), c₂ = (1 − ᾱ_{t−1}) √(1 − β_t)/(1 − ᾱ_t); x_T ~ N(0, I)",
        "lookahead": "G = 2 β_coef β_t (y − gᵀx̂₀) v, v = (∂x̂₀/∂x)ᵀ g; code rule β_t = (α_t²/2)/(α_t² σ² + h_t ‖v‖²); theory rule β_t = 1/(2(σ² + (h_t/α_t) gᵀv)); constant rule β_t = β",
        "naive": "G = β_coef β_t (y − gᵀx̂₀) g, β_t = α_t/(σ² + h_t ‖g‖²)",
        "samples": "ggd audit CASE SAMPLES.npy: an (n, D) array of outputs x_0, float32 or float64",
        "trajectory": "ggd audit CASE TRAJECTORY.npz: array 'x' of shape (T+1, N', D) with x[t] the state x_t (x[T] the shared x_T, x[0] the output), N' ≤ N, from the shared noise",
    ]

    /// The arrays of case.npz.
    public static func arrays(_ c: AuditCase, law: GaussianLaw) throws -> [(String, NumPyArray)] {
        let D = c.dimension, T = c.steps
        let schedule = c.sampler.schedule
        let a = c.experiment.subspace!.basis
        var posterior = [Double](repeating: 0, count: T + 1)
        for t in 1...T { posterior[t] = t > 1 ? c.sampler.coefficients(t).variance : 0 }
        let s = c.experiment.setting.guidance
        var out: [(String, NumPyArray)] = [
            ("A", try NumPyArray(a.elements, shape: [a.rows, a.columns])),
            ("mu", NumPyArray(c.model.mean)),
            ("basis", try NumPyArray(c.model.basis.elements, shape: [c.model.basis.rows, c.model.basis.columns])),
            ("variances", NumPyArray(c.model.variances)),
            ("alpha_bar", NumPyArray(schedule.alphaBar)),
            ("beta", NumPyArray(schedule.beta)),
            ("posterior_variance", NumPyArray(posterior)),
            ("g", NumPyArray(c.gradient ?? [Double](repeating: 0, count: D))),
            ("y", NumPyArray(scalar: c.target ?? 0)),
            ("sigma", NumPyArray(scalar: s.sigma)),
            ("beta_coef", NumPyArray(scalar: s.betaCoefficient)),
        ]
        if c.trajectories > 0 {
            let n = c.trajectories
            out.append(("x_T", try NumPyArray(c.initialNoise(rows: n).elements, shape: [n, D])))
            var noise: [Double] = []
            noise.reserveCapacity(T * n * D)
            for t in 1...T { noise += c.stepNoise(t, rows: n).elements }
            out.append(("noise", try NumPyArray(noise, shape: [T, n, D])))
        }
        out.append(("law_mean", NumPyArray(law.mean)))
        out.append(("law_covariance", try NumPyArray(law.covariance.elements, shape: [D, D])))
        return out
    }

    /// What writing a case holds: the noise tensor dominates (T·N·D numbers, twice: built and encoded).
    public static func estimate(setting: ExperimentSetting, trajectories: Int) -> MemoryEstimate {
        var e = MemoryEstimate("ggd audit-case (D = \(setting.data.ambientDimension), T = \(setting.diffusion.steps), \(trajectories) trajectories)")
        let D = Double(setting.data.ambientDimension), T = Double(setting.diffusion.steps)
        e.add("the shared noise, built and encoded", elements: 2 * T * Double(trajectories) * D)
        e.add("the exact law's per-step matrices", elements: 6 * D * D)
        return e
    }

    /// The manifest (JSON): a ggd output that records its setting, so it replays as `--setting`.
    public static func manifest(_ c: AuditCase, law: GaussianLaw) -> String {
        let s = c.experiment.setting
        let object: [String: Any] = [
            "format": format,
            "command": "audit-case",
            "tool_version": ToolVersion.string,
            "setting": SettingFile.jsonObject(s),
            "guidance": c.guidance.rawValue,
            "beta_rule": s.guidance.betaRule,
            "count": c.count,
            "trajectories": c.trajectories,
            "seed": c.seed,
            "D": c.dimension,
            "d": s.data.latentDimension ?? 0,
            "T": c.steps,
            "arrays": Dictionary(uniqueKeysWithValues: arrayDescriptions.map { ($0.0, $0.1) }),
            "conventions": conventions,
            "law_trace": law.covariance.trace,
        ]
        return JSONWriter.string(object)
    }

    /// Reads a case folder (or its case.json): the manifest strictly, the setting through `SettingFile`,
    /// and rebuilds the case with this tool's code.
    public static func load(_ path: String, memory: MemoryPolicy = .standard) throws -> AuditCase {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputFileError(path: path, reason: "no such audit case (give the folder ggd audit-case wrote, or its case.json)")
        }
        let manifestPath = isDirectory.boolValue ? FilePaths.join(path, manifestName) : path
        let data = try InputFiles.read(manifestPath, maximumBytes: 64 << 20)
        let root: [String: Any]
        do {
            guard let object = try JSONParser.parse(data).plain as? [String: Any] else {
                throw AuditError("\(manifestPath): the top level must be a JSON object")
            }
            root = object
        } catch let e as AuditError { throw e } catch {
            throw AuditError("\(manifestPath): not valid JSON (\((error as? JSONParseError)?.description ?? "\(error)"))")
        }
        guard root["format"] as? String == format else {
            let found = (root["format"] as? String).map { "format '\($0)'" } ?? "no 'format'"
            throw AuditError("\(manifestPath): not an audit case of this tool (\(found), expected '\(format)'); write one with ggd audit-case")
        }
        func integer(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let v = root[key] as? Double, v == v.rounded(), let i = Int(exactly: v), range.contains(i) else {
                throw AuditError("\(manifestPath): '\(key)' must be an integer in \(range.lowerBound)…\(range.upperBound)")
            }
            return i
        }
        guard let kindName = root["guidance"] as? String, let kind = AuditGuidance(rawValue: kindName) else {
            throw AuditError("\(manifestPath): 'guidance' must be one of \(AuditGuidance.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let count = try integer("count", 2...100_000_000)
        let trajectories = try integer("trajectories", 0...100_000_000)
        let seedValue = try integer("seed", 0...Int(SettingValidation.largestExactInteger))
        let setting = try SettingFile.fromJSON(root, origin: manifestPath, memory: memory)
        let experiment = try ResolvedExperiment(setting, memory: memory)
        let c = try AuditCase(experiment: experiment, guidance: kind, count: count, trajectories: trajectories, seed: UInt64(seedValue))
        if kind != .none {
            guard setting.guidance.gradient != nil, setting.guidance.target != nil else {
                throw AuditError("\(manifestPath): a guided case records g and y in setting.guidance")
            }
        }
        return c
    }
}
