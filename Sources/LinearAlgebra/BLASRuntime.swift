import COpenBLAS

/// What the BLAS library is doing at run time: the kernel ("core") OpenBLAS picked and its thread count.
///
/// OpenBLAS 0.3.21 can misdetect recent CPUs and fall back to its slowest kernels; reporting the core
/// beside every timing is how that shows up.
public enum BLASRuntime {
    /// The OpenBLAS core name, for example "Haswell" or "SkylakeX".
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The build configuration string OpenBLAS reports.
    public static var configuration: String {
        guard let config = openblas_get_config() else { return "unknown" }
        return String(cString: config)
    }

    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of BLAS threads (the `--threads` option ends here).
    public static func setThreadCount(_ n: Int) {
        openblas_set_num_threads(Int32(max(1, n)))
    }
}
