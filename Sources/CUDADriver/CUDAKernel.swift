/// The kernels of `CUDAKernelSource`, by the names they have in the compiled module.
public enum CUDAKernel: String, CaseIterable, Sendable {
    case siluFirst = "ggd_silu_first"
    case siluResidual = "ggd_silu_residual"
    case addBias = "ggd_add_bias"
    case multiply = "ggd_multiply"
    case columnSums = "ggd_column_sums"
    case adamUpdate = "ggd_adam_update"
    case exponentialAverage = "ggd_exponential_average"
    case ddpmStep = "ggd_ddpm_step"
    case philox = "ggd_philox4x32_10"
    case loadRows = "ggd_load_rows"
    case convert = "ggd_convert"
    case tweedie = "ggd_tweedie"
    case diffuse = "ggd_diffuse"
    case gatherRows = "ggd_gather_rows"
    case scoreResidual = "ggd_score_residual"
    case lookaheadShift = "ggd_lookahead_shift"
    case normals = "ggd_normals"

    /// Whether the kernel comes in a Float (`_f32`) and a Double (`_f64`) copy (the others work in
    /// Double or on words only).
    public var isPrecisionGeneric: Bool { self != .philox && self != .lookaheadShift && self != .normals }

    /// The symbol for elements of `precision` (`precision` is ignored by precision-free kernels).
    public func symbol(_ precision: CUDAPrecision) -> String {
        isPrecisionGeneric ? "\(rawValue)_\(precision.rawValue)" : rawValue
    }

    /// Every symbol the compiled module exports (both precisions of each generic kernel).
    public static var allSymbols: [String] {
        allCases.flatMap { k in k.isPrecisionGeneric ? CUDAPrecision.allCases.map { k.symbol($0) } : [k.rawValue] }
    }
}

/// The element precision of a kernel or a product: the suffix of the kernel's name.
public enum CUDAPrecision: String, CaseIterable, Sendable {
    case float = "f32"
    case double = "f64"
}
