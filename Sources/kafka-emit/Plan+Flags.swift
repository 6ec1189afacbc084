import KafkaEmit
import KafkaEmitEngine

extension EmitCommand {
    /// Turns the typed options into a validated plan; every rule is worded around its flag.
    func makePlan(environment: [String: String]) throws(EmitError) -> EmitPlan {
        let source: EmitPlan.Source
        if let path = input.effectiveInput {
            let delim = try input.delimiter.map { s throws(EmitError) in try EscapeParser.parse(s, flag: "--delimiter") } ?? [0x0A]
            let keyDelimiter = try input.keyDelimiter.map { s throws(EmitError) in try EscapeParser.parse(s, flag: "--key-delimiter") }
            let format: EmitPlan.InputFormat
            switch input.inputFormat {
            case .json: format = .json
            case .format(let f): format = .format(f)
            case .lines, nil: format = .lines
            }
            source = .lines(path: path, delimiter: delim, keyDelimiter: keyDelimiter, format: format)
        } else if !input.files.isEmpty {
            source = .files(input.files)
        } else {
            source = .generate
        }
        var plan = EmitPlan(topic: input.topic, source: source)
        plan.count = input.count
        if let every = pacing.every { plan.pacing = .every(nanos: every.nanos) }
        if let rate = pacing.rate { plan.pacing = .rate(rate) }
        plan.durationNanos = pacing.duration?.nanos

        if let key = record.key { plan.key = try Template.parse(key, flag: "--key") }
        if let value = record.value { plan.value = try Template.parse(value, flag: "--value") }
        plan.correlation = try Template.parse(record.correlation, flag: "--correlation")
        for h in record.header {
            guard let eq = h.firstIndex(of: "=") else {
                // -H NAME: a header with a null value, as kcat.
                guard !h.isEmpty else { throw .usage("--header: the header name must not be empty; write NAME=TEMPLATE or NAME") }
                plan.headers.append(HeaderTemplate(name: h, value: nil))
                continue
            }
            guard eq != h.startIndex else { throw .usage("--header '\(h)': the name is missing; write NAME=TEMPLATE, e.g. -H source=kafka-emit") }
            let name = String(h[..<eq])
            plan.headers.append(HeaderTemplate(name: name, value: try Template.parse(String(h[h.index(after: eq)...]), flag: "--header \(name)")))
        }
        if let t = record.timestamp { plan.timestamp = try Template.parse(t, flag: "--timestamp") }
        if let p = record.partition, p >= 0 { plan.partition = p }
        plan.correlationHeader = record.correlationHeader
        plan.nullEmpty = record.nullEmpty
        plan.seed = record.seed
        if let m = producer.maxInFlight { plan.maxInFlight = m }
        plan.recordSize = load.recordSize
        plan.warmup = UInt64(load.warmup ?? 0)
        plan.shard = load.shard.map { ($0.index, $0.count) }
        plan.histogramLog = load.histogramLog
        plan.statsFile = load.statsFile
        plan.transactionalID = producer.transactionalID
        if let n = producer.transactionRecords { plan.transactionRecords = n }
        plan.transactionEveryNanos = producer.transactionEvery?.nanos
        plan.connectTimeoutNanos = connection.connectTimeout.nanos
        plan.stopOnError = producer.stopOnError ?? true

        switch output.output {
        case .text: plan.output = .text
        case .json: plan.output = .json
        case .none: plan.output = .none
        }
        if let format = output.format { plan.output = .custom(format) }
        plan.statsIntervalNanos = output.statsInterval?.nanos
        plan.quiet = output.quiet
        plan.verbose = output.verbose
        plan.dryRun = output.dryRun
        if connection.mock {
            plan.mockBrokers = connection.mockBrokers ?? 3
            plan.mockPartitions = connection.mockPartitions
        }
        plan.properties = try properties(environment: environment)
        // kcat habit: -X transactional.id=... turns transactions on as well.
        if let id = plan.properties.last(where: { $0.key == "transactional.id" })?.value, !id.isEmpty {
            plan.transactionalID = id
        }
        if let b = plan.properties.last(where: { $0.key == "bootstrap.servers" }) { plan.bootstrapServers = b.value }
        try plan.validate()
        return plan
    }

    /// librdkafka properties, lowest precedence first: defaults, environment, -F file, typed
    /// flags, -X.
    func properties(environment: [String: String]) throws(EmitError) -> [ConfigProperty] {
        var props = [ConfigProperty("bootstrap.servers", "localhost:9092", origin: "default")]
        props += KafkaConfig.defaults(verbose: output.verbose)
        if let env = environment["KAFKA_BOOTSTRAP_SERVERS"], !env.isEmpty {
            props.append(ConfigProperty("bootstrap.servers", env, origin: "$KAFKA_BOOTSTRAP_SERVERS"))
        }
        if let file = connection.configFile { props += try ConfigFile.read(file) }
        if let b = connection.bootstrapServers { props.append(ConfigProperty("bootstrap.servers", b, origin: "--bootstrap-servers")) }
        if let acks = producer.acks {
            props.append(ConfigProperty("acks", acks.property, origin: "--acks"))
            // acks 0/1 turn the idempotent default off, unless asked for explicitly.
            if acks.property != "all" && producer.idempotent == nil {
                props.append(ConfigProperty("enable.idempotence", "false", origin: "--acks \(acks.rawValue)"))
            }
        }
        if let id = producer.transactionalID { props.append(ConfigProperty("transactional.id", id, origin: "--transactional-id")) }
        if let i = producer.idempotent {
            props.append(ConfigProperty("enable.idempotence", i ? "true" : "false", origin: i ? "--idempotent" : "--no-idempotent"))
        }
        if let c = producer.compression { props.append(ConfigProperty("compression.codec", c.rawValue, origin: "--compression")) }
        if let l = producer.linger { props.append(ConfigProperty("linger.ms", Fmt.fixed(Double(l.nanos) / 1e6, 3), origin: "--linger")) }
        if let d = producer.deliveryTimeout {
            props.append(ConfigProperty("message.timeout.ms", String(max(1, d.nanos / 1_000_000)), origin: "--delivery-timeout"))
        }
        if load.statsFile != nil {
            let ms = max(1, (output.statsInterval?.nanos ?? 5_000_000_000) / 1_000_000)
            props.append(ConfigProperty("statistics.interval.ms", String(ms), origin: "--stats-file"))
        }
        if let debug = connection.debug {
            props.append(ConfigProperty("debug", debug, origin: "--debug"))
            props.append(ConfigProperty("log_level", "7", origin: "--debug"))
        }
        let x = connection.property.filter { $0 != "list" && $0 != "dump" }
        for p in x {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                // Never echoed: a mistyped `sasl.password:secret` is still a secret.
                let n = (connection.property.firstIndex(of: p) ?? 0) + 1
                throw .usage("-X argument \(n): write KEY=VALUE, e.g. -X linger.ms=5 (or -X list, -X dump)")
            }
            let key = String(p[..<eq]), value = String(p[p.index(after: eq)...])
            if key == "statistics.interval.ms" && load.statsFile == nil {
                throw .usage("-X statistics.interval.ms: librdkafka's statistics would go nowhere; name a file with --stats-file FILE (and set the interval with --stats-interval)")
            }
            if let instead = Self.consoleProducerProperties[key] {
                throw .usage("--property/-X \(key) is a kafka-console-producer reader property, not a librdkafka one; here use \(instead)")
            }
            props.append(ConfigProperty(key, value, origin: "-X"))
            // Like --acks: acks 0/1 turn the idempotent default off, unless asked for explicitly.
            if key == "acks" || key == "request.required.acks", !["all", "-1"].contains(value), producer.idempotent == nil,
               !x.contains(where: { $0.hasPrefix("enable.idempotence=") }) {
                props.append(ConfigProperty("enable.idempotence", "false", origin: "-X \(key)=\(value)"))
            }
        }
        return props
    }

    /// kafka-console-producer's `--property` names, and what does their job here.
    static let consoleProducerProperties: [String: String] = [
        "parse.key": "-K SEP to split a key off each line (console-producer's default separator is a tab: -K '\\t')",
        "key.separator": "-K SEP",
        "parse.headers": "an rpk input format with headers, e.g. --input-format '%H %h{%k:%v,}%v\\n', or --input-format json",
        "headers.delimiter": "an rpk input format, e.g. --input-format '%H %h{%k:%v,}%v\\n'",
        "headers.separator": "an rpk input format, e.g. --input-format '%H %h{%k:%v,}%v\\n'",
        "headers.key.separator": "an rpk input format, e.g. --input-format '%H %h{%k:%v,}%v\\n'",
        "null.marker": "-Z (an empty value is sent as NULL)",
        "ignore.error": "--continue-on-error",
    ]
}
