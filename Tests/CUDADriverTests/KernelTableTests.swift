import Testing
@testable import CUDADriver

@Suite struct KernelTableTests {
    @Test("every generic kernel has a Float and a Double symbol; Philox, the normals and G_loss's shift have one")
    func symbols() {
        let all = CUDAKernel.allSymbols
        #expect(Set(all).count == all.count)
        let single = CUDAKernel.allCases.filter { !$0.isPrecisionGeneric }
        #expect(Set(single) == [.philox, .normals, .lookaheadShift])
        #expect(all.count == 2 * (CUDAKernel.allCases.count - single.count) + single.count)
        #expect(CUDAKernel.normals.symbol(.float) == "ggd_normals")
        #expect(CUDAKernel.siluFirst.symbol(.double) == "ggd_silu_first_f64")
        #expect(CUDAKernel.philox.symbol(.double) == "ggd_philox4x32_10")
    }

    @Test("the source is compiled without fused multiply-add")
    func noContraction() {
        #expect(CUDAKernelSource.options.contains("--fmad=false"))
    }

    @Test("kernel arguments occupy their C type's bytes")
    func argumentBytes() {
        let slot = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
        defer { slot.deallocate() }
        slot.storeBytes(of: UInt64.max, as: UInt64.self)
        KernelArgument.int32(-2).store(at: slot)
        #expect(slot.load(as: Int32.self) == -2)
        KernelArgument.double(0.5).store(at: slot)
        #expect(slot.load(as: Double.self) == 0.5)
        KernelArgument.pointer(DevicePointer<Float>(address: 0x1000) + 3).store(at: slot)
        #expect(slot.load(as: UInt64.self) == 0x100C)
        KernelArgument.pointer(nil as DevicePointer<Float>?).store(at: slot)
        #expect(slot.load(as: UInt64.self) == 0)
    }
}
