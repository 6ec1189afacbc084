/// How a `KafkaSender` connects and behaves (Reactor Kafka's `SenderOptions`).
public struct SenderOptions: Sendable {
    /// `host:port[,host:port]`.
    public var bootstrapServers: String
    /// Any librdkafka property, applied after the defaults (`acks=all`, idempotence on).
    public var properties: [String: String]
    /// Most records handed to librdkafka and not yet reported; senders wait beyond it
    /// (backpressure). Also sizes librdkafka's queue.
    public var maxInFlight: Int
    /// A results stream stops taking records from its sequence after its first failed
    /// delivery (records in flight still report).
    public var stopOnError: Bool
    /// No broker answering by then fails what was sent meanwhile (``KafkaSenderError/Cause/brokerUnreachable``);
    /// the next send tries again.
    public var connectTimeout: Duration
    /// A transactional producer, for `sendTransactionally`.
    public var transactionalID: String?
    /// Records of one results stream (``KafkaSender/send(_:bufferSize:)-1n9k0``) sent but whose
    /// results were not yet taken by its consumer: a slow consumer slows the sending down.
    /// It also bounds a stream's records in flight, so its throughput is at most this many per
    /// delivery latency (Little's law): at 8,192 a stream of 1M small records ran at 0.9M/s on
    /// the mock cluster, at 32,768 at 1.3M/s, with no gain beyond (bench/sender.sh, BUFFER=).
    public var streamBufferSize: Int

    /// Options with the defaults: 50,000 in flight, a 10 s connect timeout, streams buffering
    /// 32,768 records, not transactional.
    public init(bootstrapServers: String, properties: [String: String] = [:], maxInFlight: Int = 50_000,
                stopOnError: Bool = false, connectTimeout: Duration = .seconds(10), transactionalID: String? = nil,
                streamBufferSize: Int = 32_768) {
        self.bootstrapServers = bootstrapServers
        self.properties = properties
        self.maxInFlight = maxInFlight
        self.stopOnError = stopOnError
        self.connectTimeout = connectTimeout
        self.transactionalID = transactionalID
        self.streamBufferSize = streamBufferSize
    }
}

/// A header of an outgoing record; a nil value is a null header value.
public struct RecordHeader: Sendable, Equatable {
    /// The header's name (Kafka allows the same name more than once per record).
    public var name: String
    /// Its value's bytes; nil is a null value.
    public var value: [UInt8]?
    /// A header named `name` with `value` (nil: a null value).
    public init(_ name: String, _ value: [UInt8]?) {
        self.name = name
        self.value = value
    }
}

/// One record to send plus correlation metadata that never leaves the process and comes
/// back in its `SenderResult` (Reactor Kafka's `SenderRecord`). Use `Void` (`()`) when the
/// caller keeps its own correlation, as a single-record `send` does.
public struct SenderRecord<Correlation: Sendable>: Sendable {
    /// The topic it goes to.
    public var topic: String
    /// nil = librdkafka's partitioner (by key hash).
    public var partition: Int32?
    /// nil = null key.
    public var key: [UInt8]?
    /// nil = null value (a tombstone).
    public var value: [UInt8]?
    /// Its headers, in order.
    public var headers: [RecordHeader]
    /// Milliseconds since the epoch; nil = the time librdkafka sends it.
    public var timestampMillis: Int64?
    /// Yours: never sent, handed back with the record's result.
    public var correlationMetadata: Correlation

    /// A record with its key and value as bytes (nil: a null key, a tombstone value).
    public init(topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?,
                headers: [RecordHeader] = [], timestampMillis: Int64? = nil, correlationMetadata: Correlation) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMillis = timestampMillis
        self.correlationMetadata = correlationMetadata
    }

    /// Key and value from any collection of bytes (`Data`, `ByteBuffer.readableBytesView`,
    /// an `ArraySlice`, a string's `utf8`): copied once, here.
    public init(topic: String, partition: Int32? = nil, key: some Collection<UInt8>, value: some Collection<UInt8>,
                headers: [RecordHeader] = [], timestampMillis: Int64? = nil, correlationMetadata: Correlation) {
        self.init(topic: topic, partition: partition, key: Optional(Array(key)), value: Optional(Array(value)), headers: headers,
                  timestampMillis: timestampMillis, correlationMetadata: correlationMetadata)
    }
}

extension SenderRecord where Correlation == Void {
    /// A record whose result the caller awaits itself (`try await sender.send(record)`).
    public init(topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?,
                headers: [RecordHeader] = [], timestampMillis: Int64? = nil) {
        self.init(topic: topic, partition: partition, key: key, value: value, headers: headers,
                  timestampMillis: timestampMillis, correlationMetadata: ())
    }

    /// A record whose key and value are any collections of bytes (`"text".utf8`, `Data`, ...).
    public init(topic: String, partition: Int32? = nil, key: some Collection<UInt8>, value: some Collection<UInt8>,
                headers: [RecordHeader] = [], timestampMillis: Int64? = nil) {
        self.init(topic: topic, partition: partition, key: Optional(Array(key)), value: Optional(Array(value)), headers: headers,
                  timestampMillis: timestampMillis, correlationMetadata: ())
    }
}

/// Where a delivered record landed.
public struct RecordMetadata: Sendable, Equatable {
    /// The topic it was stored in.
    public var topic: String
    /// The partition it was stored in.
    public var partition: Int32
    /// The broker's offset, or -1 when it reported none (`acks=0`).
    public var offset: Int64
    /// Milliseconds since the epoch as the broker reported it (-1 if unknown).
    public var timestamp: Int64
    /// The transaction it was committed in (`sendTransactionally`, numbered from 1), else nil.
    public var transaction: Int64?

    /// Metadata as a broker would report it (for your own tests and fakes).
    public init(topic: String, partition: Int32, offset: Int64, timestamp: Int64 = -1, transaction: Int64? = nil) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.transaction = transaction
    }
}

/// What became of one record: delivered, failed (certainly not stored), or unknown (reported
/// failed but possibly stored; see ``KafkaSenderError/possiblyPersisted``).
public enum SenderOutcome: Sendable, Equatable {
    /// Stored: the broker acknowledged it.
    case delivered
    /// Certainly not stored.
    case failed
    /// Reported failed, but possibly stored: re-sending it may duplicate it.
    case unknown
}

/// The outcome of one record: its metadata or its error, plus its correlation metadata
/// (Reactor Kafka's `SenderResult`).
public struct SenderResult<Correlation: Sendable>: Sendable {
    /// The record's correlation metadata, as it was sent with it.
    public var correlationMetadata: Correlation
    /// Where the record landed, or why it did not.
    public var result: Result<RecordMetadata, KafkaSenderError>
    /// From handing the record to librdkafka to its delivery report.
    public var latency: Duration

    /// A result (for your own tests and fakes).
    public init(correlationMetadata: Correlation, result: Result<RecordMetadata, KafkaSenderError>, latency: Duration = .zero) {
        self.correlationMetadata = correlationMetadata
        self.result = result
        self.latency = latency
    }

    /// The metadata when delivered, else nil.
    public var recordMetadata: RecordMetadata? { try? result.get() }
    /// Delivered, failed or unknown (see ``SenderOutcome``).
    public var outcome: SenderOutcome {
        switch result {
        case .success: .delivered
        case .failure(let e): e.possiblyPersisted ? .unknown : .failed
        }
    }
    /// The error when not delivered, else nil.
    public var error: KafkaSenderError? { if case .failure(let e) = result { e } else { nil } }
}

/// Totals of one stream or blocking send.
public struct SendSummary: Sendable, Equatable {
    /// Records stored.
    public var delivered = 0
    /// Records certainly not stored.
    public var failed = 0
    /// Reported failed, but possibly stored (`SenderOutcome.unknown`).
    public var unknown = 0
    /// Why the send ended before its sequence did — no broker answered within the connect
    /// timeout, a fatal producer error, a stop, or the first failure with `stopOnError` —
    /// else nil.
    public var stoppedBy: KafkaSenderError?

    /// A summary (for your own tests and fakes).
    public init(delivered: Int = 0, failed: Int = 0, unknown: Int = 0, stoppedBy: KafkaSenderError? = nil) {
        self.delivered = delivered
        self.failed = failed
        self.unknown = unknown
        self.stoppedBy = stoppedBy
    }

    mutating func count(_ outcome: SenderOutcome) {
        switch outcome {
        case .delivered: delivered += 1
        case .failed: failed += 1
        case .unknown: unknown += 1
        }
    }
}
