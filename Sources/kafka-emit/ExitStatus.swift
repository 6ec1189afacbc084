import KafkaEmit

/// Every exit code of SPEC §5, in one table: what ended the run → the process's status.
enum ExitStatus {
    static let ok: Int32 = 0
    static let someFailed: Int32 = 1
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let cannotOpen: Int32 = 66
    static let unavailable: Int32 = 69
    static let internalError: Int32 = 70
    static let ioError: Int32 = 74
    static let interrupted: Int32 = 130
    /// What a shell reports for a process ended by SIGPIPE: stdout closed before every record
    /// the run was asked for was delivered.
    static let outputClosed: Int32 = 141
    static let terminated: Int32 = 143

    static func code(for error: EmitError) -> Int32 {
        switch error {
        case .usage: usage
        case .dataError: dataError
        case .cannotOpen: cannotOpen
        case .io: ioError
        case .internalError: internalError
        }
    }

    static func code(for result: RunResult) -> Int32 {
        switch result.ending {
        case .finished: result.failed > 0 ? someFailed : ok
        case .interrupted: interrupted
        case .terminated: terminated
        case .abandoned(_, let terminatedBySIGTERM): terminatedBySIGTERM ? terminated : interrupted
        case .unreachable: unavailable
        case .inputError(let e): code(for: e)
        case .outputClosed:
            // Quiet, like `yes | head`: success only if everything asked for got through.
            result.failed == 0 && result.requested == UInt64(result.dryRun ? result.attempted : result.delivered) ? ok : outputClosed
        case .outputError: ioError
        case .fatalError: someFailed
        }
    }
}
