import Foundation
import FaultInjection

/// The step sizes of the algorithms' theory presets (SPEC §6), in one place so that the optimiser and
/// the catalog's checks use the same formulas.
public enum TheoryPresets {
    /// Algorithm 1's step η = 1/λ (Theorem 2).
    public static func algorithm1Step(lambda: Double) -> Double {
        (FaultHook.isActive(.algorithm1StepDoubled) ? 2 : 1) / lambda
    }

    /// Algorithm 2's regularisation λ = L·log K/(4K) for an L-smooth objective and K rounds (Theorem 3).
    public static func algorithm2Lambda(smoothness L: Double, rounds K: Int) -> Double {
        if FaultHook.isActive(.algorithm2LambdaConstant) { return L / 4 }
        let k = Double(max(K, 2))
        return L * log(k) / (4 * k)
    }

    /// Algorithm 2's step η = 2/(L + 2λ).
    public static func algorithm2Step(smoothness L: Double, lambda: Double) -> Double { 2 / (L + 2 * lambda) }
}
