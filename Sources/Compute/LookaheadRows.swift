import FaultInjection

/// G_loss row by row, the one host form of Definition 1: for each sample, the residual y − gᵀx̂₀, βₜ from
/// gᵀv and ‖v‖² by the rule, and the factor f = 2·β_coef·β·(y − gᵀx̂₀), so that G = f·v with
/// v = (∂x̂₀/∂x)ᵀg. `LookaheadGuidance` (host matrices) and every host backend's `lookaheadShift`
/// (resident buffers) call it; the CUDA source's `ggd_lookahead_shift` is its device twin. The row
/// reductions are summed in index order, as the device sums them.
public enum LookaheadRows {
    /// The direction G points along: v, or g itself under the `gloss-without-jacobian` and
    /// `naive-in-place-of-lookahead` faults.
    @inlinable
    public static func direction<P>(vjp: P, gradients: P) -> P {
        FaultHook.isActive(.gLossWithoutJacobian) || FaultHook.isActive(.naiveInPlaceOfLookahead) ? gradients : vjp
    }

    /// The factors fᵣ of `rows` rows of width `columns` (row-major): `direction` as chosen by `direction(vjp:gradients:)`.
    @inlinable
    public static func factors(denoised x0: UnsafePointer<Double>, direction v: UnsafePointer<Double>, gradients g: UnsafePointer<Double>,
                               targets y: UnsafePointer<Double>, rows: Int, columns D: Int, strength: LookaheadStrength, alpha: Double, h: Double,
                               into f: UnsafeMutablePointer<Double>) {
        let two: Double = FaultHook.isActive(.gLossSignFlipped) ? -2 : 2
        if FaultHook.isActive(.naiveInPlaceOfLookahead) {
            // The fault computes naive G = β(y − gᵀx̂₀)g with β = α/(σ² + h‖g‖²), σ = 0.1, as `NaiveGuidance` does.
            for r in 0..<rows {
                let o = r * D
                var gx = 0.0, gg = 0.0
                for j in 0..<D { gx += g[o + j] * x0[o + j] }
                for j in 0..<D { gg += g[o + j] * g[o + j] }
                f[r] = 1 * alpha / (0.1 * 0.1 + h * gg) * (y[r] - gx)
            }
            return
        }
        for r in 0..<rows {
            let o = r * D
            var gx = 0.0, gv = 0.0, vv = 0.0
            for j in 0..<D { gx += g[o + j] * x0[o + j] }
            for j in 0..<D { gv += g[o + j] * v[o + j] }
            for j in 0..<D { vv += v[o + j] * v[o + j] }
            let residual = y[r] - gx
            f[r] = two * strength.coefficient * strength.rule.beta(alpha: alpha, h: h, gDotV: gv, vNormSquared: vv) * residual
        }
    }

    /// The sampler's scale of the shift x̂₀ + (h/α)G (h left out under the `guidance-shift-missing-h` fault).
    @inlinable
    public static func shiftScale(alpha: Double, h: Double) -> Double {
        (FaultHook.isActive(.guidanceShiftMissingH) ? 1 : h) / alpha
    }
}
