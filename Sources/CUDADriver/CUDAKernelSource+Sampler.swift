extension CUDAKernelSource {
    /// The sampler's and the training step's kernels: the DDPM step, conversions, Tweedie, score matching's batch, β and G_loss.
    static let sampler = #"""
// DDPM ancestral step: x = c1*x0 + c2*x + sd*z (without the noise term when z is null).
template <typename T>
__device__ void ggd_ddpm_step(T *x, const T *x0, const T *z, int n, T c1, T c2, T sd) {
    if (z) {
        GGD_FOR_EACH(i, n) { x[i] = c1 * x0[i] + c2 * x[i] + sd * z[i]; }
    } else {
        GGD_FOR_EACH(i, n) { x[i] = c1 * x0[i] + c2 * x[i]; }
    }
}

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
__device__ void ggd_tweedie(const double *base, double base_scale, const T *correction, int count, double scale, double factor,
                            double *out) {
    GGD_FOR_EACH(i, count) { out[i] = (base_scale * base[i] - scale * (double)correction[i]) * factor; }
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
__device__ void ggd_score_residual(const T *out, const T *input, int stride, const int *steps, const T *skips, const T *output_scales,
                                   const double *noise, int rows, int columns, T scale, T *cotangent, double *row_squares) {
    GGD_FOR_EACH(r, rows) {
        double sum = 0.0;
        const T s = skips[steps[r]], c = output_scales[steps[r]];
        const T cs = scale * c;
        for (int j = 0; j < columns; j++) {
            const long long i = r * columns + j;
            const T d = (c * out[i] + s * input[r * stride + j]) - (T)noise[i];
            sum += (double)(d * d);
            cotangent[i] = cs * d;
        }
        row_squares[r] = sum;
    }
}

#define GGD_INSTANTIATE_SAMPLING(T, S) \
extern "C" __global__ void ggd_load_rows_##S(const double *x, int rows, int columns, T *out, int stride) { \
    ggd_load_rows<T>(x, rows, columns, out, stride); } \
extern "C" __global__ void ggd_convert_##S(const double *x, int count, T *out) { ggd_convert<T>(x, count, out); } \
extern "C" __global__ void ggd_tweedie_##S(const double *base, double base_scale, const T *correction, int count, double scale, \
                                           double factor, double *out) { \
    ggd_tweedie<T>(base, base_scale, correction, count, scale, factor, out); } \
extern "C" __global__ void ggd_diffuse_##S(const T *x0, const double *noise, const int *steps, const T *alphas, const T *sigmas, \
                                           int rows, int columns, T *input, int stride) { \
    ggd_diffuse<T>(x0, noise, steps, alphas, sigmas, rows, columns, input, stride); } \
extern "C" __global__ void ggd_gather_rows_##S(const T *table, const int *indices, int rows, int width, T *out, int stride) { \
    ggd_gather_rows<T>(table, indices, rows, width, out, stride); } \
extern "C" __global__ void ggd_score_residual_##S(const T *out, const T *input, int stride, const int *steps, const T *skips, \
                                                  const T *output_scales, const double *noise, int rows, int columns, T scale, \
                                                  T *cotangent, double *row_squares) { \
    ggd_score_residual<T>(out, input, stride, steps, skips, output_scales, noise, rows, columns, scale, cotangent, row_squares); } \
extern "C" __global__ void ggd_ddpm_step_##S(T *x, const T *x0, const T *z, int n, T c1, T c2, T sd) { \
    ggd_ddpm_step<T>(x, x0, z, n, c1, c2, sd); }

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
#if defined(GGD_FAULT_GLOSS_WITHOUT_JACOBIAN) || defined(GGD_FAULT_NAIVE_IN_PLACE_OF_LOOKAHEAD)
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
#ifdef GGD_FAULT_NAIVE_IN_PLACE_OF_LOOKAHEAD
        // The fault computes naive G = beta*(y - g.x0)*g with beta = alpha/(sigma^2 + h|g|^2), sigma = 0.1.
        const double f = 1.0 * alpha / (0.1 * 0.1 + h * vv) * residual;
        (void)two; (void)gv;
#else
        const double f = two * coefficient * ggd_beta(rule, parameter, alpha, h, gv, vv) * residual;
#endif
        for (int j = 0; j < columns; j++) x0[o + j] += a * (v[o + j] * f);
    }
}
"""#
}
