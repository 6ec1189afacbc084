/// How fast, and for how long.
package struct PacingOptions {
    var every: DurationArg?
    var rate: Double?
    var duration: DurationArg?

    static let specs: [OptionSpec] = [
        .value(["--every"], "duration", "Send one record every DURATION (100ms, 1.5s, ...), on absolute deadlines.") { c, v throws(FlagError) in
            c.pacing.every = try DurationArg.parse("--every", v)
        },
        .value(["--rate"], "r", "Send R records per second.", dash: true) { c, v throws(FlagError) in c.pacing.rate = try Numbers.rate(v) },
        .value(["--duration"], "duration", "Stop after DURATION.") { c, v throws(FlagError) in
            c.pacing.duration = try DurationArg.parse("--duration", v)
        },
    ]

    func validate() throws(FlagError) {
        if every != nil && rate != nil { throw FlagError("--every and --rate both set the pace; use one of them") }
    }
}
