import LinearAlgebra

/// Central finite differences in Double, the independent reference for every analytic gradient and
/// vector–Jacobian product in the suite.
///
/// Error model (per component, f smooth on the scale of the step): a stencil of order p with step h has
/// truncation error ~ hᵖ·|f⁽ᵖ⁺¹⁾| and round-off error ~ ε·|f|/h (ε = 2⁻⁵² ≈ 2.2e-16). The step that
/// balances the two is h ~ ε^{1/(p+1)}·scale:
///   - second order (3-point): h = ε^{1/3} ≈ 6.1e-6, total relative error ~ ε^{2/3} ≈ 4e-11;
///   - fourth order (5-point, the default): h = ε^{1/5} ≈ 7.4e-4, total relative error ~ ε^{4/5} ≈ 3e-13.
/// The step is scaled by max(1, |xⱼ|) and rounded so that xⱼ ± h are exact (h = (xⱼ + h) − xⱼ).
/// Tests that compare against these differences therefore use tolerances of 1e-8 to 1e-9 relative,
/// which leaves two to four orders of magnitude for the derivatives' scale.
public enum FiniteDifference {
    public enum Order: Sendable {
        case second
        case fourth

        /// The unscaled step for this order in Double.
        public var baseStep: Double {
            switch self {
            case .second: return 6.0554544523933395e-06   // ε^{1/3}
            case .fourth: return 7.4009597974140505e-04   // ε^{1/5}
            }
        }
    }

    /// An exactly representable step at `x` (so that x + h − x == h).
    @inlinable
    public static func step(at x: Double, order: Order, scale: Double = 1) -> Double {
        let h = order.baseStep * scale * max(1, abs(x))
        return (x + h) - x
    }

    /// The derivative of a scalar function of one variable.
    public static func derivative(of f: (Double) -> Double, at x: Double, order: Order = .fourth, scale: Double = 1) -> Double {
        let h = step(at: x, order: order, scale: scale)
        switch order {
        case .second:
            return (f(x + h) - f(x - h)) / (2 * h)
        case .fourth:
            return (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h)
        }
    }

    /// ∇f(x) of a scalar function of a vector.
    public static func gradient(of f: ([Double]) -> Double, at x: [Double], order: Order = .fourth, scale: Double = 1) -> [Double] {
        (0..<x.count).map { j in
            derivative(of: { t in var y = x; y[j] = t; return f(y) }, at: x[j], order: order, scale: scale)
        }
    }

    /// The Jacobian (m×n, column j = ∂f/∂xⱼ) of a vector function f: Rⁿ → Rᵐ.
    public static func jacobian(of f: ([Double]) -> [Double], at x: [Double], order: Order = .fourth, scale: Double = 1) -> Matrix<Double> {
        let n = x.count
        var columns = [[Double]]()
        columns.reserveCapacity(n)
        for j in 0..<n {
            let h = step(at: x[j], order: order, scale: scale)
            func at(_ k: Double) -> [Double] { var y = x; y[j] = x[j] + k * h; return f(y) }
            let column: [Double]
            switch order {
            case .second:
                let (p, m) = (at(1), at(-1))
                column = (0..<p.count).map { (p[$0] - m[$0]) / (2 * h) }
            case .fourth:
                let (p2, p1, m1, m2) = (at(2), at(1), at(-1), at(-2))
                column = (0..<p1.count).map { (-p2[$0] + 8 * p1[$0] - 8 * m1[$0] + m2[$0]) / (12 * h) }
            }
            columns.append(column)
        }
        let m = columns.first?.count ?? 0
        return Matrix(rows: m, columns: n) { i, j in columns[j][i] }
    }

    /// Jᵀv by finite differences of the Jacobian: the reference for vector–Jacobian products.
    public static func vectorJacobianProduct(of f: ([Double]) -> [Double], at x: [Double], cotangent v: [Double],
                                             order: Order = .fourth, scale: Double = 1) -> [Double] {
        let j = jacobian(of: f, at: x, order: order, scale: scale)
        precondition(j.rows == v.count, "cotangent has \(v.count) entries, f has \(j.rows) outputs")
        return (0..<j.columns).map { c in (0..<j.rows).reduce(0) { $0 + j[$1, c] * v[$1] } }
    }
}
