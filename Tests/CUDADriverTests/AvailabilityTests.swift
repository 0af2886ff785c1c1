import Testing
@testable import CUDADriver

@Suite struct AvailabilityTests {
    @Test("probe() never traps; without a usable device it says why in one line")
    func probeReportsAReason() {
        let availability = CUDARuntime.probe()
        switch availability {
        case let .available(name, capability, double):
            #expect(!name.isEmpty)
            #expect(capability.major >= 1)
            #expect(double == capability.supportsDouble)
        case let .unavailable(reason):
            #expect(!reason.isEmpty)
            #expect(!reason.contains("\n"))
            // It names what is missing: the driver library, its initialisation, or a device.
            #expect(reason.contains("libcuda") || reason.contains("cu") || reason.contains("device"), "\(reason)")
        }
        #expect(availability.description.hasPrefix("CUDA"))
    }

    @Test("probe() is stable across calls and out-of-range ordinals are refused, not trapped")
    func probeIsRepeatable() {
        #expect(CUDARuntime.probe() == CUDARuntime.probe())
        #expect(!CUDARuntime.probe(device: 1_000).isAvailable)
        #expect(!CUDARuntime.probe(device: -1).isAvailable)
    }

    @Test("CUDADevice refuses to open where probe() says unavailable, with the same kind of reason",
          .enabled(if: !CUDARuntime.probe().isAvailable, "a CUDA device is available here"))
    func deviceThrowsWithoutDriver() {
        #expect(throws: CUDAError.self) { _ = try CUDADevice() }
    }

    @Test("compute capability orders by (major, minor) and gates double precision")
    func computeCapability() {
        #expect(ComputeCapability(major: 9, minor: 0) > ComputeCapability(major: 8, minor: 9))
        #expect(ComputeCapability(major: 9, minor: 0).number == 90)
        #expect(!ComputeCapability(major: 1, minor: 2).supportsDouble)
        #expect(ComputeCapability(major: 1, minor: 3).supportsDouble)
    }
}
