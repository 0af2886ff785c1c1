// Element-wise kernels whose Swift form does not vectorise: Swift's SIMD `squareRoot()` is lowered lane
// by lane through libm's sqrtf (with its errno check), which made Adam's update a third of a training
// step. Compiled with -fno-math-errno (sqrt is one vector instruction) and -ffp-contract=off (no fused
// multiply-add), so each element sees exactly the operations, in the order, of the Swift reference loop.
#ifndef GGD_CKERNELS_H
#define GGD_CKERNELS_H

#include <stddef.h>

/// Adam, as torch.optim.Adam (no weight decay, no AMSGrad), over n floats:
///   m ← m + c1·(g − m);  v ← b2·v + c2·g²;  p ← p − step·m / (√v / sqrt_c2 + eps).
void ggd_adam_update_f32(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, size_t n,
                         float step, float sqrt_c2, float c1, float b2, float c2, float eps);

/// The same in double precision.
void ggd_adam_update_f64(double *restrict p, const double *restrict g, double *restrict m, double *restrict v, size_t n,
                         double step, double sqrt_c2, double c1, double b2, double c2, double eps);

/// glibc only (0 elsewhere): blocks below `mmap_threshold` bytes come from the heap, and up to
/// `trim_threshold` bytes of free heap are kept rather than returned to the kernel. 1 when both took.
int ggd_keep_freed_blocks(size_t mmap_threshold, size_t trim_threshold);

#endif
