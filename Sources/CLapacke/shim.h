// LAPACK through its C interface (row-major calls). Debian: liblapacke-dev; the
// LAPACK routines themselves come from OpenBLAS.
#ifndef GGD_CLAPACKE_SHIM_H
#define GGD_CLAPACKE_SHIM_H
#include <lapacke.h>
#endif
