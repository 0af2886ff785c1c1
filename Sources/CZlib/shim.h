// zlib, for the deflate-compressed members of .npz archives (np.savez_compressed).
// Debian: zlib1g-dev.
#ifndef GGD_CZLIB_SHIM_H
#define GGD_CZLIB_SHIM_H
#include <zlib.h>
#endif
