import FaultInjection
import Testing
@testable import CUDADriver

/// The CUDA source carries the same deliberate faults as the host formulas: one `#ifdef` per fault whose
/// site is a formula the kernels share, and no define at all in a normal run.
@Suite struct KernelSourceFaultTests {
    @Test("β, G_loss's sign and Jacobian and the shift's h each have their fault branch in the source")
    func faultBranchesExist() {
        for fault in [Fault.codeBetaMissingAlphaSquared, .theoryBetaMissingInverseAlpha, .gLossSignFlipped, .gLossWithoutJacobian, .guidanceShiftMissingH,
                      .naiveInPlaceOfLookahead] {
            #expect(CUDAKernelSource.text.contains(CUDAKernelSource.macro(fault) + "\n") || CUDAKernelSource.text.contains(CUDAKernelSource.macro(fault) + ")"),
                    "\(fault.rawValue) has no branch in the CUDA source")
        }
    }

    @Test("the source's fault branches are exactly the faults it is built with")
    func branchesMatchTheList() {
        let text = CUDAKernelSource.text
        let named = Set(Fault.allCases.filter { text.contains(CUDAKernelSource.macro($0)) })
        #expect(named == CUDAKernelSource.faultsWithBranches)
    }

    @Test("a normal run compiles the source with no fault defined")
    func noDefineInNormalRuns() {
        #expect(CUDAKernelSource.faultDefines.isEmpty)
        #expect(!CUDAKernelSource.text.contains("#define GGD_FAULT_"))
        #expect(CUDAKernelSource.macro(.gLossSignFlipped) == "GGD_FAULT_GLOSS_SIGN_FLIPPED")
    }
}
