import FaultInjection
import Foundation

/// The CUDA C++ source of the element-wise kernels of the ε-network, Adam, the DDPM step and Philox,
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
    public static var text: String { faultDefines + core + sampling }

    /// The preprocessor line of the active fault (empty in every normal run).
    public static var faultDefines: String {
        guard let fault = FaultHook.active else { return "" }
        return "#define \(macro(fault))\n"
    }

    /// The macro a fault is known by in the source: GGD_FAULT_ and its name in capitals.
    public static func macro(_ fault: Fault) -> String {
        "GGD_FAULT_" + fault.rawValue.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    static let core = #"""
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

// First hidden layer, in place: p = h + b[j], h = p*s, d = s*(1 + p*(1 - s)), s = 1/(1 + e^-p).
template <typename T>
__device__ void ggd_silu_first(T *h, const T *bias, T *d, int rows, int width) {
    GGD_FOR_EACH(i, (long long)rows * width) {
        const T p = h[i] + bias[(unsigned)i % (unsigned)width];
        const T s = T(1) / (T(1) + ggd_exp(-p));
        h[i] = p * s;
        d[i] = s * (T(1) + p * (T(1) - s));
    }
}

// Residual block: p = pre + b[j], next = previous + p*s, d = SiLU'(p).
template <typename T>
__device__ void ggd_silu_residual(const T *pre, const T *bias, const T *previous, T *next, T *d, int rows, int width) {
    GGD_FOR_EACH(i, (long long)rows * width) {
        const T p = pre[i] + bias[(unsigned)i % (unsigned)width];
        const T s = T(1) / (T(1) + ggd_exp(-p));
        next[i] = previous[i] + p * s;
        d[i] = s * (T(1) + p * (T(1) - s));
    }
}

// out[r, j] += bias[j].
template <typename T>
__device__ void ggd_add_bias(T *out, const T *bias, int rows, int width) {
    GGD_FOR_EACH(i, (long long)rows * width) { out[i] += bias[(unsigned)i % (unsigned)width]; }
}

// out = a * b element-wise.
template <typename T>
__device__ void ggd_multiply(const T *a, const T *b, T *out, int count) {
    GGD_FOR_EACH(i, count) { out[i] = a[i] * b[i]; }
}

// sums[j] (+)= sum over rows of m[r, j], one thread per column, rows in order (as the CPU loop).
template <typename T>
__device__ void ggd_column_sums(const T *m, int rows, int width, T *sums, int accumulate) {
    GGD_FOR_EACH(j, width) {
        T s = accumulate ? sums[j] : T(0);
        for (int r = 0; r < rows; r++) s += m[(long long)r * width + j];
        sums[j] = s;
    }
}

// torch.optim.Adam: m += c1*(g - m); v = b2*v + c2*g*g; p -= step*m/(sqrt(v)/sqrt_c2 + eps).
template <typename T>
__device__ void ggd_adam_update(T *p, const T *g, T *m, T *v, int n, T step, T sqrt_c2, T c1, T b2, T c2, T eps) {
    GGD_FOR_EACH(i, n) {
        const T gi = g[i];
        const T mi = m[i] + c1 * (gi - m[i]);
        const T vi = b2 * v[i] + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] -= step * mi / (sqrt(vi) / sqrt_c2 + eps);
    }
}

// DDPM ancestral step: x = c1*x0 + c2*x + sd*z (without the noise term when z is null).
template <typename T>
__device__ void ggd_ddpm_step(T *x, const T *x0, const T *z, int n, T c1, T c2, T sd) {
    if (z) {
        GGD_FOR_EACH(i, n) { x[i] = c1 * x0[i] + c2 * x[i] + sd * z[i]; }
    } else {
        GGD_FOR_EACH(i, n) { x[i] = c1 * x0[i] + c2 * x[i]; }
    }
}

#define GGD_INSTANTIATE(T, S) \
extern "C" __global__ void ggd_silu_first_##S(T *h, const T *bias, T *d, int rows, int width) { \
    ggd_silu_first<T>(h, bias, d, rows, width); } \
extern "C" __global__ void ggd_silu_residual_##S(const T *pre, const T *bias, const T *previous, T *next, T *d, \
                                                 int rows, int width) { \
    ggd_silu_residual<T>(pre, bias, previous, next, d, rows, width); } \
extern "C" __global__ void ggd_add_bias_##S(T *out, const T *bias, int rows, int width) { \
    ggd_add_bias<T>(out, bias, rows, width); } \
extern "C" __global__ void ggd_multiply_##S(const T *a, const T *b, T *out, int count) { \
    ggd_multiply<T>(a, b, out, count); } \
extern "C" __global__ void ggd_column_sums_##S(const T *m, int rows, int width, T *sums, int accumulate) { \
    ggd_column_sums<T>(m, rows, width, sums, accumulate); } \
extern "C" __global__ void ggd_adam_update_##S(T *p, const T *g, T *m, T *v, int n, T step, T sqrt_c2, T c1, T b2, \
                                               T c2, T eps) { \
    ggd_adam_update<T>(p, g, m, v, n, step, sqrt_c2, c1, b2, c2, eps); } \
extern "C" __global__ void ggd_ddpm_step_##S(T *x, const T *x0, const T *z, int n, T c1, T c2, T sd) { \
    ggd_ddpm_step<T>(x, x0, z, n, c1, c2, sd); }

GGD_INSTANTIATE(float, f32)
GGD_INSTANTIATE(double, f64)

// Philox4x32-10 (Random123), as Philox4x32.block: counter (c0, c1, c2, c3), key (k0, k1).
__device__ __forceinline__ void ggd_philox_block(ggd_u32 c[4], ggd_u32 k0, ggd_u32 k1) {
    for (int round = 0; round < 10; round++) {
        if (round > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
        const ggd_u64 p0 = (ggd_u64)0xD2511F53u * c[0];
        const ggd_u64 p1 = (ggd_u64)0xCD9E8D57u * c[2];
        const ggd_u32 hi0 = (ggd_u32)(p0 >> 32), lo0 = (ggd_u32)p0;
        const ggd_u32 hi1 = (ggd_u32)(p1 >> 32), lo1 = (ggd_u32)p1;
        const ggd_u32 n0 = hi1 ^ c[1] ^ k0, n2 = hi0 ^ c[3] ^ k1;
        c[0] = n0; c[1] = lo1; c[2] = n2; c[3] = lo0;
    }
}

// Blocks first_block, first_block + 1, ... (mod 2^32) of counter (block, c1, c2, c3) under key (k0, k1):
// out[4*b + w] is word w of the b-th block. RandomStream.bits(row:block:) is counter
// (block, row, index low, index high) under StreamKey.philoxKey.
extern "C" __global__ void ggd_philox4x32_10(ggd_u32 *out, int blocks, ggd_u32 first_block, ggd_u32 c1, ggd_u32 c2,
                                             ggd_u32 c3, ggd_u32 k0, ggd_u32 k1) {
    GGD_FOR_EACH(b, blocks) {
        ggd_u32 c[4] = {first_block + (ggd_u32)b, c1, c2, c3};
        ggd_philox_block(c, k0, k1);
        out[4 * b + 0] = c[0];
        out[4 * b + 1] = c[1];
        out[4 * b + 2] = c[2];
        out[4 * b + 3] = c[3];
    }
}
"""#

    /// The sampler's and the training step's kernels (appended to `core`).
    static let sampling = #"""

// Network input rows from points: out[r*stride + j] = T(x[r*columns + j]).
template <typename T>
__device__ void ggd_load_rows(const double *x, int rows, int columns, T *out, int stride) {
    GGD_FOR_EACH(i, (long long)rows * columns) {
        const long long r = i / columns, j = i % columns;
        out[r * stride + j] = (T)x[i];
    }
}

// out = T(x).
template <typename T>
__device__ void ggd_convert(const double *x, int count, T *out) {
    GGD_FOR_EACH(i, count) { out[i] = (T)x[i]; }
}

// Tweedie: out = (base - scale*double(correction))*factor (x0 from eps-hat, and its VJP).
template <typename T>
__device__ void ggd_tweedie(const double *base, const T *correction, int count, double scale, double factor, double *out) {
    GGD_FOR_EACH(i, count) { out[i] = (base[i] - scale * (double)correction[i]) * factor; }
}

// Score matching's noisy input: input[r*stride + j] = a[t_r]*x0 + s[t_r]*T(noise).
template <typename T>
__device__ void ggd_diffuse(const T *x0, const double *noise, const int *steps, const T *alphas, const T *sigmas, int rows,
                            int columns, T *input, int stride) {
    GGD_FOR_EACH(i, (long long)rows * columns) {
        const long long r = i / columns, j = i % columns;
        const int t = steps[r];
        const T n = (T)noise[i];
        input[r * stride + j] = alphas[t] * x0[i] + sigmas[t] * n;
    }
}

// out[r*stride + j] = table[indices[r]*width + j] (the rows' time embeddings).
template <typename T>
__device__ void ggd_gather_rows(const T *table, const int *indices, int rows, int width, T *out, int stride) {
    GGD_FOR_EACH(i, (long long)rows * width) {
        const long long r = i / width, j = i % width;
        out[r * stride + j] = table[(long long)indices[r] * width + j];
    }
}

// Score matching's cotangent, one thread per row: r = out - T(noise), cotangent = scale*r, and the
// row's sum of double(r*r) in order.
template <typename T>
__device__ void ggd_score_residual(const T *out, const double *noise, int rows, int columns, T scale, T *cotangent,
                                   double *row_squares) {
    GGD_FOR_EACH(r, rows) {
        double sum = 0.0;
        for (int j = 0; j < columns; j++) {
            const long long i = r * columns + j;
            const T d = out[i] - (T)noise[i];
            sum += (double)(d * d);
            cotangent[i] = scale * d;
        }
        row_squares[r] = sum;
    }
}

#define GGD_INSTANTIATE_SAMPLING(T, S) \
extern "C" __global__ void ggd_load_rows_##S(const double *x, int rows, int columns, T *out, int stride) { \
    ggd_load_rows<T>(x, rows, columns, out, stride); } \
extern "C" __global__ void ggd_convert_##S(const double *x, int count, T *out) { ggd_convert<T>(x, count, out); } \
extern "C" __global__ void ggd_tweedie_##S(const double *base, const T *correction, int count, double scale, double factor, \
                                           double *out) { \
    ggd_tweedie<T>(base, correction, count, scale, factor, out); } \
extern "C" __global__ void ggd_diffuse_##S(const T *x0, const double *noise, const int *steps, const T *alphas, const T *sigmas, \
                                           int rows, int columns, T *input, int stride) { \
    ggd_diffuse<T>(x0, noise, steps, alphas, sigmas, rows, columns, input, stride); } \
extern "C" __global__ void ggd_gather_rows_##S(const T *table, const int *indices, int rows, int width, T *out, int stride) { \
    ggd_gather_rows<T>(table, indices, rows, width, out, stride); } \
extern "C" __global__ void ggd_score_residual_##S(const T *out, const double *noise, int rows, int columns, T scale, \
                                                  T *cotangent, double *row_squares) { \
    ggd_score_residual<T>(out, noise, rows, columns, scale, cotangent, row_squares); }

GGD_INSTANTIATE_SAMPLING(float, f32)
GGD_INSTANTIATE_SAMPLING(double, f64)

// beta_t of G_loss by the rule (0: code, 1: theory, 2: constant), as BetaRule.beta:
// code (alpha^2/2)/(alpha^2 sigma^2 + h|v|^2); theory 1/(2(sigma^2 + (h/alpha) g.v)); constant beta.
__device__ __forceinline__ double ggd_beta(int rule, double parameter, double alpha, double h, double gv, double vv) {
    if (rule == 0) {
#ifdef GGD_FAULT_CODE_BETA_MISSING_ALPHA_SQUARED
        const double a2 = 1.0;
#else
        const double a2 = alpha * alpha;
#endif
        return (alpha * alpha / 2.0) / (a2 * parameter * parameter + h * vv);
    }
    if (rule == 1) {
#ifdef GGD_FAULT_THEORY_BETA_MISSING_INVERSE_ALPHA
        return 1.0 / (2.0 * (parameter * parameter + h * gv));
#else
        return 1.0 / (2.0 * (parameter * parameter + (h / alpha) * gv));
#endif
    }
    return parameter;
}

// G_loss and the shift of x0, one thread per row (LookaheadGuidance.combine, then x0 += (h/alpha)*G):
// residual = y - g.x0, beta = ggd_beta(g.v, |v|^2), f = 2*coefficient*beta*residual, x0 += (h/alpha)*(v*f).
extern "C" __global__ void ggd_lookahead_shift(double *x0, const double *vjp, const double *g, const double *y, int rows,
                                               int columns, int rule, double parameter, double coefficient, double alpha,
                                               double h) {
#ifdef GGD_FAULT_GLOSS_WITHOUT_JACOBIAN
    const double *v = g;
#else
    const double *v = vjp;
#endif
#ifdef GGD_FAULT_GLOSS_SIGN_FLIPPED
    const double two = -2.0;
#else
    const double two = 2.0;
#endif
#ifdef GGD_FAULT_GUIDANCE_SHIFT_MISSING_H
    const double a = 1.0 / alpha;
#else
    const double a = h / alpha;
#endif
    GGD_FOR_EACH(r, rows) {
        const long long o = r * columns;
        double gx = 0.0, gv = 0.0, vv = 0.0;
        for (int j = 0; j < columns; j++) gx += g[o + j] * x0[o + j];
        for (int j = 0; j < columns; j++) gv += g[o + j] * v[o + j];
        for (int j = 0; j < columns; j++) vv += v[o + j] * v[o + j];
        const double residual = y[r] - gx;
        const double f = two * coefficient * ggd_beta(rule, parameter, alpha, h, gv, vv) * residual;
        for (int j = 0; j < columns; j++) x0[o + j] += a * (v[o + j] * f);
    }
}

// RandomStream.fillNormals, one thread per row: the row's 64-bit words (a<<32 | b, then c<<32 | d of
// Philox blocks 0, 1, 2, ... of counter (block, row, index_lo, index_hi) under (k0, k1)) fed to the
// ziggurat of Ziggurat.normal with its tables zx (257 entries) and zfx.
struct ggd_row_words {
    ggd_u32 c[4];
    ggd_u32 block, row, index_lo, index_hi, k0, k1;
    int used;
    __device__ ggd_u64 next() {
        if (used == 2) {
            c[0] = block; c[1] = row; c[2] = index_lo; c[3] = index_hi;
            ggd_philox_block(c, k0, k1);
            block += 1u;
            used = 0;
        }
        const ggd_u64 w = used == 0 ? ((ggd_u64)c[0] << 32 | c[1]) : ((ggd_u64)c[2] << 32 | c[3]);
        used += 1;
        return w;
    }
};

__device__ __forceinline__ double ggd_uniform_open(ggd_u64 w) {
    return ((double)(w >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

extern "C" __global__ void ggd_normals(double *out, int rows, int columns, ggd_u32 first_row, ggd_u32 k0, ggd_u32 k1,
                                       ggd_u32 index_lo, ggd_u32 index_hi, const double *zx, const double *zfx) {
    const double tail_start = 3.6541528853610088;
    GGD_FOR_EACH(r, rows) {
        ggd_row_words words;
        words.block = 0u; words.row = first_row + (ggd_u32)r; words.index_lo = index_lo; words.index_hi = index_hi;
        words.k0 = k0; words.k1 = k1; words.used = 2;
        for (int j = 0; j < columns; j++) {
            double value;
            while (true) {
                const ggd_u64 w = words.next();
                const int i = (int)(w & 0xFFull);
                const ggd_u64 sign = (w & 0x100ull) << 55;
                const double u = (double)(w >> 11) * (1.0 / 9007199254740992.0);
                const double z = u * zx[i];
                if (z < zx[i + 1]) { value = __longlong_as_double((long long)((ggd_u64)__double_as_longlong(z) | sign)); break; }
                if (i == 0) {
                    bool done = false;
                    while (!done) {
                        const double a = -log(ggd_uniform_open(words.next())) / tail_start;
                        const double b = -log(ggd_uniform_open(words.next()));
                        if (2.0 * b > a * a) {
                            value = __longlong_as_double((long long)((ggd_u64)__double_as_longlong(tail_start + a) | sign));
                            done = true;
                        }
                    }
                    break;
                }
                const double v = ggd_uniform_open(words.next());
                if (zfx[i + 1] + v * (zfx[i] - zfx[i + 1]) < exp(-0.5 * z * z)) {
                    value = __longlong_as_double((long long)((ggd_u64)__double_as_longlong(z) | sign));
                    break;
                }
            }
            out[(long long)r * columns + j] = value;
        }
    }
}
"""#
}
