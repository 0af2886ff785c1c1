#include "ckernels.h"
#include <math.h>

void ggd_adam_update_f32(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, size_t n,
                         float step, float sqrt_c2, float c1, float b2, float c2, float eps) {
    for (size_t i = 0; i < n; i++) {
        const float gi = g[i];
        const float mi = m[i] + c1 * (gi - m[i]);
        const float vi = b2 * v[i] + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] -= step * mi / (sqrtf(vi) / sqrt_c2 + eps);
    }
}

void ggd_adam_update_f64(double *restrict p, const double *restrict g, double *restrict m, double *restrict v, size_t n,
                         double step, double sqrt_c2, double c1, double b2, double c2, double eps) {
    for (size_t i = 0; i < n; i++) {
        const double gi = g[i];
        const double mi = m[i] + c1 * (gi - m[i]);
        const double vi = b2 * v[i] + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] -= step * mi / (sqrt(vi) / sqrt_c2 + eps);
    }
}
