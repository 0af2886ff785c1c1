import FaultInjection
import Foundation

/// The CUDA C++ source of the element-wise kernels, by family (the network and Adam in
/// `CUDAKernelSource+Network.swift`, the sampler in `+Sampler`, Philox and the normals in `+Randomness`),
/// compiled at run time by NVRTC (`NVRTCCompiler`) with `CUDAKernelSource.options`.
///
/// Each kernel mirrors a CPU loop of the main package operation for operation, so that with
/// `--fmad=false` (no fused multiply-add contraction) and NVRTC's IEEE defaults (`-prec-div=true`,
/// `-prec-sqrt=true`, `-ftz=false`) every element is rounded exactly as on the CPU:
///
/// - `ggd_silu_first_*`, `ggd_silu_residual_*`: `Kernels.siluFirst` / `siluResidual`, with the same
///   branch-free exponential (`Kernels.exp`: Cephes' polynomial for Float, degree-13 Taylor for Double)
///   rather than CUDA's `expf`/`exp`, so the activations match the CPU's bit for bit;
/// - `ggd_add_bias_*`, `ggd_multiply_*`, `ggd_column_sums_*`: `Kernels.addBias`, `multiply`,
///   `columnSums` (one thread per column, rows summed in order, so the sums match too);
/// - `ggd_adam_update_*`: `ggd_adam_update_f32/f64` of CKernels (torch's Adam);
/// - `ggd_ddpm_step_*`: `DDPMSampler`'s update x ← c1·x̂₀ + c2·x + sd·z (no noise term if z is null);
/// - `ggd_philox4x32_10`: `Philox4x32.block`, the same words for the same key and counter;
/// - `ggd_normals`: `RandomStream.fillNormals` (Philox words fed to the same 256-layer ziggurat, tables
///   passed in), one thread per stream row: the samplers' noise, drawn on the device;
/// - `ggd_load_rows_*`, `ggd_convert_*`, `ggd_tweedie_*`: `NetworkScore`'s conversions (points to the
///   network's input rows, x̂₀ = (x − √h·ε̂)/α and its VJP);
/// - `ggd_lookahead_shift`: `LookaheadGuidance.combine` and the shift x̂₀ + (h/α)G, one thread per row
///   (the row reductions gᵀx̂₀, gᵀv, ‖v‖² summed in order);
/// - `ggd_diffuse_*`, `ggd_gather_rows_*`, `ggd_score_residual_*`: `DenoisingScoreMatching`'s batch
///   (x_t = α_t x₀ + √h_t ε, the rows' time embeddings, the cotangent 2(ε̂ − ε)/(n·D) and row sums of squares).
///
/// The ziggurat's rare wedge and tail draws call CUDA's `exp` and `log` (within an ulp of glibc's,
/// and built with fused multiply-adds inside libdevice); every other kernel has no contraction.
///
/// Every kernel is `extern "C"` (unmangled names, see `CUDAKernel`), takes pointers, `int` sizes and
/// scalars, and uses a grid-stride loop, so any launch shape covers any size. Matrices are row-major
/// with `width` columns and no padding, as in the CPU workspace.
public enum CUDAKernelSource {
    /// The program name NVRTC reports in its diagnostics.
    public static let programName = "ggd_kernels.cu"

    /// The options the kernels must be compiled with (an architecture option is added per device).
    /// `--fmad=false` keeps a·b + c as two rounded operations, as on the CPU.
    public static let options = ["--fmad=false", "--std=c++11"]

    /// The program: the kernels, preceded by one `#define GGD_FAULT_…` when mutation testing has a fault
    /// switched on (`FaultHook`), so the device code carries the same deliberate fault as the host code.
    public static var text: String { faultDefines + prelude + network + sampler + randomness }

    /// The preprocessor line of the active fault when the source has a branch for it (empty in every normal
    /// run, and for faults whose site is host-only, so their program is the normal one and is not rebuilt).
    public static var faultDefines: String {
        guard let fault = FaultHook.active, faultsWithBranches.contains(fault) else { return "" }
        return "#define \(macro(fault))\n"
    }

    /// The faults the kernels carry a branch for: β's, G_loss's and the shift's.
    public static let faultsWithBranches: Set<Fault> = [.codeBetaMissingAlphaSquared, .theoryBetaMissingInverseAlpha, .gLossSignFlipped,
                                                        .gLossWithoutJacobian, .guidanceShiftMissingH, .naiveInPlaceOfLookahead]

    /// The macro a fault is known by in the source: GGD_FAULT_ and its name in capitals.
    public static func macro(_ fault: Fault) -> String {
        "GGD_FAULT_" + fault.rawValue.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// Types, the branch-free exponentials and the grid-stride loop every family uses.
    static let prelude = #"""
// GradientGuidance CUDA kernels. Compile with --fmad=false (see CUDAKernelSource.swift).

typedef unsigned int ggd_u32;
typedef unsigned long long ggd_u64;

// e^x in float without branches, exactly as Kernels.exp(Float): clamp to [-87, 88], n = round(x/ln 2)
// by the 1.5*2^23 trick, r = x - n ln 2 in two parts, Cephes' expf polynomial, times 2^n from the bits.
__device__ __forceinline__ float ggd_exp(float x0) {
    float x = x0 < -87.0f ? -87.0f : x0;
    x = x > 88.0f ? 88.0f : x;
    const float shifter = 12582912.0f;
    const float t = x * 1.4426950408889634f + shifter;
    const float n = t - shifter;
    const float r = (x - n * 0.693359375f) - n * -2.1219444005469058e-4f;
    const float z = r * r;
    float y = 1.9875691500e-4f;
    y = y * r + 1.3981999507e-3f;
    y = y * r + 8.3334519073e-3f;
    y = y * r + 4.1665795894e-2f;
    y = y * r + 1.6666665459e-1f;
    y = y * r + 5.0000001201e-1f;
    y = y * z + r + 1.0f;
    const ggd_u32 bits = (__float_as_uint(t) - __float_as_uint(shifter) + 127u) << 23;
    return y * __uint_as_float(bits);
}

// e^x in double exactly as Kernels.exp(Double): clamp to [-708, 709], degree-13 Taylor polynomial.
__device__ __forceinline__ double ggd_exp(double x0) {
    double x = x0 < -708.0 ? -708.0 : x0;
    x = x > 709.0 ? 709.0 : x;
    const double shifter = 6755399441055744.0;
    const double t = x * 1.4426950408889634 + shifter;
    const double n = t - shifter;
    const double r = (x - n * 6.9314718036912382e-1) - n * 1.9082149292705877e-10;
    double y = 1.0 / 6227020800.0;
    y = y * r + 1.0 / 479001600.0;
    y = y * r + 1.0 / 39916800.0;
    y = y * r + 1.0 / 3628800.0;
    y = y * r + 1.0 / 362880.0;
    y = y * r + 1.0 / 40320.0;
    y = y * r + 1.0 / 5040.0;
    y = y * r + 1.0 / 720.0;
    y = y * r + 1.0 / 120.0;
    y = y * r + 1.0 / 24.0;
    y = y * r + 1.0 / 6.0;
    y = y * r + 0.5;
    y = y * r + 1.0;
    y = y * r + 1.0;
    const ggd_u64 bits = ((ggd_u64)__double_as_longlong(t) - (ggd_u64)__double_as_longlong(shifter) + 1023ull) << 52;
    return y * __longlong_as_double((long long)bits);
}

// Grid-stride loop over [0, n); the launchers keep n <= INT_MAX, so an index fits 32 bits (the
// 64-bit loop variable only keeps i + stride from overflowing).
#define GGD_FOR_EACH(i, n) \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); \
         i += (long long)blockDim.x * gridDim.x)

"""#
}
