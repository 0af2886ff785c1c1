// OpenBLAS's CBLAS interface plus the few OpenBLAS extensions the tool reports on
// (core name, thread count). Debian: libopenblas-dev.
#ifndef GGD_COPENBLAS_SHIM_H
#define GGD_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
