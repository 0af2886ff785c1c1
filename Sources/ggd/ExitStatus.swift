import ArgumentParser
import Audit
import Compute
import Foundation
import Backends
import CUDADriver
import Crosscheck
import Diffusion
import Experiments
import Guidance
import LinearAlgebra
import NumPyIO
import PropertyEngine
import ScoreNetwork
import Statistics
import TheoryReport

/// `ggd`'s exit statuses: one convention for every command, from sysexits(3), documented in `ggd --help`.
/// A script tells a failed claim (1) from a mistake in how it called `ggd` (64), a bad input file
/// (65, 66), a backend that cannot run here (69), a numerical failure during the run (70) and an
/// output that could not be written (73, 74).
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    /// A claim failed, a regression was found, a cross-check or a mutation run missed its target.
    case claimFailed = 1
    /// EX_USAGE: a bad option or argument (the usage text is shown), or a size beyond the memory policy.
    case usage = 64
    /// EX_DATAERR: an input file (setting, checkpoint, results, baseline, token) is malformed or inconsistent.
    case dataError = 65
    /// EX_NOINPUT: an input file is missing or unreadable.
    case noInput = 66
    /// EX_UNAVAILABLE: the requested backend (a GPU) cannot run on this machine.
    case unavailable = 69
    /// EX_SOFTWARE: a numerical failure during the run (a NaN or infinity, a divergence, a failed factorisation).
    case numericalFailure = 70
    /// EX_CANTCREAT: the output may not or cannot be created (it would replace a folder that is not ggd's).
    case cannotCreate = 73

    /// The table printed by `ggd --help`.
    static let helpText = """
        Exit status:
          0   success
          1   a claim failed, a regression was found, or a cross-check or
              mutation run missed its target
          64  usage: a bad option or argument, or a run larger than the
              memory limit (--max-memory); the usage text is shown only
              when the command line itself is wrong
          65  a bad input file: a malformed or inconsistent setting,
              checkpoint, results file, replay token, audit case or
              samples; or an audited step command that fails, hangs or
              writes garbage
          66  an input file is missing or unreadable
          69  the requested backend cannot run here (no usable GPU)
          70  a numerical failure during the run (NaN or infinity,
              divergence); nothing was written
          73  the output may not or cannot be written (an existing folder
              that is not ggd's; see --force)
        """
}

/// An error a command raises about its run, with the exit status it means.
struct CommandError: Error, CustomStringConvertible {
    let status: ExitStatus
    let description: String

    init(_ status: ExitStatus, _ description: String) {
        self.status = status
        self.description = description
    }
}

/// Maps every error a command can throw to its exit status and one line of text. Errors of the command
/// line itself (ArgumentParser's, `ValidationError` from `validate()`, `ExitCode`) return nil and are
/// left to ArgumentParser, which prints the usage text for them.
enum ErrorClassification {
    static func classify(_ error: Error) -> (ExitStatus, String)? {
        switch error {
        case let e as CommandError: return (e.status, e.description)
        case let e as InputFileError: return (.noInput, e.description)
        case let e as SettingError: return (.dataError, e.description)
        case let e as ResourceLimitError: return (.usage, e.description)
        case let e as OutputError: return (.cannotCreate, e.description)
        case let e as NumPyIOError: return (e.kind == .io ? .noInput : .dataError, e.description)
        case let e as TrainingError:
            switch e {
            case .nonFinite, .diverged: return (.numericalFailure, e.description)
            case .mismatch: return (.dataError, e.description)
            }
        case let e as DiffusionError:
            if case .nonFinite = e { return (.numericalFailure, e.description) }
            return (.dataError, e.description)
        case let e as NetworkError:
            if case .nonFinite = e { return (.numericalFailure, e.description) }
            return (.dataError, e.description)
        case let e as ComputeError:
            if case .nonFinite = e { return (.numericalFailure, e.description) }
            return (.dataError, e.description)
        case let e as BackendError:
            if case .unavailable = e { return (.unavailable, e.description) }
            return (.dataError, e.description)
        case let e as CUDAError: return (.unavailable, e.description)
        case let e as CrosscheckError: return (.dataError, e.description)
        case let e as AuditError: return (.dataError, e.description)
        case let e as ReportError: return (.dataError, e.description)
        case let e as PropertyError: return (.dataError, e.description)
        case let e as GuidanceError: return (.dataError, e.description)
        case let e as LinearAlgebraError: return (.numericalFailure, e.description)
        case let e as StatisticsError: return (.numericalFailure, e.description)
        case is ExitCode, is ValidationError, is CleanExit: return nil
        default:
            // ArgumentParser's own parse errors are internal types: leave every other error to it only
            // when it came from parsing; anything else from a run is reported plainly.
            let type = String(reflecting: Swift.type(of: error))
            if type.hasPrefix("ArgumentParser.") { return nil }
            return (.numericalFailure, "\(error)")
        }
    }

    /// Prints `ggd: error: …` on stderr and exits with the error's status; ArgumentParser handles the rest.
    static func exit(with error: Error, command: String?) -> Never {
        if let (status, message) = classify(error) {
            let prefix = command.map { "ggd \($0): error: " } ?? "ggd: error: "
            FileHandle.standardError.write(Data((prefix + message + "\n").utf8))
            Foundation.exit(status.rawValue)
        }
        GGD.exit(withError: error)
    }
}
