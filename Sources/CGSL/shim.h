// The GNU Scientific Library, with OpenBLAS as its CBLAS. GSL's own gsl_cblas.h
// declares the same symbols as OpenBLAS's cblas.h, so cblas.h comes first and
// GSL's header guard is set to keep its copy out. Debian: libgsl-dev.
#ifndef GGD_CGSL_SHIM_H
#define GGD_CGSL_SHIM_H
#include <cblas.h>
#define __GSL_CBLAS_H__
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>

/// gsl_rng_mt19937 is a mutable global in C; Swift 6 refuses to read it directly.
static inline const gsl_rng_type *ggd_gsl_rng_mt19937(void) { return gsl_rng_mt19937; }
#endif
