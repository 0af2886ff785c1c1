/// The kernels of `CUDAKernelSource`, by the names they have in the compiled module.
public enum CUDAKernel: String, CaseIterable, Sendable {
    case siluFirst = "ggd_silu_first"
    case siluResidual = "ggd_silu_residual"
    case addBias = "ggd_add_bias"
    case multiply = "ggd_multiply"
    case columnSums = "ggd_column_sums"
    case adamUpdate = "ggd_adam_update"
    case ddpmStep = "ggd_ddpm_step"
    case philox = "ggd_philox4x32_10"

    /// Whether the kernel comes in a Float (`_f32`) and a Double (`_f64`) copy.
    public var isPrecisionGeneric: Bool { self != .philox }

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
