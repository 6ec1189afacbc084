/// How a `KafkaSender` connects and behaves (Reactor Kafka's `SenderOptions`).
public struct SenderOptions: Sendable {
    /// `host:port[,host:port]`.
    public var bootstrapServers: String
    /// Any librdkafka property, applied after the defaults (`acks=all`, idempotence on).
    public var properties: [String: String]
    /// Most records sent but not yet reported; `send` waits beyond it (backpressure).
    public var maxInFlight: Int
    /// Stop taking records from the sequence after the first failed delivery.
    public var stopOnError: Bool
    /// No broker answering by then ends the send: what is queued fails, and the summary's
    /// `stoppedBy` says why.
    public var connectTimeout: Duration
    /// A transactional producer, for `sendTransactionally`.
    public var transactionalID: String?

    public init(bootstrapServers: String, properties: [String: String] = [:], maxInFlight: Int = 50_000,
                stopOnError: Bool = false, connectTimeout: Duration = .seconds(10), transactionalID: String? = nil) {
        self.bootstrapServers = bootstrapServers
        self.properties = properties
        self.maxInFlight = maxInFlight
        self.stopOnError = stopOnError
        self.connectTimeout = connectTimeout
        self.transactionalID = transactionalID
    }
}

/// A header of an outgoing record; a nil value is a null header value.
public struct RecordHeader: Sendable, Equatable {
    public var name: String
    public var value: [UInt8]?
    public init(_ name: String, _ value: [UInt8]?) {
        self.name = name
        self.value = value
    }
}

/// One record to send plus correlation metadata that never leaves the process and comes
/// back in its `SenderResult` (Reactor Kafka's `SenderRecord`).
public struct SenderRecord<Correlation: Sendable>: Sendable {
    public var topic: String
    /// nil = librdkafka's partitioner (by key hash).
    public var partition: Int32?
    /// nil = null key.
    public var key: [UInt8]?
    /// nil = null value (a tombstone).
    public var value: [UInt8]?
    public var headers: [RecordHeader]
    public var correlationMetadata: Correlation

    public init(topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?,
                headers: [RecordHeader] = [], correlationMetadata: Correlation) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.correlationMetadata = correlationMetadata
    }
}

/// Where a delivered record landed.
public struct RecordMetadata: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// Milliseconds since the epoch as the broker reported it (-1 if unknown).
    public var timestamp: Int64
    /// The transaction it was committed in (`sendTransactionally`, numbered from 1), else nil.
    public var transaction: Int64? = nil
}

/// Why a record was not delivered: librdkafka's error code, name and message.
public struct SendError: Error, Sendable, Equatable {
    public var code: Int32
    public var name: String
    public var message: String
    /// The record may have been stored all the same: it was in flight when it timed out or
    /// was purged, or its broker went away with the request out. Its outcome is unknown, so
    /// re-sending it may duplicate it.
    public var possiblyPersisted: Bool

    public init(code: Int32, name: String, message: String, possiblyPersisted: Bool = false) {
        self.code = code
        self.name = name
        self.message = message
        self.possiblyPersisted = possiblyPersisted
    }
}

/// What became of one record: delivered, failed (certainly not stored), or unknown (reported
/// failed but possibly stored; see `SendError.possiblyPersisted`).
public enum SenderOutcome: Sendable, Equatable {
    case delivered, failed, unknown
}

/// The outcome of one record: its metadata or its error, plus its correlation metadata
/// (Reactor Kafka's `SenderResult`).
public struct SenderResult<Correlation: Sendable>: Sendable {
    public var correlationMetadata: Correlation
    public var result: Result<RecordMetadata, SendError>
    /// Delivery latency: from handing the record to librdkafka to its delivery report.
    public var latencyMicros: UInt64

    public var recordMetadata: RecordMetadata? { try? result.get() }
    public var outcome: SenderOutcome {
        switch result {
        case .success: .delivered
        case .failure(let e): e.possiblyPersisted ? .unknown : .failed
        }
    }
    public var error: SendError? { if case .failure(let e) = result { e } else { nil } }
}

/// Totals of one `send` call.
public struct SendSummary: Sendable, Equatable {
    public var delivered = 0
    public var failed = 0
    /// Reported failed, but possibly stored (`SenderOutcome.unknown`).
    public var unknown = 0
    /// Why the send ended before its sequence did — no broker answered within the connect
    /// timeout, a fatal producer error, or a cancelled stream — else nil.
    public var stoppedBy: SendError?

    public init(delivered: Int = 0, failed: Int = 0, unknown: Int = 0, stoppedBy: SendError? = nil) {
        self.delivered = delivered
        self.failed = failed
        self.unknown = unknown
        self.stoppedBy = stoppedBy
    }
}
