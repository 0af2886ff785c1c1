import Testing
@testable import FaultInjection

/// The mutation-testing switch is inert unless deliberately thrown. (No test here turns a fault on:
/// tests run in parallel in one process, and an active fault would break the others; `ggd mutants`
/// runs in its own process and is tested from the command line in ggdTests.)
@Suite struct FaultHookTests {
    @Test func noFaultIsActiveByDefault() {
        #expect(FaultHook.active == nil)
        for fault in Fault.allCases { #expect(!FaultHook.isActive(fault), "\(fault.rawValue) active in a normal run") }
    }

    @Test func injectingWithoutTheAcknowledgementIsRefused() {
        var ran = false
        #expect(throws: FaultHookError.notAcknowledged) {
            try FaultHook.inject(.gLossSignFlipped, acknowledging: "yes") { ran = true }
        }
        #expect(!ran)
        #expect(FaultHook.active == nil)
    }

    @Test func theCatalogOfFaultsIsLargeAndDescribed() {
        #expect(Fault.allCases.count >= 20)
        #expect(Set(Fault.allCases.map(\.rawValue)).count == Fault.allCases.count)
        for f in Fault.allCases {
            #expect(!f.summary.isEmpty && !f.site.isEmpty)
            #expect(f.rawValue.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" })
        }
    }
}

/// The graded faults: inert (size 0) in every normal run, and refused without the acknowledgement or
/// with a size that is not finite. (Switched on only in `ggd sensitivity`'s own process.)
@Suite struct GradedFaultHookTests {
    @Test func everyGradedFaultHasSizeZeroByDefault() {
        #expect(FaultHook.activeGraded == nil)
        for f in GradedFault.allCases { #expect(FaultHook.size(f) == 0, "\(f.rawValue) is on in a normal run") }
    }

    @Test func injectingAGradedFaultNeedsTheAcknowledgementAndAFiniteSize() {
        var ran = false
        #expect(throws: FaultHookError.notAcknowledged) {
            try FaultHook.inject(GradedFault.noiseScale, size: 0.1, acknowledging: "sure") { ran = true }
        }
        #expect(throws: FaultHookError.badSize(.betaScale, .infinity)) {
            try FaultHook.inject(GradedFault.betaScale, size: .infinity, acknowledging: FaultHook.acknowledgement) { ran = true }
        }
        #expect(!ran && FaultHook.activeGraded == nil)
    }

    @Test func theGradedFaultsAreDescribedWithAscendingScans() {
        for f in GradedFault.allCases {
            #expect(!f.summary.isEmpty && !f.site.isEmpty)
            #expect(f.defaultSizes == f.defaultSizes.sorted() && f.defaultSizes.allSatisfy { $0 > 0 })
        }
    }
}
