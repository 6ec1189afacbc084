/// Every way a run can end badly, one case per exit code in SPEC.md §5.
/// Thrown upward and turned into a message and exit code in one place (the executable's top).
public enum EmitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Bad flag, value, template or combination. Nothing was sent. Exit 64.
    case usage(String)
    /// A malformed input record under `--stop-on-error`. Exit 65.
    case dataError(String)
    /// An input or config file that cannot be opened. Exit 66.
    case cannotOpen(String)
    /// No broker reachable, or the topic does not exist and cannot be created. Exit 69.
    case unavailable(String)
    /// Reading the input or writing the output failed. Exit 74.
    case io(String)
    /// A librdkafka call failed in a way no flag explains. Exit 70.
    case internalError(String)

    public var exitCode: Int32 {
        switch self {
        case .usage: 64
        case .dataError: 65
        case .cannotOpen: 66
        case .unavailable: 69
        case .io: 74
        case .internalError: 70
        }
    }

    public var message: String {
        switch self {
        case .usage(let m), .dataError(let m), .cannotOpen(let m), .unavailable(let m), .io(let m), .internalError(let m): m
        }
    }

    public var description: String { message }
}

/// Exit codes of SPEC.md §5 that are not errors thrown before or instead of a run.
public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let someFailed: Int32 = 1
    public static let interrupted: Int32 = 130
    public static let terminated: Int32 = 143
}
