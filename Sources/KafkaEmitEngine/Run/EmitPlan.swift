@_spi(Engine) import KafkaEmit

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
    /// How lines mode reads its input (SPEC §2a).
    package enum InputFormat: Sendable, Equatable {
        /// Delimited units, split into key and value with `-K`.
        case lines
        /// One JSON envelope per line.
        case json
        /// rpk's `--format` input layout (parsed and checked by `InputLayout`).
        case format(String)
    }

    package enum Source: Sendable, Equatable {
        /// Records made from templates.
        case generate
        /// One record per delimited chunk of a file or stdin (`-`).
        case lines(path: String, delimiter: [UInt8], keyDelimiter: [UInt8]?, format: InputFormat)
        /// Each file one record, its whole content the value (kcat `-P FILE...`).
        case files([String])
    }

    /// The topic (`-t`); nil when every record names its own (JSON envelopes, `%t`).
    package var topic: String?
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
    /// `--arrivals poisson`: exponential gaps (seeded by `seed`).
    package var poissonArrivals = false
    /// `--latency-from intended`.
    package var latencyFromIntended = false
    /// `--start-at`, epoch milliseconds.
    package var startAtMillis: Int64?
    /// `--rebase-timestamps` (with `--replay`).
    package var rebaseTimestamps = false
    package var durationNanos: UInt64?
    /// nil = null key.
    package var key: Template?
    package var value: Template
    package var headers: [HeaderTemplate] = []
    /// `--let NAME=TEMPLATE`s, in the order given: rendered first for each record, `{ref:NAME}`.
    package var lets: [LetTemplate] = []
    package var partition: Int32?
    package var correlation: Template
    package var correlationHeader: String?
    package var nullEmpty = false
    /// Each record's timestamp (epoch ms or RFC 3339, rendered per record); nil = librdkafka's.
    package var timestamp: Template?
    package var seed: UInt64?
    package var maxInFlight = 50_000
    package var connectTimeoutNanos: UInt64 = 10_000_000_000
    package var stopOnError = true
    package var output: OutputFormat = .text
    package var quiet = false
    package var verbose = false
    package var dryRun = false
    package var statsIntervalNanos: UInt64?
    /// `--record-size N`: values of exactly N random letters, instead of `value`.
    package var recordSize: Int?
    /// `--warmup N`: records numbered below N are kept out of the latency figures.
    package var warmup: UInt64 = 0
    /// `--shard K/N`: send only records i with i mod N = K.
    package var shard: (index: UInt64, count: UInt64)?
    package var histogramLog: String?
    package var statsFile: String?
    /// Send in transactions with this `transactional.id` (set in `properties` too).
    package var transactionalID: String?
    /// A transaction commits after this many records, or `transactionEveryNanos` after it
    /// began, whichever comes first.
    package var transactionRecords = 1000
    package var transactionEveryNanos: UInt64?
    /// Schema Registry serialization of keys and values (SPEC §2b).
    package var schemas = SchemaPlan()

    package init(topic: String?, source: Source = .generate) {
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
        case .files:
            key = nil
            value = t("{line}")
        }
        correlation = t("{i}")
    }

    /// The records this process was asked for: `--count`, or this shard's part of it.
    package var requestedCount: UInt64? {
        guard let count else { return nil }
        guard let s = shard else { return count }
        return count > s.index ? (count - s.index + s.count - 1) / s.count : 0
    }

    /// An input is read (lines or files), so `{line}` means something.
    package var readsInput: Bool { if case .generate = source { false } else { true } }

    var keyDelimiter: [UInt8]? { if case .lines(_, _, let k, _) = source { k } else { nil } }
    var inputFormat: InputFormat? { if case .lines(_, _, _, let f) = source { f } else { nil } }
}
