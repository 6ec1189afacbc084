import ArgumentParser

/// What is printed: result lines, progress, summary, diagnostics.
struct OutputOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Result lines on stdout: text, json or none.", valueName: "format"),
            completion: .list(OutputChoice.allValueStrings), transform: OutputChoice.parse)
    var output: OutputChoice = .text

    @Option(help: ArgumentHelp("Custom result line, e.g. '%p:%o %c\\n'.", valueName: "fmt"))
    var format: String?

    @Option(help: ArgumentHelp("A progress line on stderr every DURATION (a live bar when stderr is a terminal and --count is known).", valueName: "duration"),
            transform: DurationArg.parser("--stats-interval"))
    var statsInterval: DurationArg?

    @Flag(name: [.customShort("q"), .long], help: "No summary on stderr.")
    var quiet = false

    @Flag(name: [.customShort("v"), .long], help: "Show the effective librdkafka configuration (secrets redacted) and broker events on stderr.")
    var verbose = false

    @Flag(help: "Print the records that would be sent; contact no broker.")
    var dryRun = false

    @Flag(name: [.customShort("V"), .customLong("version")], help: "Show kafka-emit's and librdkafka's versions and exit.")
    var showVersion = false

    func validate() throws {
        if let format, format.isEmpty { throw FlagError("--format: the format must not be empty; e.g. --format '%p:%o %c\\n'") }
    }
}
