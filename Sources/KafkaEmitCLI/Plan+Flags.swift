@_spi(Engine) import KafkaEmit
import KafkaEmitEngine

extension EmitCommand {
    /// Turns the typed options into a validated plan; every rule is worded around its flag.
    package func makePlan(environment: [String: String]) throws(EmitError) -> EmitPlan {
        let source: EmitPlan.Source
        if let path = input.effectiveInput {
            let format: EmitPlan.InputFormat
            switch input.inputFormat {
            case .json: format = .json
            case .format(_, let f): format = .format(f)
            case .lines, nil: format = .lines
            }
            source = .lines(path: path, delimiter: input.delimiter ?? [0x0A], keyDelimiter: input.keyDelimiter, format: format)
        } else if !input.files.isEmpty {
            source = .files(input.files)
        } else {
            source = .generate
        }
        var plan = EmitPlan(topic: input.topic, source: source)
        plan.count = input.count
        if let every = pacing.every { plan.pacing = .every(nanos: every.nanos) }
        if let rate = pacing.rate { plan.pacing = .rate(rate) }
        if let profile = pacing.rateProfile { plan.pacing = .profile(profile.stages) }
        if let speed = pacing.replaySpeed { plan.pacing = .replay(speed: speed, maxGapNanos: pacing.maxGap?.nanos) }
        plan.rebaseTimestamps = pacing.rebaseTimestamps
        plan.poissonArrivals = pacing.arrivals == .poisson
        plan.latencyFromIntended = pacing.latencyFrom == .intended
        plan.startAtMillis = pacing.startAt?.millis
        plan.durationNanos = pacing.duration?.nanos

        if let key = record.key { plan.key = key }
        if let value = record.value { plan.value = value }
        if let correlation = record.correlation { plan.correlation = correlation }
        plan.headers = record.header
        plan.lets = record.lets
        plan.timestamp = record.timestamp
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
        plan.schemas = try schemaPlan(environment: environment, properties: &plan.properties)
        if case .generate = source {
            plan.schemas.randomValue = plan.schemas.value != nil && record.value == nil && load.recordSize == nil
            plan.schemas.randomKey = plan.schemas.key != nil && record.key == nil
        }
        // kcat habit: -X transactional.id=... turns transactions on as well.
        if let id = plan.properties.last(where: { $0.key == "transactional.id" })?.value, !id.isEmpty {
            plan.transactionalID = id
        }
        if let b = plan.properties.last(where: { $0.key == "bootstrap.servers" }) { plan.bootstrapServers = b.value }
        try plan.resolveTemplates()
        try plan.validate()
        return plan
    }

    /// The Schema Registry settings: the typed flags, with the Confluent console producers'
    /// keys taken out of `properties` (they came through `-X`/`--property` or `-F`), the
    /// typed flags winning.
    func schemaPlan(environment: [String: String], properties: inout [ConfigProperty]) throws(EmitError) -> SchemaPlan {
        var fromProperties = SchemaOptions()
        var kept: [ConfigProperty] = []
        for p in properties {
            if SchemaOptions.isSchemaProperty(p.key) {
                do { try fromProperties.applyConsoleProperty(p.key, p.value) } catch { throw .usage(error.description) }
            } else {
                kept.append(p)
            }
        }
        properties = kept
        var plan = fromProperties.plan
        let typed = schema.plan
        if let u = typed.urls { plan.urls = u }
        if plan.urls == nil, let env = environment["SCHEMA_REGISTRY_URL"], !env.isEmpty { plan.urls = env }
        plan.properties += typed.properties
        if typed.strategy != .topic { plan.strategy = typed.strategy }
        if !typed.autoRegister { plan.autoRegister = false }
        func merge(_ base: SchemaPlan.Choice?, _ top: SchemaPlan.Choice?) -> SchemaPlan.Choice? {
            guard var m = base else { return top }
            guard let t = top else { return m }
            if let v = t.file { m.file = v; m.text = nil }
            if let v = t.format { m.format = v }
            if let v = t.id { m.id = v }
            if let v = t.subject { m.subject = v }
            if let v = t.version { m.version = v }
            if let v = t.message { m.message = v }
            return m
        }
        plan.value = merge(plan.value, typed.value)
        plan.key = merge(plan.key, typed.key)
        var check = SchemaOptions()
        check.plan = plan
        do { try check.validate() } catch { throw .usage(error.description) }
        return plan
    }

    /// librdkafka properties, lowest precedence first: defaults, environment, -F file, typed
    /// flags, -X.
    package func properties(environment: [String: String]) throws(EmitError) -> [ConfigProperty] {
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
        let x = connection.property.compactMap { p -> (key: String, value: String)? in
            if case .set(let key, let value) = p { (key, value) } else { nil }
        }
        for (key, value) in x {
            if key == "statistics.interval.ms" && load.statsFile == nil {
                throw .usage("-X statistics.interval.ms: librdkafka's statistics would go nowhere; name a file with --stats-file FILE (and set the interval with --stats-interval)")
            }
            props.append(ConfigProperty(key, value, origin: "-X"))
            // Like --acks: acks 0/1 turn the idempotent default off, unless asked for explicitly.
            if key == "acks" || key == "request.required.acks", !["all", "-1"].contains(value), producer.idempotent == nil,
               !x.contains(where: { $0.key == "enable.idempotence" }) {
                props.append(ConfigProperty("enable.idempotence", "false", origin: "-X \(key)=\(value)"))
            }
        }
        return props
    }
}
