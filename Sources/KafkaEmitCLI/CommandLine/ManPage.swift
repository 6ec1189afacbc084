/// `kafka-emit --generate-manual`: the man page (mdoc) from the option table and the help
/// discussion; `make man` writes it to kafka-emit.1.
package enum ManPage {
    package static func render() -> String {
        var out = """
            .Dd \(EmitCommand.manualDate)
            .Dt KAFKA-EMIT 1
            .Os
            .Sh NAME
            .Nm kafka-emit
            .Nd \(text(EmitCommand.abstract))
            .Sh SYNOPSIS
            .Nm
            .Op Ar options
            .Op Ar file ...
            .Sh DESCRIPTION
            .Nm
            sends records to Apache Kafka from a timer, from stdin or from files, and writes one
            result line per record: delivered, with topic, partition, offset and correlation id;
            failed, with the reason; or unknown, when the broker may have stored it.
            The exit status says whether every record was delivered.

            """
        // The discussion's sections (MODES, OUTPUT, ...) as subsections, their bodies verbatim.
        var body: [String] = []
        func flush() {
            guard !body.isEmpty else { return }
            out += ".Bd -literal -offset indent\n" + body.map(literal).joined(separator: "\n") + "\n.Ed\n"
            body = []
        }
        for line in EmitCommand.discussion.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first != " " {
                flush()
                out += ".Ss \(text(String(line)))\n"
            } else if line.contains(where: { $0 != " " }) {
                body.append(String(line.dropFirst(2)))
            }
        }
        flush()
        out += ".Sh OPTIONS\n"
        let file = InputOptions.filesArgument
        for group in EmitCommand.groups {
            out += ".Ss \(text(group.manTitle ?? group.title))\n.Bl -tag -width 6n\n"
            for spec in group.options where !spec.hiddenInHelp {
                let names = (spec.display.map { $0.split(separator: "/").map(String.init) } ?? spec.names)
                out += ".It " + names.map { "Fl \($0.dropFirst())" }.joined(separator: " , ")
                if let v = spec.valueName { out += spec.valueIsOptional ? " Op Ar \(text(v))" : " Ar \(text(v))" }
                out += "\n\(text(spec.help))\n"
            }
            if group.title == file.group { out += ".It Ar \(file.valueName) ...\n\(text(file.help))\n" }
            out += ".El\n"
        }
        out += """
            .Sh ENVIRONMENT
            .Bl -tag -width 6n
            .It Ev KAFKA_BOOTSTRAP_SERVERS
            The brokers when neither
            .Fl b
            nor a bootstrap.servers property is given (else localhost:9092).
            .It Ev TERM
            dumb: progress lines instead of the live bar.
            .It Ev LD_LIBRARY_PATH
            A directory with another librdkafka.so.1 to run on (kafka-emit -V says which is loaded).
            .El
            .Sh EXIT STATUS
            .Bl -tag -width 6n
            .It 0
            Every record delivered.
            .It 1
            A record failed or its outcome is unknown (each has its line), or transactions stopped.
            .It 64
            Usage error: bad flag, value, template or combination; nothing sent.
            .It 65
            A malformed input record under --stop-on-error.
            .It 66
            An input or config file that cannot be opened or read.
            .It 69
            No broker answered within --connect-timeout, the topic cannot be created, or a broker answered in a protocol this librdkafka cannot read.
            .It 71
            The system refused a thread, a file descriptor or memory (ulimit -u, -n, -v).
            .It 74
            An I/O error on the input, stdout or an output file.
            .It 129 , 130 , 143
            SIGHUP, SIGINT, SIGTERM: in-flight records drained, summary printed; a second signal ends the run within a second.
            .It 141
            stdout closed before every record asked for was delivered.
            .El
            .Sh SEE ALSO
            .Xr kcat 1 ,
            .Xr kafka-console-producer 1 ,
            .Xr rpk 1 ,
            and librdkafka's CONFIGURATION.md for the -X properties.
            .Sh AUTHORS
            kafka-emit developers

            """
        return out
    }

    /// Running text: backslashes escaped, and a line that would start with a dot or a
    /// quote (a request to troff) protected.
    private static func text(_ s: String) -> String {
        let escaped = s.replacingAll("\\", with: "\\e")
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }

    /// A line inside `.Bd -literal`.
    private static func literal(_ s: String) -> String { text(s) }
}
