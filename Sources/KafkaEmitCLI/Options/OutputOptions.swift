/// What is printed: result lines, progress, summary, diagnostics.
package struct OutputOptions {
    var output: OutputChoice = .text
    var format: String?
    var statsInterval: DurationArg?
    var quiet = false
    var verbose = false
    var dryRun = false
    package var showVersion = false

    static let specs: [OptionSpec] = [
        .value(["-o", "--output"], "format", "Result lines on stdout: text, json or none.",
               completion: .list(OutputChoice.allCases.map(\.rawValue))) { c, v throws(FlagError) in
            c.output.output = try OutputChoice.parse(v)
        },
        .value(["--output-format"], "fmt",
               "Custom result line (rpk's name): %t topic, %p partition, %o offset, %c correlation, %k key, %v value, %h headers, %T timestamp ms, %l latency ms, %e error, %s status; e.g. '%p:%o %c\\n'.",
               dash: true) { c, v throws(FlagError) in c.output.format = v },
        .value(["--stats-interval"], "duration",
               "A progress line on stderr every DURATION (a live bar when stderr is a terminal and --count is known).") { c, v throws(FlagError) in
            c.output.statsInterval = try DurationArg.parse("--stats-interval", v)
        },
        .flag(["-q", "--quiet"], "No summary on stderr.") { $0.output.quiet = true },
        .flag(["-v", "--verbose"], "Show the effective librdkafka configuration (secrets redacted) and broker events on stderr.") {
            $0.output.verbose = true
        },
        .flag(["--dry-run"], "Print the records that would be sent; contact no broker.") { $0.output.dryRun = true },
        .flag(["-V", "--version"], "Show kafka-emit's and librdkafka's versions and exit.") { $0.output.showVersion = true },
    ]

    func validate() throws(FlagError) {
        if let format, format.isEmpty { throw FlagError("--output-format: the format must not be empty; e.g. --output-format '%p:%o %c\\n'") }
    }
}
