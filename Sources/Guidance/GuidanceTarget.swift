import Compute
import LinearAlgebra
import FaultInjection

/// The per-sample query of one guided round: gradient gᵢ (row i) and target yᵢ.
///
/// In the reference code each sample keeps its own trajectory with its own gᵢ = ∇f(zᵢ) and yᵢ; in the
/// paper's text one g at the batch mean is shared, which is the same type with equal rows.
public struct GuidanceTarget: Sendable, Equatable {
    public let gradients: Matrix<Double>
    public let targets: [Double]

    public init(gradients: Matrix<Double>, targets: [Double]) throws {
        guard gradients.rows == targets.count else {
            throw GuidanceError.dimensionMismatch("\(gradients.rows) gradients for \(targets.count) targets")
        }
        guard gradients.isFinite, targets.allSatisfy(\.isFinite) else {
            throw GuidanceError.nonFinite("guidance gradients or targets contain NaN or infinity")
        }
        self.gradients = gradients
        let shift = FaultHook.size(.targetShift)
        self.targets = shift == 0 ? targets : targets.map { $0 + shift }
    }

    /// A query built from another one's (already shifted) numbers: the graded fault's shift is not applied twice.
    init(derivedGradients gradients: Matrix<Double>, targets: [Double]) {
        self.gradients = gradients
        self.targets = targets
    }

    /// One (g, y) shared by `count` samples.
    public static func shared(gradient g: [Double], target y: Double, count: Int) throws -> GuidanceTarget {
        try GuidanceTarget(gradients: Matrix(broadcasting: g, rows: count), targets: [Double](repeating: y, count: count))
    }

    public var count: Int { targets.count }
}
