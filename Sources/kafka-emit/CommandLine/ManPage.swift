/// `kafka-emit --generate-manual`: the man page (mdoc) from the option table and the help
/// discussion; `make man` writes it to kafka-emit.1.
enum ManPage {
    static func render() -> String {
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
            out += ".Ss \(text(group.title))\n.Bl -tag -width 6n\n"
            for spec in group.options where !spec.hiddenInHelp {
                let names = (spec.display.map { $0.split(separator: "/").map(String.init) } ?? spec.names)
                out += ".It " + names.map { "Fl \($0.dropFirst())" }.joined(separator: " , ")
                if let v = spec.valueName { out += " Ar \(text(v))" }
                out += "\n\(text(spec.help))\n"
            }
            if group.title == file.group { out += ".It Ar \(file.valueName) ...\n\(text(file.help))\n" }
            out += ".El\n"
        }
        out += """
            .Ss Other
            .Bl -tag -width 6n
            .It Fl -generate-completion-script Ar shell
            Print a completion script for bash, zsh or fish.
            .It Fl h , Fl -help
            Show help information.
            .El
            .Sh SEE ALSO
            .Xr kcat 1
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
