/// What goes wrong before or instead of sending: thrown upward, and turned into a message
/// and an exit code (SPEC.md §5) in one table at the top of the executable. The command's
/// own: the library's face throws `KafkaSenderError`.
package enum EmitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Bad flag, value, template or combination. Nothing was sent.
    case usage(String)
    /// A malformed input record under `--stop-on-error`.
    case dataError(String)
    /// An input or config file that cannot be opened.
    case cannotOpen(String)
    /// Reading the input or writing the output failed.
    case io(String)
    /// A librdkafka call failed in a way no flag explains.
    case internalError(String)
    /// The operating system refused a resource: a thread, a file descriptor, memory.
    case resource(String)
    /// A service the run needs (the schema registry) cannot be reached or answers 5xx.
    case unavailable(String)
    /// A service refused the credentials (the schema registry's 401/403).
    case noPermission(String)

    package var message: String {
        switch self {
        case .usage(let m), .dataError(let m), .cannotOpen(let m), .io(let m), .internalError(let m), .resource(let m),
             .unavailable(let m), .noPermission(let m): m
        }
    }

    package var description: String { message }
}
