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

    /// How much of a Gaussian law lies off span(A): (‖(I − P)m‖ + √tr((I − P)C(I − P))) over the law's
    /// own scale max(1, ‖m‖, √tr C). Zero (to round-off) exactly when the law lives in span(A); what the
    /// catalog and `ggd methods` read a guidance method's exact law by.
    public func relativeOffSpanMass(of law: GaussianLaw) -> Double {
        let D = law.mean.count
        let q = Matrix<Double>.identity(D) - basis.matmul(basis, transposeOther: true)
        let off = q.matmul(law.covariance).matmul(q)
        let scale = max(1, Vectors.norm(law.mean), law.covariance.trace.squareRoot())
        return (Vectors.norm(q.times(law.mean)) + max(0, off.trace).squareRoot()) / scale
    }
}
