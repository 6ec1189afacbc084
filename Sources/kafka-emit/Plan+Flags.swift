import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

extension EmitCommand {
    /// Turns the flags into a validated plan; every rule is worded around its flag.
    func makePlan(environment: [String: String]) throws(EmitError) -> EmitPlan {
        guard let topic, !topic.isEmpty else {
            throw .usage("missing --topic (-t NAME): the topic to send to")
        }
        var keyDelimiterBytes: [UInt8]?
        let source: EmitPlan.Source
        if let input {
            let delim = try delimiter.map { s throws(EmitError) in try EscapeParser.parse(s, flag: "--delimiter") } ?? [0x0A]
            if let kd = keyDelimiter { keyDelimiterBytes = try EscapeParser.parse(kd, flag: "--key-delimiter") }
            guard let format = EmitPlan.InputFormat(rawValue: inputFormat) else {
                throw .usage("--input-format: '\(inputFormat)' is not a format; use lines or json")
            }
            source = .lines(path: input, delimiter: delim, keyDelimiter: keyDelimiterBytes, format: format)
        } else {
            if keyDelimiter != nil { throw .usage("--key-delimiter (-K) splits input lines; add --input FILE (or - for stdin)") }
            if delimiter != nil { throw .usage("--delimiter (-D) splits input; add --input FILE (or - for stdin)") }
            if inputFormat != "lines" { throw .usage("--input-format reads --input; add --input FILE (or - for stdin)") }
            source = .generate
        }
        var plan = EmitPlan(topic: topic, source: source)

        if let count { plan.count = try Self.positiveCount(count, flag: "--count") }
        if every != nil && rate != nil {
            throw .usage("--every and --rate both set the pace; use one of them")
        }
        if let every { plan.pacing = .every(nanos: try DurationParser.parse(every, flag: "--every")) }
        if let rate {
            guard let r = Double(rate), r.isFinite, r > 0 else {
                throw .usage("--rate: '\(rate)' is not a positive number of records per second, e.g. --rate 1000")
            }
            plan.pacing = .rate(r)
        }
        if let duration { plan.durationNanos = try DurationParser.parse(duration, flag: "--duration") }

        if let key { plan.key = try Template.parse(key, flag: "--key") }
        if let value { plan.value = try Template.parse(value, flag: "--value") }
        plan.correlation = try Template.parse(correlation, flag: "--correlation")
        for h in header {
            guard let eq = h.firstIndex(of: "="), eq != h.startIndex else {
                throw .usage("--header '\(h)': write NAME=TEMPLATE, e.g. -H source=kafka-emit")
            }
            let name = String(h[..<eq])
            plan.headers.append(HeaderTemplate(name: name, value: try Template.parse(String(h[h.index(after: eq)...]), flag: "--header \(name)")))
        }
        if let partition {
            guard let p = Int32(partition), p >= 0 else {
                throw .usage("--partition: '\(partition)' is not a partition number; use an integer ≥ 0")
            }
            plan.partition = p
        }
        plan.correlationHeader = correlationHeader
        plan.nullEmpty = nullEmpty
        if let seed {
            guard let s = UInt64(seed) else { throw .usage("--seed: '\(seed)' is not a whole number from 0 to 18446744073709551615") }
            plan.seed = s
        }
        if let maxInFlight {
            guard let m = Int(maxInFlight), m >= 1, m <= 10_000_000 else {
                throw .usage("--max-in-flight: '\(maxInFlight)' is out of range; use 1 to 10000000")
            }
            plan.maxInFlight = m
        }
        plan.connectTimeoutNanos = try DurationParser.parse(connectTimeout, flag: "--connect-timeout")
        plan.stopOnError = (errorPolicy ?? .stopOnError) == .stopOnError

        switch output {
        case "text": plan.output = .text
        case "json": plan.output = .json
        case "none": plan.output = .none
        default: throw .usage("--output: '\(output)' is not a format; use text, json or none (or --format FMT)")
        }
        if let format {
            if format.isEmpty { throw .usage("--format: the format must not be empty; e.g. --format '%p:%o %c\\n'") }
            plan.output = .custom(format)
        }
        if let statsInterval { plan.statsIntervalNanos = try DurationParser.parse(statsInterval, flag: "--stats-interval") }
        plan.quiet = quiet
        plan.verbose = verbose
        plan.dryRun = dryRun

        if let mockBrokers {
            guard mock else { throw .usage("--mock-brokers sizes the embedded cluster; add --mock") }
            guard let n = Int(mockBrokers), n >= 1, n <= 32 else {
                throw .usage("--mock-brokers: '\(mockBrokers)' is out of range; use 1 to 32")
            }
            plan.mockBrokers = n
        } else if mock {
            plan.mockBrokers = 3
        }
        plan.properties = try properties(plan: plan, environment: environment)
        if let b = plan.properties.last(where: { $0.key == "bootstrap.servers" }) { plan.bootstrapServers = b.value }
        try plan.validate()
        return plan
    }

    /// librdkafka properties, lowest precedence first: defaults, -F file, typed flags, -X.
    private func properties(plan: EmitPlan, environment: [String: String]) throws(EmitError) -> [ConfigProperty] {
        var props: [ConfigProperty] = [
            ConfigProperty("bootstrap.servers", "localhost:9092", origin: "default"),
            ConfigProperty("client.id", "kafka-emit", origin: "default"),
            ConfigProperty("acks", "all", origin: "default"),
            ConfigProperty("enable.idempotence", "true", origin: "default"),
            ConfigProperty("message.timeout.ms", "30000", origin: "default"),
            ConfigProperty("log_level", verbose ? "6" : "2", origin: "default"),
        ]
        if let env = environment["KAFKA_BOOTSTRAP_SERVERS"], !env.isEmpty {
            props.append(ConfigProperty("bootstrap.servers", env, origin: "$KAFKA_BOOTSTRAP_SERVERS"))
        }
        if let configFile { props += try Self.readConfigFile(configFile) }
        if let bootstrapServers {
            guard !bootstrapServers.isEmpty else { throw .usage("--bootstrap-servers: the broker list must not be empty; write host:port[,host:port]") }
            props.append(ConfigProperty("bootstrap.servers", bootstrapServers, origin: "--bootstrap-servers"))
        }

        if let acks {
            let v: String
            switch acks.lowercased() {
            case "all", "-1": v = "all"
            case "1": v = "1"
            case "0": v = "0"
            default: throw .usage("--acks: '\(acks)' is not valid; use all, 1 or 0")
            }
            props.append(ConfigProperty("acks", v, origin: "--acks"))
            if v != "all" {
                if idempotent == true {
                    throw .usage("--acks \(acks) conflicts with --idempotent (an idempotent producer needs acks=all); drop one of them")
                }
                if idempotent == nil { props.append(ConfigProperty("enable.idempotence", "false", origin: "--acks \(acks)")) }
            }
        }
        if let idempotent { props.append(ConfigProperty("enable.idempotence", idempotent ? "true" : "false", origin: idempotent ? "--idempotent" : "--no-idempotent")) }
        if let compression {
            let known = ["none", "gzip", "snappy", "lz4", "zstd"]
            guard known.contains(compression) else {
                throw .usage("--compression: '\(compression)' is not a codec; use none, gzip, snappy, lz4 or zstd")
            }
            props.append(ConfigProperty("compression.codec", compression, origin: "--compression"))
        }
        if let linger {
            let nanos: UInt64
            if linger == "0" || linger == "0ms" || linger == "0s" { nanos = 0 } else { nanos = try DurationParser.parse(linger, flag: "--linger") }
            guard nanos <= 900_000_000_000 else { throw .usage("--linger: '\(linger)' is too long; librdkafka allows up to 900s") }
            props.append(ConfigProperty("linger.ms", Fmt.fixed(Double(nanos) / 1e6, 3), origin: "--linger"))
        }
        if let deliveryTimeout {
            let nanos = try DurationParser.parse(deliveryTimeout, flag: "--delivery-timeout")
            guard nanos <= 2_147_483_647 * 1_000_000 else {
                throw .usage("--delivery-timeout: '\(deliveryTimeout)' is too long; librdkafka allows up to 2147483647ms (about 24 days)")
            }
            props.append(ConfigProperty("message.timeout.ms", String(max(1, nanos / 1_000_000)), origin: "--delivery-timeout"))
        }
        if let debug {
            props.append(ConfigProperty("debug", debug, origin: "--debug"))
            props.append(ConfigProperty("log_level", "7", origin: "--debug"))
        }
        for p in property {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                throw .usage("-X '\(p)': write KEY=VALUE, e.g. -X linger.ms=5")
            }
            let key = String(p[..<eq]), value = String(p[p.index(after: eq)...])
            props.append(ConfigProperty(key, value, origin: "-X"))
            // Like --acks: acks 0/1 turn the idempotent default off, unless asked for explicitly.
            if (key == "acks" || key == "request.required.acks"), !["all", "-1"].contains(value), idempotent == nil,
               !property.contains(where: { $0.hasPrefix("enable.idempotence=") }) {
                props.append(ConfigProperty("enable.idempotence", "false", origin: "-X \(key)=\(value)"))
            }
        }
        return props
    }

    static func positiveCount(_ text: String, flag: String) throws(EmitError) -> UInt64 {
        guard let n = UInt64(text), n > 0 else {
            throw .usage("\(flag): '\(text)' is not a positive whole number")
        }
        return n
    }

    /// A librdkafka properties file: `key=value` lines, `#` comments, blank lines.
    static func readConfigFile(_ path: String) throws(EmitError) -> [ConfigProperty] {
        guard let f = fopen(path, "r") else {
            throw .cannotOpen("--config-file '\(path)': \(String(cString: strerror(errno))); check the path")
        }
        defer { fclose(f) }
        var props: [ConfigProperty] = []
        var lineNo = 0
        var linePtr: UnsafeMutablePointer<CChar>?
        var cap = 0
        defer { free(linePtr) }
        while getline(&linePtr, &cap, f) >= 0 {
            lineNo += 1
            let line = String(cString: linePtr!).trimmingCharactersInSet(" \t\r\n")
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "="), eq != line.startIndex else {
                throw .usage("--config-file \(path):\(lineNo): expected key=value, found '\(line.prefix(60))'")
            }
            let k = String(line[..<eq]).trimmingCharactersInSet(" \t")
            let v = String(line[line.index(after: eq)...]).trimmingCharactersInSet(" \t")
            props.append(ConfigProperty(k, v, origin: "-F \(path):\(lineNo)"))
        }
        return props
    }
}

extension String {
    /// Trims any of the given ASCII characters from both ends (byte-wise, so "\r\n" counts as two).
    func trimmingCharactersInSet(_ set: String) -> String {
        let strip = Set(set.utf8)
        var bytes = Substring(self).utf8[...]
        while let f = bytes.first, strip.contains(f) { bytes = bytes.dropFirst() }
        while let l = bytes.last, strip.contains(l) { bytes = bytes.dropLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
