import Foundation
import Diffusion
import LinearAlgebra
import NumPyIO

/// One probed step of a step-command audit.
public struct StepProbe: Codable, Sendable, Equatable {
    public var step: Int
    /// The external outputs against the reference step's on the same probes: largest excess over the tolerance.
    public var excess: Double
    /// max |F_external − F| of the recovered affine map, max |f_external − f| of its offset, max |N_external − √v·I| of the noise map.
    public var mapDeviation: Double
    public var offsetDeviation: Double
    public var noiseDeviation: Double
}

/// The verdict of a step-command audit.
public struct StepVerdict: Codable, Sendable, Equatable {
    /// Rows per request: the base point, D unit moves of x, D unit noise vectors.
    public var probes: Int
    public var precision: String
    public var tolerance: AuditTolerance.Entry
    public var steps: [StepProbe]
    public var firstDepartingStep: Int?
    public var departure: String?
    public var conventions: [ConventionFit]
    public var passed: Bool
}

/// The external sampler's step, probed directly: with a Gaussian model every DDPM step is
/// xₜ₋₁ = F xₜ + f + N z, so sending the base point x = 0 with zero noise, x = eᵢ with zero noise, and
/// x = 0 with noise eᵢ recovers F, f and N exactly (finite differences of an affine map are exact up to
/// round-off), step by step, far beyond what sampling resolves. Each recognised convention's step is
/// set against the same replies to name the error.
///
/// Protocol (one child process for the whole audit): for each step the child reads three .npy arrays
/// from stdin — x (B, D) float64, t (an int64 scalar, the step 1 … T) and noise (B, D) float64 — and writes
/// one .npy array (B, D) of xₜ₋₁ (float32 or float64) to stdout, flushed; it exits when stdin closes.
public enum StepAudit {
    public struct Options: Sendable {
        /// Seconds the child may take for one step (its start-up included in the first).
        public var timeout: Double
        /// Steps to probe (nil: every step T … 1).
        public var steps: [Int]?
        public init(timeout: Double = 60, steps: [Int]? = nil) {
            self.timeout = timeout
            self.steps = steps
        }
    }

    public static func run(_ c: AuditCase, command: String, options: Options = Options(), progress: ((Int, Int) -> Void)? = nil) throws -> StepVerdict {
        let D = c.dimension, T = c.steps
        let steps = options.steps ?? Array(stride(from: T, through: 1, by: -1))
        // Probes: row 0 the base point; rows 1…D the base moved by eᵢ; rows D+1…2D the base with noise eᵢ.
        let b = 2 * D + 1
        var x = Matrix<Double>(rows: b, columns: D), z = Matrix<Double>(rows: b, columns: D)
        for i in 0..<D { x[1 + i, i] = 1; z[1 + D + i, i] = 1 }
        let conventions = [SamplerConvention.reference] + SamplerConvention.variants(for: c)
        let affine = try Dictionary(uniqueKeysWithValues: conventions.map { ($0, try $0.affineSteps(c)) })   // t = T … 1
        let child = try ChildProcess(command: command)
        defer { child.finish(timeout: 2) }
        var probes: [StepProbe] = []
        var worst = [SamplerConvention: Double]()
        var float32: Bool?
        var first: (step: Int, description: String)?
        for (k, t) in steps.enumerated() {
            guard t >= 1 && t <= T else { throw AuditError("step \(t) is outside 1 … \(T)") }
            let request = NumPyFile.npyBytes(try NumPyArray(x.elements, shape: [b, D]))
                + NumPyFile.npyBytes(NumPyArray(scalar: Int64(t)))
                + NumPyFile.npyBytes(try NumPyArray(z.elements, shape: [b, D]))
            let replyBytes = try child.exchange(request, timeout: options.timeout, maximumBytes: 4096 + 8 * b * D) { bytes in
                try expectedLength(bytes, rows: b, columns: D, child: child)
            }
            let reply: NumPyArray
            do { reply = try NumPyFile.readNPY(replyBytes) } catch {
                throw child.failure("wrote a reply that is not a .npy array at step \(t) (\(error))")
            }
            let isFloat32 = reply.dtype == .float32
            if let float32, float32 != isFloat32 { throw child.failure("changed its output dtype at step \(t)") }
            float32 = isFloat32
            let out = Matrix(rows: b, columns: D, elements: reply.doubles)
            guard out.isFinite else { throw child.failure("wrote NaN or infinity at step \(t) for finite inputs") }
            let tolerance = AuditTolerance.oneStep(float32: isFloat32)
            for convention in conventions {
                let step = affine[convention]![T - t]
                let e = AuditTolerance.excess(out.elements, step.apply(x, noise: z).elements, tolerance)
                worst[convention] = max(worst[convention] ?? 0, e)
                if convention == .reference {
                    let (mapDev, offsetDev, noiseDev, what) = recovered(out, reference: step, dimension: D)
                    probes.append(StepProbe(step: t, excess: e, mapDeviation: mapDev, offsetDeviation: offsetDev, noiseDeviation: noiseDev))
                    if e > 1 && first == nil { first = (t, "step \(t): \(what)") }
                }
            }
            progress?(k + 1, steps.count)
        }
        let precision = (float32 ?? false) ? "float32" : "float64"
        return StepVerdict(probes: b, precision: precision, tolerance: AuditTolerance.oneStep(float32: float32 ?? false), steps: probes,
                           firstDepartingStep: first?.step, departure: first?.description,
                           conventions: conventions.map { ConventionFit(convention: $0, worstExcess: worst[$0] ?? 0, matches: (worst[$0] ?? 0) <= 1) },
                           passed: first == nil)
    }

    /// The reply's full length once its header is in (nil before), refusing what is not a .npy (B, D) float array.
    static func expectedLength(_ bytes: [UInt8], rows: Int, columns: Int, child: ChildProcess) throws -> Int? {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        let prefix = min(bytes.count, magic.count)
        guard Array(bytes[0..<prefix]) == Array(magic[0..<prefix]) else {
            let text = String(decoding: bytes.prefix(60), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            throw child.failure("wrote something that is not a .npy array (it starts with '\(text)'); write x with numpy.save(sys.stdout.buffer, x) and nothing else")
        }
        guard bytes.count >= 10 else { return nil }
        let major = bytes[6]
        let headerLength: Int
        let start: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            start = 10
        } else {
            guard bytes.count >= 12 else { return nil }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            start = 12
        }
        guard headerLength <= 4096 else { throw child.failure("wrote a .npy header of \(headerLength) bytes") }
        guard bytes.count >= start + headerLength else { return nil }
        let text = String(decoding: bytes[start..<(start + headerLength)], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let compact = text.replacingOccurrences(of: " ", with: "")
        guard compact.contains("'shape':(\(rows),\(columns))") else {
            throw child.failure("wrote an array with header \(text); expected shape (\(rows), \(columns))")
        }
        let itemSize: Int
        if compact.contains("'descr':'<f8'") { itemSize = 8 } else if compact.contains("'descr':'<f4'") { itemSize = 4 } else {
            throw child.failure("wrote an array with header \(text); expected little-endian float32 or float64")
        }
        return start + headerLength + itemSize * rows * columns
    }

    /// F, f and N recovered from the replies, their largest deviations from the reference step's, and
    /// which of them departs most, in words.
    static func recovered(_ out: Matrix<Double>, reference s: AffineStep, dimension D: Int) -> (Double, Double, Double, String) {
        let base = out.row(0)
        var mapDev = 0.0, noiseDev = 0.0
        let sd = s.variance.squareRoot()
        for i in 0..<D {
            let moved = out.row(1 + i), noisy = out.row(1 + D + i)
            for j in 0..<D {
                mapDev = max(mapDev, abs((moved[j] - base[j]) - s.map[j, i]))
                noiseDev = max(noiseDev, abs((noisy[j] - base[j]) - (i == j ? sd : 0)))
            }
        }
        let offsetDev = zip(base, s.offset).reduce(0) { max($0, abs($1.0 - $1.1)) }
        let what: String
        if noiseDev >= max(mapDev, offsetDev) {
            let measured = (0..<D).map { out.row(1 + D + $0)[$0] - base[$0] }.reduce(0, +) / Double(D)
            what = sd == 0 ? String(format: "adds noise of scale %.4g where the reference adds none (the last step)", measured)
                : String(format: "the noise scale is %.4g where the reference has √β̃ = %.4g (×%.4g)", measured, sd, measured / sd)
        } else if mapDev >= offsetDev {
            what = String(format: "the map F of xₜ (c₁∂x̂₀/∂x + c₂I, with guidance) is off by up to %.3g", mapDev)
        } else {
            what = String(format: "the offset f (c₁ times x̂₀ at x = 0, with guidance) is off by up to %.3g", offsetDev)
        }
        return (mapDev, offsetDev, noiseDev, what)
    }
}
