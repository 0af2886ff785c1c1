import CKernels

/// glibc's allocator settings for a process that allocates and frees the same large batches every
/// sampler step. By default a freed block of a few megabytes goes back to the kernel (the heap is trimmed
/// above 2 × the mmap threshold) and the next step faults every page in again: measured on a full
/// `L3-draws` run (2·10⁵ draws of D ≤ 10, 50 steps) as 8 s of system time in 24 s. Blocks below 256 MB
/// now stay in the heap and up to 512 MB of free heap is kept, so a step reuses the previous step's pages.
/// Memory use is bounded by the same `--max-memory` checks as before; only its return to the kernel is late.
enum AllocatorTuning {
    static func apply() {
        _ = ggd_keep_freed_blocks(256 << 20, 512 << 20)
    }
}
