/// The `argv` fuzz target (`KAFKA_EMIT_FUZZ_TARGET=argv`, `make fuzz`): the command line is
/// outside input like any other. The fuzz input is split on NUL bytes into arguments and
/// parsed as kafka-emit parses its own; a parsed command is turned into a plan too, unless it
/// names a config file (reading files is not the parser's job, and /dev/stdin would wait).
/// It may refuse its input; it must never crash, hang or take unbounded memory.
package enum ArgvFuzz {
    package static let name = "argv"

    package static func run(_ data: UnsafeRawBufferPointer) {
        let args = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard case .run(let command)? = try? CommandLineParser.parse(args) else { return }
        if command.connection.configFile == nil { _ = try? command.makePlan(environment: [:]) }
    }
}
