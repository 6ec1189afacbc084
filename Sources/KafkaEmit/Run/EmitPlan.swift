/// A header of generated records: a name and a template for its value (nil: a null value,
/// as `-H NAME`).
package struct HeaderTemplate: Sendable, Equatable {
    package var name: String
    package var value: Template?
    package init(name: String, value: Template?) {
        self.name = name
        self.value = value
    }
}

/// Everything a run needs, validated. Built by the command line (or by a test) and handed
/// to `EmitRun`; it holds no Kafka state.
package struct EmitPlan: Sendable {
    package enum InputFormat: String, Sendable, Equatable { case lines, json }

    package enum Source: Sendable, Equatable {
        /// Records made from templates.
        case generate
        /// One record per delimited chunk of a file or stdin (`-`).
        case lines(path: String, delimiter: [UInt8], keyDelimiter: [UInt8]?, format: InputFormat)
    }

    package var topic: String
    package var bootstrapServers = "localhost:9092"
    /// Run against an embedded mock cluster of this many brokers instead.
    package var mockBrokers: Int?
    /// Partitions of the run's topic in the mock cluster (nil: created on first use with the
    /// mock's default).
    package var mockPartitions: Int?
    /// librdkafka properties in the order applied (later wins); bootstrap is added by the run.
    package var properties: [ConfigProperty] = []
    package var source: Source = .generate
    package var count: UInt64?
    package var pacing: Pacing = .unpaced
    package var durationNanos: UInt64?
    /// nil = null key.
    package var key: Template?
    package var value: Template
    package var headers: [HeaderTemplate] = []
    package var partition: Int32?
    package var correlation: Template
    package var correlationHeader: String?
    package var nullEmpty = false
    package var seed: UInt64?
    package var maxInFlight = 100_000
    package var connectTimeoutNanos: UInt64 = 10_000_000_000
    package var stopOnError = true
    package var output: OutputFormat = .text
    package var quiet = false
    package var verbose = false
    package var dryRun = false
    package var statsIntervalNanos: UInt64?

    package init(topic: String, source: Source = .generate) {
        self.topic = topic
        self.source = source
        let t = { (s: String) in (try? Template.parse(s, flag: "default")) ?? Template(parts: [], source: s) }
        switch source {
        case .generate:
            key = t("{i}")
            value = t("event-{i}")
        case .lines(_, _, let keyDelimiter, let format):
            key = keyDelimiter == nil && format == .lines ? nil : t("{key}")
            value = t("{line}")
        }
        correlation = t("{i}")
    }

    package var isLinesMode: Bool { if case .lines = source { true } else { false } }

    var keyDelimiter: [UInt8]? { if case .lines(_, _, let k, _) = source { k } else { nil } }
    var inputFormat: InputFormat? { if case .lines(_, _, _, let f) = source { f } else { nil } }

    /// Checks the combinations no single flag can check. Throws a usage error naming the flag.
    package func validate() throws(EmitError) {
        if topic.isEmpty { throw .usage("--topic: the topic name must not be empty") }
        if topic.utf8.count > 249 { throw .usage("--topic: '\(topic.prefix(40))…' is longer than Kafka's 249-character limit") }
        if !topic.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }) {
            throw .usage("--topic: '\(topic)' has characters Kafka does not allow; use letters, digits, '.', '_' and '-'")
        }
        if case .generate = source, count == nil, durationNanos == nil, pacing == .unpaced, !dryRun {
            throw .usage("generate mode needs a bound: add --count N or --duration D, or pace it with --every/--rate (runs until Ctrl-C)")
        }
        if case .generate = source, dryRun, count == nil, durationNanos == nil {
            throw .usage("--dry-run in generate mode needs --count N (or --duration D)")
        }
        var templates: [(String, Template)] = [("--value", value), ("--correlation", correlation)]
        if let key { templates.append(("--key", key)) }
        for h in headers { if let v = h.value { templates.append(("--header \(h.name)", v)) } }
        for (flag, t) in templates {
            if t.usesLine && !isLinesMode {
                throw .usage("\(flag): {line} needs lines mode; add --input FILE (or - for stdin)")
            }
            if t.usesKey && keyDelimiter == nil && inputFormat != .json {
                throw .usage("\(flag): {key} needs --key-delimiter (-K) with --input, or --input-format json")
            }
        }
        if let p = partition, p < 0 { throw .usage("--partition: \(p) is negative; use a partition number ≥ 0") }
        if maxInFlight < 1 || maxInFlight > 10_000_000 {
            throw .usage("--max-in-flight: \(maxInFlight) is out of range; use 1 to 10000000")
        }
        if case .rate(let r) = pacing, !(r >= 0.001 && r <= 10_000_000) {
            throw .usage("--rate: \(r) is out of range; use 0.001 to 10000000 records/s")
        }
        if inputFormat == .json && keyDelimiter != nil {
            throw .usage("--key-delimiter (-K) splits plain lines; with --input-format json the key comes from the envelope")
        }
        if let c = correlationHeader, c.isEmpty { throw .usage("--correlation-header: the header name must not be empty") }
        for h in headers where h.name.isEmpty { throw .usage("--header: the header name must not be empty; write NAME=TEMPLATE") }
        if let m = mockBrokers, m < 1 || m > 32 { throw .usage("--mock-brokers: \(m) is out of range; use 1 to 32") }
        if case .custom(let f) = output { try CustomResultFormat.validate(f) }
    }
}
