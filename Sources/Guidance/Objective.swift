import LinearAlgebra

/// A reward f to maximise, with its gradient, for a batch (one point per row).
public protocol Objective: Sendable {
    var dimension: Int { get }
    /// A short name for outputs ("f1", "f2", "linear", "quadratic").
    var name: String { get }
    func values(_ x: Matrix<Double>) -> [Double]
    func gradients(_ x: Matrix<Double>) -> Matrix<Double>
    /// When the gradient is affine, ∇f(x) = Hx + b: (H, b). Nil otherwise.
    var affineGradient: (hessian: Matrix<Double>, constant: [Double])? { get }
}

extension Objective {
    public func value(_ x: [Double]) -> Double { values(Matrix(rows: 1, columns: x.count, elements: x))[0] }
    public func gradient(_ x: [Double]) -> [Double] { gradients(Matrix(rows: 1, columns: x.count, elements: x)).elements }

    /// The smoothness constant of Assumption 3 in the Σ̄-seminorm, ‖∇f(x₁) − ∇f(x₂)‖_Σ̄ ≤ L‖x₁ − x₂‖_{Σ̄⁻¹},
    /// for objectives with an affine gradient: L = ‖Σ̄^{1/2} H Σ̄^{1/2}‖₂ (for f₁, 2θᵀΣ̄θ). Nil when the
    /// gradient is not affine (f₂ is not smooth at b).
    public func smoothness(covariance: Matrix<Double>) throws -> Double? {
        guard let (h, _) = affineGradient else { return nil }
        let eig = try SymmetricEigendecomposition(covariance)
        let root = eig.applying { max($0, 0).squareRoot() }
        let m = root.matmul(h).matmul(root)
        let spectrum = try SymmetricEigendecomposition(m).eigenvalues
        return spectrum.map(abs).max() ?? 0
    }
}

/// f₁(x) = c − (θᵀx − a)², the paper's main objective (c = 10, a = 3): maximal (= c) on the hyperplane
/// θᵀx = a; ∇f₁ = −2(θᵀx − a)θ.
public struct TargetValueObjective: Objective {
    public let theta: [Double]
    public let target: Double
    public let peak: Double
    public var name: String { "f1" }
    public var dimension: Int { theta.count }

    public init(theta: [Double], target: Double = 3, peak: Double = 10) {
        self.theta = theta
        self.target = target
        self.peak = peak
    }

    public func values(_ x: Matrix<Double>) -> [Double] { x.times(theta).map { peak - ($0 - target) * ($0 - target) } }

    public func gradients(_ x: Matrix<Double>) -> Matrix<Double> {
        let r = x.times(theta)
        var g = Matrix(broadcasting: theta, rows: x.rows)
        g.scaleRows(by: r.map { -2 * ($0 - target) })
        return g
    }

    public var affineGradient: (hessian: Matrix<Double>, constant: [Double])? {
        ((-2) * Matrix.outer(theta, theta), theta.map { 2 * target * $0 })
    }
}

/// f₂(x) = c − ½‖x − b‖ (c = 5): a concave, non-smooth reward peaked at b; ∇f₂ = −½(x − b)/‖x − b‖.
public struct DistanceObjective: Objective {
    public let center: [Double]
    public let peak: Double
    public var name: String { "f2" }
    public var dimension: Int { center.count }

    public init(center: [Double], peak: Double = 5) {
        self.center = center
        self.peak = peak
    }

    public func values(_ x: Matrix<Double>) -> [Double] {
        var d = x
        d.addToEachRow(center, scaledBy: -1)
        return d.rowNorms.map { peak - 0.5 * $0 }
    }

    public func gradients(_ x: Matrix<Double>) -> Matrix<Double> {
        var d = x
        d.addToEachRow(center, scaledBy: -1)
        d.scaleRows(by: d.rowNorms.map { $0 > 0 ? -0.5 / $0 : 0 })
        return d
    }

    public var affineGradient: (hessian: Matrix<Double>, constant: [Double])? { nil }
}

/// f(x) = θᵀx (the sphere experiment's reward; with θ ⊥ span(A), Proposition 1's objective).
public struct LinearObjective: Objective {
    public let theta: [Double]
    public var name: String { "linear" }
    public var dimension: Int { theta.count }
    public init(theta: [Double]) { self.theta = theta }
    public func values(_ x: Matrix<Double>) -> [Double] { x.times(theta) }
    public func gradients(_ x: Matrix<Double>) -> Matrix<Double> { Matrix(broadcasting: theta, rows: x.rows) }
    public var affineGradient: (hessian: Matrix<Double>, constant: [Double])? { (Matrix(rows: dimension, columns: dimension), theta) }
}

/// f(x) = −½(x − c)ᵀQ(x − c) with Q symmetric positive semi-definite: concave, with an exact smoothness
/// constant, for the convergence claims.
public struct ConcaveQuadraticObjective: Objective {
    public let center: [Double]
    public let curvature: Matrix<Double>
    public var name: String { "quadratic" }
    public var dimension: Int { center.count }

    public init(center: [Double], curvature: Matrix<Double>) throws {
        guard curvature.isSquare, curvature.rows == center.count else {
            throw GuidanceError.invalidParameter("curvature Q must be \(center.count)×\(center.count), got \(curvature.rows)×\(curvature.columns)")
        }
        let eig = try SymmetricEigendecomposition(curvature)
        guard (eig.eigenvalues.min() ?? 0) >= -1e-10 * max(1, eig.eigenvalues.max() ?? 1) else {
            throw GuidanceError.invalidParameter("curvature Q must be positive semi-definite for a concave objective")
        }
        self.center = center
        self.curvature = curvature.symmetrized
    }

    public func values(_ x: Matrix<Double>) -> [Double] {
        var d = x
        d.addToEachRow(center, scaledBy: -1)
        return d.rowDots(d.matmul(curvature)).map { -0.5 * $0 }
    }

    public func gradients(_ x: Matrix<Double>) -> Matrix<Double> {
        var d = x
        d.addToEachRow(center, scaledBy: -1)
        return -d.matmul(curvature)
    }

    public var affineGradient: (hessian: Matrix<Double>, constant: [Double])? { (-curvature, curvature.times(center)) }
}

/// Why a guidance object or algorithm could not be built or run; one line naming the problem.
public enum GuidanceError: Error, CustomStringConvertible, Equatable {
    case invalidParameter(String)
    case dimensionMismatch(String)
    case unsupported(String)
    case nonFinite(String)

    public var description: String {
        switch self {
        case let .invalidParameter(m), let .unsupported(m), let .nonFinite(m): return m
        case let .dimensionMismatch(m): return "dimension mismatch: \(m)"
        }
    }
}
