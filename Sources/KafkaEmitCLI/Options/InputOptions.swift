/// Which records: the topic, the input and how it is split, and how many.
package struct InputOptions {
    var topic: String?
    var input: String?
    var count: UInt64?
    var delimiter: [UInt8]?
    var keyDelimiter: [UInt8]?
    package var inputFormat: InputFormatArg?
    package var files: [String] = []
    /// kcat's `-P`: producer mode, the only mode here; with no input named it reads stdin.
    var producerMode = false

    /// The input: `--input`, or stdin when none is named but something says lines are coming
    /// (SPEC §1: `-P`, `-K`, `-D`, `-f`/`--input-format`, as kcat and rpk users type them).
    package var effectiveInput: String? {
        if let input { return input }
        guard files.isEmpty, producerMode || keyDelimiter != nil || delimiter != nil || inputFormat != nil else { return nil }
        return "-"
    }

    static let filesArgument = PositionalSpec(
        valueName: "file", help: "Files mode: each FILE is one record, its whole content the value (as kcat -P FILE...).", group: "Records")

    static let specs: [OptionSpec] = [
        .value(["-t", "--topic"], "name", "Topic to send to (required).") { c, v throws(FlagError) in c.input.topic = v },
        .value(["-i", "-l", "--input"], "file", "Lines mode: read records from FILE, - for stdin (-l as kcat).", dash: true, completion: .file,
               repeats: .onceSaying({ first, again in
                   "two inputs (\(first.spelling) '\(first.value)' and \(again.spelling) '\(again.value)'); give one --input, or send whole files as FILE arguments, or cat them into -i -"
               })) { c, v throws(FlagError) in
            c.input.input = v
        },
        .value(["-n", "-c", "--count"], "n", "Number of records (lines mode: at most N lines; -c as kcat).", dash: true) { c, v throws(FlagError) in
            c.input.count = try Numbers.positive("--count", v)
        },
        .value(["-D", "--delimiter"], "str",
               "Lines mode: record delimiter (\\n, \\t, \\0, \\xNN escapes). Default \\n; a trailing \\r is stripped.", dash: true) { c, v throws(FlagError) in
            c.input.delimiter = try DelimiterArg.parse("--delimiter", v)
        },
        .value(["-K", "--key-delimiter"], "str", "Lines mode: split each line at the first STR into key and value ({key} and {line}).",
               dash: true) { c, v throws(FlagError) in
            c.input.keyDelimiter = try DelimiterArg.parse("--key-delimiter", v)
        },
        .value(["-f", "--format", "--input-format"], "lines|json|format",
               "Lines mode: lines; json (kcat -J envelopes or --dry-run -o json records); or rpk's produce format with % tokens, e.g. '%k %v\\n' (-f/--format as rpk). Reads stdin when no --input is named.",
               completion: .list(["lines", "json"]), canonical: "--input-format") { c, v throws(FlagError) in
            c.input.inputFormat = try InputFormatArg.parse(v)
        },
        .flag(["-P"], "kcat's producer mode (the only mode here): with no --input or FILE, read stdin.") { $0.input.producerMode = true },
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
    }
}
