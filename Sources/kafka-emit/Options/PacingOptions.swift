import ArgumentParser

/// How fast, and for how long.
struct PacingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Send one record every DURATION (100ms, 1.5s, ...), on absolute deadlines.", valueName: "duration"),
            transform: DurationArg.parser("--every"))
    var every: DurationArg?

    @Option(parsing: .unconditional, help: ArgumentHelp("Send R records per second.", valueName: "r"), transform: Numbers.rate)
    var rate: Double?

    @Option(help: ArgumentHelp("Stop after DURATION.", valueName: "duration"), transform: DurationArg.parser("--duration"))
    var duration: DurationArg?

    func validate() throws {
        if every != nil && rate != nil { throw FlagError("--every and --rate both set the pace; use one of them") }
    }
}
