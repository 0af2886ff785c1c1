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
