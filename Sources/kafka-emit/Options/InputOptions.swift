import ArgumentParser

/// Which records: the topic, the input and how it is split, and how many.
struct InputOptions: ParsableArguments {
    @Option(name: [.customShort("t"), .long], help: ArgumentHelp("Topic to send to (required).", valueName: "name"))
    var topic: String?

    @Option(name: [.customShort("i"), .long], help: ArgumentHelp("Lines mode: read records from FILE, - for stdin.", valueName: "file"),
            completion: .file())
    var input: String?

    @Option(name: [.customShort("n"), .long], parsing: .unconditional,
            help: ArgumentHelp("Number of records (lines mode: at most N lines).", valueName: "n"),
            transform: Numbers.positive("--count"))
    var count: UInt64?

    @Option(name: [.customShort("D"), .long],
            help: ArgumentHelp("Lines mode: record delimiter (\\n, \\t, \\0, \\xNN escapes). Default \\n; a trailing \\r is stripped.", valueName: "str"))
    var delimiter: String?

    @Option(name: [.customShort("K"), .long],
            help: ArgumentHelp("Lines mode: split each line at the first STR into key and value ({key} and {line}).", valueName: "str"))
    var keyDelimiter: String?

    @Option(help: ArgumentHelp("Lines mode: lines; json (kcat -J envelopes or --dry-run -o json records); or an rpk format with % tokens, e.g. '%k %v\\n'.",
                               valueName: "lines|json|format"),
            completion: .list(["lines", "json"]), transform: InputFormatArg.parse)
    var inputFormat: InputFormatArg?

    @Argument(help: ArgumentHelp("Files mode: each FILE is one record, its whole content the value (as kcat -P FILE...).", valueName: "file"),
              completion: .file())
    var files: [String] = []

    func validate() throws {
        if let input, !files.isEmpty {
            throw FlagError("--input '\(input)' and FILE arguments both name the input; use one (-i reads lines, FILE... sends whole files)")
        }
        if input == nil && !files.isEmpty {
            if keyDelimiter != nil || delimiter != nil || inputFormat != nil {
                throw FlagError("\(keyDelimiter != nil ? "--key-delimiter" : delimiter != nil ? "--delimiter" : "--input-format") splits lines; FILE arguments are sent whole (use -i FILE for lines)")
            }
            return
        }
        guard input == nil else { return }
        if keyDelimiter != nil { throw FlagError("--key-delimiter (-K) splits input lines; add --input FILE (or - for stdin)") }
        if delimiter != nil { throw FlagError("--delimiter (-D) splits input; add --input FILE (or - for stdin)") }
        if inputFormat != nil { throw FlagError("--input-format reads --input; add --input FILE (or - for stdin)") }
    }
}
