extension CUDAKernelSource {
    /// Philox4x32-10 and the ziggurat normals of `RandomStream`, one thread per stream row.
    static let randomness = #"""
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
