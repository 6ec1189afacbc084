@_spi(Engine) import KafkaEmit

extension EmitPlan {
    /// Whether each record names its topic (a `topic` field in JSON envelopes, `%t`), so `-t`
    /// may be left out.
    var recordsNameTopics: Bool {
        switch inputFormat {
        case .json: true
        case .format(let f): (try? InputLayout(f))?.readsTopic == true
        default: false
        }
    }

    /// Checks the combinations no single flag can check. Throws a usage error naming the flag.
    /// A single option's range or syntax (`--rate`, `--max-in-flight`, `--mock-brokers`,
    /// `--mock-partitions`, `--input-format`, a `-H` name) is checked once, by its row in the
    /// command's option table, where the value is typed: not again here. Runs once, when the
    /// plan is made (`EmitCommand.makePlan`), not again when it runs.
    package func validate() throws(EmitError) {
        if let topic {
            if let why = topicNameProblem(topic) { throw .usage("--topic: \(why)") }
        } else if !recordsNameTopics {
            throw .usage("missing --topic (-t NAME): the topic to send to")
        }
        if case .generate = source, count == nil, durationNanos == nil, pacing == .unpaced, !dryRun {
            throw .usage("generate mode needs a bound: add --count N or --duration D, or pace it with --every/--rate (runs until Ctrl-C)")
        }
        if case .generate = source, dryRun, count == nil, durationNanos == nil {
            throw .usage("--dry-run in generate mode needs --count N (or --duration D)")
        }
        for (flag, t) in namedTemplates {
            if t.usesLine && !readsInput {
                throw .usage("\(flag): {line} needs an input; add --input FILE (or - for stdin), or FILE arguments ({line:FILE} picks a random line of FILE)")
            }
            if t.usesKey && keyDelimiter == nil && inputFormat == .lines {
                throw .usage("\(flag): {key} needs --key-delimiter (-K) with --input, or --input-format json")
            }
            if t.usesFile, case .files = source {} else if t.usesFile {
                throw .usage("\(flag): {file} names the file of files mode; give FILE arguments")
            }
        }
        if let timestamp, timestamp.isConstant { _ = try TimestampParser.parse(timestamp.source, flag: "--timestamp") }
        if let p = partition, p < 0 { throw .usage("--partition: \(p) is negative; use a partition number ≥ 0") }
        if keyDelimiter != nil, let f = inputFormat, f != .lines {
            throw .usage("--key-delimiter (-K) splits plain lines; with --input-format json or a format the key comes from the input")
        }
        if let c = correlationHeader, c.isEmpty { throw .usage("--correlation-header: the header name must not be empty") }
        if case .custom(let f) = output { try CustomResultFormat.validate(f) }
        if case .replay = pacing {
            let timed: Bool
            switch (source, inputFormat) {
            case (.lines, .json?): timed = true
            case (.lines, .format(let f)?): timed = (try? InputLayout(f))?.readsTimestamp == true
            default: timed = false
            }
            if !timed {
                throw .usage("--replay paces by each record's recorded timestamp: give --input with --input-format json (kcat -J, ts/timestamp) or a format with %d (rpk)")
            }
        }
    }
}

extension EmitPlan {
    /// The schedule's shape for the pacer: arrivals, `--start-at`, an absolute schedule for
    /// `--start-at` and `--latency-from intended`, and the stage cursor of a rate profile.
    func scheduleOptions(stages: StageCursor?) -> ScheduleOptions {
        var o = ScheduleOptions()
        if poissonArrivals { o.arrivals = .poisson(seed: seed ?? UInt64.random(in: 0...UInt64.max)) }
        o.absolute = latencyFromIntended || startAtMillis != nil
        if let at = startAtMillis {
            // The wall-clock start as a monotonic deadline (a start already past: now minus how
            // long ago, so the records due since then go out at once).
            let nowWall = Clock.wallMillis(), nowMono = Clock.monotonicNanos()
            let ahead = (at - nowWall) * 1_000_000
            o.startMonotonic = ahead >= 0 ? nowMono &+ UInt64(ahead) : nowMono &- min(nowMono, UInt64(-ahead))
        }
        o.stages = stages
        return o
    }

    /// The stages of a `--rate-profile`, for the sink and the ticker; nil without one.
    func stageCursor() -> StageCursor? {
        guard case .profile(let stages) = pacing else { return nil }
        return StageCursor(names: stages.map(\.name))
    }

    /// The fastest rate the schedule asks for (records/s): a profile's highest stage.
    var peakRate: Double {
        switch pacing {
        case .unpaced: return .infinity
        case .every, .rate: return 1e9 / pacing.intervalNanos
        case .replay: return 0   // unknown: the reporter answers each report at once (latency)
        case .profile(let stages):
            return stages.map { s -> Double in
                switch s.shape {
                case .hold(let r): return r
                case .ramp(let a, let b): return max(a, b)
                case .sine(let m, let a, _): return m + a
                case .burst(let r, _, _, let base): return max(r, base)
                }
            }.max() ?? 0
        }
    }
}

