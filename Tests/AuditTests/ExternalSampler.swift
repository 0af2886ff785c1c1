import Audit
import Diffusion
import Foundation
import LinearAlgebra
import NumPyIO
import Randomness

/// A DDPM sampler written in the tests the way an outsider would write one: from the exported case.npz
/// and the manifest's formulas only (no type of the sampler under audit), row by row, with one knob per
/// convention error. It stands in for a PyTorch or NumPy sampler (ci/examples is the NumPy one), so
/// the audit is tested against an implementation it did not produce.
struct ExternalSampler {
    enum Mistake: String, CaseIterable {
        case none, alphaBarOffByOne, varianceBeta, noiseAtLastStep, betaDoubled, betaMissingAlphaSquared, float32Schedule
    }

    let kind: AuditGuidance
    let rule: String
    let mu: [Double], basis: [Double], variances: [Double]
    let alphaBar: [Double], beta: [Double], g: [Double]
    let y: Double, sigma: Double, coef: Double
    let xT: [Double], noise: [Double]
    let D: Int, r: Int, T: Int, shared: Int
    let mistake: Mistake

    /// Reads the case as the outside does: the .npz bytes ggd audit-case writes.
    init(_ c: AuditCase, mistake: Mistake = .none) throws {
        let bytes = NPZArchive.bytes(try AuditCaseFiles.arrays(c, law: try c.law()))
        let a = try NPZArchive.read(bytes)
        kind = c.guidance
        rule = c.experiment.setting.guidance.betaRule
        mu = a["mu"]!.doubles
        basis = a["basis"]!.doubles
        variances = a["variances"]!.doubles
        var ab = a["alpha_bar"]!.doubles, b = a["beta"]!.doubles
        if mistake == .float32Schedule { ab = ab.map { Double(Float($0)) }; b = b.map { Double(Float($0)) } }
        alphaBar = ab
        beta = b
        g = a["g"]!.doubles
        y = a["y"]!.doubles[0]
        sigma = a["sigma"]!.doubles[0]
        coef = a["beta_coef"]!.doubles[0]
        xT = a["x_T"]?.doubles ?? []
        noise = a["noise"]?.doubles ?? []
        D = mu.count
        r = variances.count
        T = alphaBar.count - 1
        shared = c.trajectories
        self.mistake = mistake
    }

    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// B diag(φ) Bᵀ v.
    func jacobian(_ v: [Double], phi: [Double]) -> [Double] {
        var coords = [Double](repeating: 0, count: r)
        for j in 0..<r { for i in 0..<D { coords[j] += basis[i * r + j] * v[i] }; coords[j] *= phi[j] }
        var out = [Double](repeating: 0, count: D)
        for i in 0..<D { for j in 0..<r { out[i] += basis[i * r + j] * coords[j] } }
        return out
    }

    /// x_{t−1} from x_t (one row) with noise z.
    func step(_ x: [Double], _ t: Int, _ z: [Double]) -> [Double] {
        let ab = alphaBar[t], a = ab.squareRoot(), h = 1 - ab
        let phi = variances.map { a * $0 / (a * a * $0 + h) }
        let centered = zip(x, mu).map { $0 - a * $1 }
        var x0 = zip(mu, jacobian(centered, phi: phi)).map { $0 + $1 }
        if kind != .none {
            let residual = y - dot(g, x0)
            var term: [Double]
            if kind == .naive {
                let b = a / (sigma * sigma + h * dot(g, g))
                term = g.map { coef * b * residual * $0 }
            } else {
                let v = jacobian(g, phi: phi)
                var b: Double
                switch rule {
                case "code":
                    let a2 = mistake == .betaMissingAlphaSquared ? 1 : a * a
                    b = (a * a / 2) / (a2 * sigma * sigma + h * dot(v, v))
                default: b = 1 / (2 * (sigma * sigma + (h / a) * dot(g, v)))
                }
                term = v.map { 2 * coef * b * residual * $0 }
            }
            if mistake == .betaDoubled { term = term.map { 2 * $0 } }
            x0 = zip(x0, term).map { $0 + (h / a) * $1 }
        }
        let abPrev = mistake == .alphaBarOffByOne ? ab : alphaBar[t - 1], b = beta[t]
        let c1 = b * abPrev.squareRoot() / (1 - ab), c2 = (1 - abPrev) * (1 - b).squareRoot() / (1 - ab)
        var variance = t > 1 ? b * (1 - abPrev) / (1 - ab) : 0
        if mistake == .varianceBeta && t > 1 { variance = b }
        if mistake == .noiseAtLastStep && t == 1 { variance = b }
        return (0..<D).map { c1 * x0[$0] + c2 * x[$0] + variance.squareRoot() * z[$0] }
    }

    /// n outputs from its own Philox noise (not the case's), as an (n, D) matrix.
    func samples(_ n: Int, seed: UInt64) -> Matrix<Double> {
        let stream = RandomStream(StreamKey(seed: seed, purpose: .data, index: 99))
        var out = Matrix<Double>(rows: n, columns: D)
        for i in 0..<n {
            var x = stream.normals(row: i * (T + 1), count: D)
            for t in stride(from: T, through: 1, by: -1) { x = step(x, t, stream.normals(row: i * (T + 1) + t, count: D)) }
            out.setRow(i, x)
        }
        return out
    }

    /// States x_t (t = 0 … T) of the first n shared-noise trajectories.
    func trajectory(_ n: Int) -> [Matrix<Double>] {
        var states = [Matrix<Double>](repeating: Matrix(rows: n, columns: D), count: T + 1)
        for i in 0..<n {
            var x = Array(xT[(i * D)..<((i + 1) * D)])
            states[T].setRow(i, x)
            for t in stride(from: T, through: 1, by: -1) {
                let base = ((t - 1) * shared + i) * D
                x = step(x, t, Array(noise[base..<(base + D)]))
                states[t - 1].setRow(i, x)
            }
        }
        return states
    }

    /// The convention this mistake is.
    var convention: SamplerConvention {
        switch mistake {
        case .none: return .reference
        case .alphaBarOffByOne: return .alphaBarOffByOne
        case .varianceBeta: return .varianceBeta
        case .noiseAtLastStep: return .noiseAtLastStep
        case .betaDoubled: return .betaDoubled
        case .betaMissingAlphaSquared: return .betaMissingAlphaSquared
        case .float32Schedule: return .float32Schedule
        }
    }
}
