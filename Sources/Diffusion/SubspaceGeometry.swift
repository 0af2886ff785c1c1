import LinearAlgebra

/// Measurements relative to span(A): the projector P = AAᵀ, the on- and off-support parts of points and
/// the off/on-support ratio r_off = ‖x⊥‖/‖x∥‖ the paper reports.
public struct SubspaceGeometry: Sendable {
    /// A (D×d), orthonormal columns.
    public let basis: Matrix<Double>

    public init(basis: Matrix<Double>) { self.basis = basis }

    /// P x for every row.
    public func onSupport(_ x: Matrix<Double>) -> Matrix<Double> {
        x.matmul(basis).matmul(basis, transposeOther: true)
    }

    /// (I − P) x for every row.
    public func offSupport(_ x: Matrix<Double>) -> Matrix<Double> { x - onSupport(x) }

    /// r_off = ‖x⊥‖/‖x∥‖ per row.
    public func offSupportRatio(_ x: Matrix<Double>) -> [Double] {
        let projected = onSupport(x)
        return zip((x - projected).rowNorms, projected.rowNorms).map { $0 / $1 }
    }

    /// ‖x⊥‖/‖x‖ per row (bounded by 1; the measure of Theorem 1 for a guidance vector).
    public func offSupportFraction(_ x: Matrix<Double>) -> [Double] {
        let off = offSupport(x).rowNorms
        return zip(off, x.rowNorms).map { $1 > 0 ? $0 / $1 : 0 }
    }

    /// P v for one vector.
    public func project(_ v: [Double]) -> [Double] { basis.times(basis.times(v, transposed: true)) }
}
