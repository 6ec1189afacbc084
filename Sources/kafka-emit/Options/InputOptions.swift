/// Which records: the topic, the input and how it is split, and how many.
struct InputOptions {
    var topic: String?
    var input: String?
    var count: UInt64?
    var delimiter: String?
    var keyDelimiter: String?
    var inputFormat: InputFormatArg?
    var files: [String] = []

    static let filesArgument = PositionalSpec(
        valueName: "file", help: "Files mode: each FILE is one record, its whole content the value (as kcat -P FILE...).", group: "Records")

    static let specs: [OptionSpec] = [
        .value(["-t", "--topic"], "name", "Topic to send to (required).") { c, v throws(FlagError) in c.input.topic = v },
        .value(["-i", "--input"], "file", "Lines mode: read records from FILE, - for stdin.", dash: true, completion: .file) { c, v throws(FlagError) in
            c.input.input = v
        },
        .value(["-n", "--count"], "n", "Number of records (lines mode: at most N lines).", dash: true) { c, v throws(FlagError) in
            c.input.count = try Numbers.positive("--count", v)
        },
        .value(["-D", "--delimiter"], "str",
               "Lines mode: record delimiter (\\n, \\t, \\0, \\xNN escapes). Default \\n; a trailing \\r is stripped.", dash: true) { c, v throws(FlagError) in
            c.input.delimiter = v
        },
        .value(["-K", "--key-delimiter"], "str", "Lines mode: split each line at the first STR into key and value ({key} and {line}).",
               dash: true) { c, v throws(FlagError) in
            c.input.keyDelimiter = v
        },
        .value(["--input-format"], "lines|json|format",
               "Lines mode: lines; json (kcat -J envelopes or --dry-run -o json records); or an rpk format with % tokens, e.g. '%k %v\\n'.",
               completion: .list(["lines", "json"])) { c, v throws(FlagError) in
            c.input.inputFormat = try InputFormatArg.parse(v)
        },
    ]

    func validate() throws(FlagError) {
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
