import KafkaEmit

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
        var templates: [(String, Template)] = [("--value", value), ("--correlation", correlation)]
        if let key { templates.append(("--key", key)) }
        if let timestamp { templates.append(("--timestamp", timestamp)) }
        for h in headers { if let v = h.value { templates.append(("--header \(h.name)", v)) } }
        for (flag, t) in templates {
            if t.usesLine && !readsInput {
                throw .usage("\(flag): {line} needs an input; add --input FILE (or - for stdin), or FILE arguments")
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
        if maxInFlight < 1 || maxInFlight > 10_000_000 {
            throw .usage("--max-in-flight: \(maxInFlight) is out of range; use 1 to 10000000")
        }
        if case .rate(let r) = pacing, !(r >= 0.001 && r <= 10_000_000) {
            throw .usage("--rate: \(r) is out of range; use 0.001 to 10000000 records/s")
        }
        if keyDelimiter != nil, let f = inputFormat, f != .lines {
            throw .usage("--key-delimiter (-K) splits plain lines; with --input-format json or a format the key comes from the input")
        }
        if case .format(let f) = inputFormat { _ = try InputLayout.checked(f) }
        if let c = correlationHeader, c.isEmpty { throw .usage("--correlation-header: the header name must not be empty") }
        for h in headers where h.name.isEmpty { throw .usage("--header: the header name must not be empty; write NAME=TEMPLATE") }
        if let m = mockBrokers, m < 1 || m > 32 { throw .usage("--mock-brokers: \(m) is out of range; use 1 to 32") }
        if let p = mockPartitions, p < 1 || p > 10_000 { throw .usage("--mock-partitions: \(p) is out of range; use 1 to 10000") }
        if case .custom(let f) = output { try CustomResultFormat.validate(f) }
    }
}
