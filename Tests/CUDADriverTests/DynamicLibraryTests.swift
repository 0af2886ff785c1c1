import Testing
@testable import CUDADriver

@Suite struct DynamicLibraryTests {
    @Test("a missing library names every soname tried")
    func missingLibrary() {
        #expect {
            _ = try DynamicLibrary("Nothing", candidates: ["libggd_absent.so.1", "libggd_absent.so"])
        } throws: { error in
            guard let e = error as? CUDAError, case let .libraryUnavailable(library, tried, _) = e else { return false }
            return library == "Nothing" && tried == ["libggd_absent.so.1", "libggd_absent.so"]
                && e.description.contains("libggd_absent.so.1, libggd_absent.so")
        }
    }

    @Test("a missing symbol is an error naming library and symbol; a present one resolves")
    func symbols() throws {
        let libc = try DynamicLibrary("C library", candidates: ["libc.so.6"])
        typealias Strlen = @convention(c) (UnsafePointer<CChar>) -> Int
        let strlen: Strlen = try libc.function("strlen")
        #expect(strlen("four") == 4)
        #expect(throws: CUDAError.symbolMissing(library: "libc.so.6", symbol: "ggd_no_such_function")) {
            let _: Strlen = try libc.function("ggd_no_such_function")
        }
        #expect(libc.optionalFunction("ggd_no_such_function", as: Strlen.self) == nil)
    }

    @Test("every error is a single line", arguments: [
        CUDAError.libraryUnavailable(library: "NVRTC", tried: ["libnvrtc.so", "libnvrtc.so.12"], detail: "libnvrtc.so: cannot open"),
        .symbolMissing(library: "libcuda.so.1", symbol: "cuInit"),
        .driver(function: "cuInit", code: 100, name: "CUDA_ERROR_NO_DEVICE"),
        .driver(function: "cuInit", code: 999, name: nil),
        .nvrtc(function: "nvrtcCreateProgram", code: 3, message: "NVRTC_ERROR_INVALID_INPUT"),
        .compilationFailed(program: "k.cu", log: "k.cu(1): error: expected a \";\"\n\n1 error detected in the compilation of \"k.cu\".\n"),
        .cublas(function: "cublasSgemm_v2", status: 7),
        .invalidArgument("bad size"),
    ])
    func oneLine(error: CUDAError) {
        #expect(!error.description.isEmpty)
        #expect(!error.description.contains("\n"), "\(error.description)")
    }

    @Test("a driver error carries cuGetErrorName's name")
    func driverErrorName() {
        let e = CUDAError.driver(function: "cuInit", code: 100, name: "CUDA_ERROR_NO_DEVICE")
        #expect(e.description == "CUDA driver call cuInit failed with CUDA_ERROR_NO_DEVICE (100)")
    }
}
