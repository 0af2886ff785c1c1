extension CUDAKernelSource {
    /// The ε-network's element-wise kernels (SiLU layers, bias, products, column sums) and Adam.
    static let network = #"""
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

// The parameters' moving average: a[i] = decay*a[i] + weight*p[i] (two products, one sum; no FMA).
template <typename T>
__device__ void ggd_exponential_average(T *a, const T *p, int n, T decay, T weight) {
    GGD_FOR_EACH(i, n) { a[i] = decay * a[i] + weight * p[i]; }
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
extern "C" __global__ void ggd_exponential_average_##S(T *a, const T *p, int n, T decay, T weight) { \
    ggd_exponential_average<T>(a, p, n, decay, weight); }

GGD_INSTANTIATE(float, f32)
GGD_INSTANTIATE(double, f64)
"""#
}
