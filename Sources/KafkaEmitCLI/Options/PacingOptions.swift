@_spi(Engine) import KafkaEmit
import KafkaEmitEngine

/// How fast, and for how long; the schedule's shape (SPEC §2c).
package struct PacingOptions {
    var every: DurationArg?
    var rate: Double?
    var duration: DurationArg?
    var rateProfile: (text: String, stages: [RateStage])?
    var arrivals: ArrivalsChoice?
    var latencyFrom: LatencyFrom?
    /// Epoch milliseconds.
    var startAt: (text: String, millis: Int64)?
    var replaySpeed: Double?
    var maxGap: DurationArg?
    var rebaseTimestamps = false

    static let specs: [OptionSpec] = [
        .value(["--every"], "duration", "Send one record every DURATION (100ms, 1.5s, ...), on absolute deadlines.") { c, v throws(FlagError) in
            c.pacing.every = try DurationArg.parse("--every", v)
        },
        .value(["--rate"], "r", "Send R records per second.", dash: true) { c, v throws(FlagError) in c.pacing.rate = try Numbers.rate(v) },
        .value(["--duration"], "duration", "Stop after DURATION.") { c, v throws(FlagError) in
            c.pacing.duration = try DurationArg.parse("--duration", v)
        },
        .value(["--rate-profile"], "spec",
               "A rate that changes over the run, stages separated by commas: 'ramp 0..2000 30s', 'hold 2000 60s', 'step 500 1000 20s', 'sine 1000±500 period 10s for 60s', 'burst 5000 for 2s every 30s over 400'; the run ends with the last stage.") { c, v throws(FlagError) in
            c.pacing.rateProfile = (v, try FlagError.from { () throws(EmitError) in try RateProfileParser.parse(v) })
        },
        .value(["--arrivals"], "uniform|poisson",
               "With --rate, --every or --rate-profile: evenly spaced sends (default), or exponential gaps with the same mean (an open-model load; --seed repeats it).",
               completion: .list(ArrivalsChoice.allCases.map(\.rawValue))) { c, v throws(FlagError) in
            guard let a = ArrivalsChoice(rawValue: v) else { throw FlagError("--arrivals: '\(v)' is not uniform or poisson") }
            c.pacing.arrivals = a
        },
        .value(["--latency-from"], "send|intended",
               "Latency from the hand-over to librdkafka (default), or from each record's place on the schedule: a stall then shows in every record it delayed, and late records catch up instead of shifting the schedule.",
               completion: .list(LatencyFrom.allCases.map(\.rawValue))) { c, v throws(FlagError) in
            guard let l = LatencyFrom(rawValue: v) else { throw FlagError("--latency-from: '\(v)' is not send or intended") }
            c.pacing.latencyFrom = l
        },
        .value(["--start-at"], "time",
               "Start the schedule at wall-clock TIME (RFC 3339 or epoch ms): shards started apart share one schedule; records already due go out at once.") { c, v throws(FlagError) in
            c.pacing.startAt = (v, try FlagError.from { () throws(EmitError) in try TimestampParser.parse(v, flag: "--start-at") })
        },
        .optionalNumber(["--replay"], "speed",
                        "Lines mode with timestamps (--input-format json's ts/timestamp, a format's %d): send each record when its timestamp comes, SPEED times as fast (default 1); records out of order or without one go at once, counted.") { c, v throws(FlagError) in
            if v.isEmpty { c.pacing.replaySpeed = 1; return }
            guard let s = Double(v), s.isFinite, s > 0, s <= 1_000_000 else {
                throw FlagError("--replay: '\(v)' is not a speed; use a positive number (2 = twice as fast, 0.5 = half), e.g. --replay 10")
            }
            c.pacing.replaySpeed = s
        },
        .value(["--max-gap"], "duration", "With --replay: a longer pause between records (in recorded time) is cut to DURATION.") { c, v throws(FlagError) in
            c.pacing.maxGap = try DurationArg.parse("--max-gap", v)
        },
        .flag(["--rebase-timestamps"], "With --replay: each record's timestamp becomes its send time (by default the recorded one is kept).") { c in
            c.pacing.rebaseTimestamps = true
        },
    ]

    func validate() throws(FlagError) {
        if replaySpeed != nil, let other = every != nil ? "--every" : rate != nil ? "--rate" : rateProfile != nil ? "--rate-profile" : nil {
            throw FlagError("--replay paces by the records' own timestamps; leave out \(other)")
        }
        if replaySpeed == nil && maxGap != nil { throw FlagError("--max-gap cuts the pauses of a replay; add --replay") }
        if replaySpeed == nil && rebaseTimestamps { throw FlagError("--rebase-timestamps is for a replay; add --replay (without it, leave the timestamp out of the input or use --timestamp)") }
        if every != nil && rate != nil { throw FlagError("--every and --rate both set the pace; use one of them") }
        if rateProfile != nil && (every != nil || rate != nil) {
            throw FlagError("--rate-profile sets the pace over the run; leave out \(every != nil ? "--every" : "--rate") (or use 'hold R' as a stage)")
        }
        let scheduled = every != nil || rate != nil || rateProfile != nil || replaySpeed != nil
        if arrivals == .poisson && !scheduled {
            throw FlagError("--arrivals poisson spreads a rate: add --rate R, --every D or --rate-profile")
        }
        if latencyFrom == .intended && !scheduled {
            throw FlagError("--latency-from intended measures from the schedule: add --rate R, --every D or --rate-profile")
        }
    }
}

enum ArrivalsChoice: String, CaseIterable { case uniform, poisson }
enum LatencyFrom: String, CaseIterable { case send, intended }
