@_spi(Engine) import KafkaEmit
import KafkaEmitEngine

/// Every exit code of SPEC §5, in one table: what ended the run → the process's status.
package enum ExitStatus {
    package static let ok: Int32 = 0
    package static let someFailed: Int32 = 1
    package static let usage: Int32 = 64
    package static let dataError: Int32 = 65
    package static let cannotOpen: Int32 = 66
    package static let unavailable: Int32 = 69
    package static let internalError: Int32 = 70
    /// The operating system refused a thread, a file descriptor or memory.
    package static let resourceExhausted: Int32 = 71
    package static let ioError: Int32 = 74
    /// The schema registry refused the credentials.
    package static let noPermission: Int32 = 77
    package static let hangup: Int32 = 129
    package static let interrupted: Int32 = 130
    /// What a shell reports for a process ended by SIGPIPE: stdout closed before every record
    /// the run was asked for was delivered.
    package static let outputClosed: Int32 = 141
    package static let terminated: Int32 = 143

    package static func code(for error: EmitError) -> Int32 {
        switch error {
        case .usage: usage
        case .dataError: dataError
        case .cannotOpen: cannotOpen
        case .io: ioError
        case .internalError: internalError
        case .resource: resourceExhausted
        case .unavailable: unavailable
        case .noPermission: noPermission
        }
    }

    package static func code(for result: RunResult) -> Int32 {
        switch result.ending {
        case .finished: result.failed > 0 || result.unknown > 0 ? someFailed : ok
        case .interrupted: interrupted
        case .terminated: terminated
        case .hangup: hangup
        case .resourceExhausted: resourceExhausted
        case .abandoned(_, let signal): code(forSignal: signal)
        case .unreachable: unavailable
        case .inputError(let e): code(for: e)
        case .outputClosed:
            // Quiet, like `yes | head`: success only if everything asked for got through.
            result.failed == 0 && result.unknown == 0 && result.requested == UInt64(result.dryRun ? result.attempted : result.delivered) ? ok : outputClosed
        case .outputError: ioError
        case .fatalError: someFailed
        }
    }

    /// A run's code, with an output file (`--histogram-log`, `--stats-file`, `--summary-file`)
    /// that could not be written: 74 where the run would otherwise have ended 0 or 1.
    package static func code(for result: RunResult, outputFileFailed: Bool) -> Int32 {
        let c = code(for: result)
        return outputFileFailed && (c == ok || c == someFailed) ? ioError : c
    }

    /// The code for the stop reason a signal recorded.
    package static func code(forSignal reason: StopReason) -> Int32 {
        switch reason {
        case .terminated: terminated
        case .hangup: hangup
        default: interrupted
        }
    }
}
